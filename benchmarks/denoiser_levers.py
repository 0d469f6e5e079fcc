"""Which lever moves the mask denoiser's PESQ: a longer context or a wider network, at equal steps.

    python benchmarks/denoiser_levers.py                        # 3 variants x 2,000 steps (~40 min), then scores
    python benchmarks/denoiser_levers.py --steps 200 --limit 2  # a quick look

Each variant is the `mask-denoiser` `default` preset with one change:

| variant | change | context | weights |
|---|---|---|---|
| default | none: 8 blocks of 192 channels, dilations 1, 2, 4, 8 twice | ±30 frames (±0.24 s) | 1.28 M |
| context | 10 blocks, dilations 1, 2, 4, 8, 16 twice | ±62 frames (±0.50 s) | 1.58 M |
| wide | 8 blocks of 288 channels | ±30 frames | 2.81 M |

Every variant trains from scratch (same seed, same data order) on the shipped
denoiser's data and recipe (`scripts/train_shipped.py mask-denoiser`: the
training speakers of `real_speech` and the training voices of `spoken_digits`,
mixed with white/pink/brown noise, hum, clicks, three music tracks and babble
at -5…25 dB, a fifth of the clean clips in the telephone band), `--steps`
steps of batch 16, as an ordinary resumable run in ``--out/<variant>`` (run
the command again after an interruption). Then `benchmarks/denoise.py` scores
the runs side by side, in one process, on the held-out material and noises
beside the shipped denoiser (``--reference``; ``--no-peers``: the peers' rows
are in the README; the mixtures are seeded, so they compare). Printed first:
each variant's weights, context and the median seconds per training step
(timed back to back at the end, so that the variants compare even when
trained at different times).

Equal steps, not equal time: a variant that needs more time per step is
shown with it. Short runs rank levers; they do not predict the final PESQ
of a long run.
"""
import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

VARIANTS = {
    "default": {},
    "context": {"dilations": [1, 2, 4, 8, 16, 1, 2, 4, 8, 16]},
    "wide": {"channels": 288},
}
PREFIX = "lever_"


def register_variants():
    """The variants as presets of the `mask-denoiser` family (in this process only)."""
    from gan_audio.models.mask_denoiser.mask_denoiser_presets import MASK_DENOISER_PRESETS

    base = MASK_DENOISER_PRESETS["default"]
    for name, change in VARIANTS.items():
        MASK_DENOISER_PRESETS[PREFIX + name] = {"description": f"default with {change or 'no change'}",
                                                "config": {**base["config"], **change}, "compile": base["compile"]}


def train_variant(name, steps, out):
    """Trains (or resumes, or finds finished) variant `name` in ``out/name``; returns the run folder."""
    from train_shipped import SHIPPED, training_data

    from gan_audio.checkpoints import read_checkpoint_state
    from gan_audio.training import train

    run = os.path.join(out, name)
    epochs, per_epoch = max(1, steps // 100), min(100, steps)
    state = read_checkpoint_state(os.path.join(run, "model.keras"))
    if state and state["epochs_done"] >= epochs:
        return run
    options = SHIPPED["mask-denoiser"]["settings"]["recipe_options"]
    settings = {} if state else {"data": training_data("mask-denoiser"), "preset": PREFIX + name, "batch_size": 16,
                                 "steps_per_epoch": per_epoch, "seed": 0, "recipe_options": options}
    start = time.perf_counter()
    train("mask-denoiser", out=run, epochs=epochs, resume=bool(state), verbose=2, **settings)
    print(f"{name}: trained in {time.perf_counter() - start:.0f} s", flush=True)
    return run


def step_seconds(name, steps=20, warmup=3):
    """Median seconds of a training step of variant `name` on random batches of 1 s (batch 16)."""
    import keras
    import numpy as np

    from gan_audio.models import SpectralMaskDenoiser

    model = SpectralMaskDenoiser.from_preset(PREFIX + name, seed=0)
    model.compile(**SpectralMaskDenoiser.compile_kwargs(PREFIX + name))
    rng = np.random.default_rng(0)
    clean = rng.normal(0, 0.1, (16 * (steps + warmup), 16000)).astype("float32")
    noisy = clean + rng.normal(0, 0.05, clean.shape).astype("float32")
    times = []

    class Timer(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            self.start = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            times.append(time.perf_counter() - self.start)

    model.fit(noisy, clean, batch_size=16, epochs=1, shuffle=False, verbose=0, callbacks=[Timer()])
    return model.count_params(), model.receptive_field, float(np.median(times[warmup:]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--steps", type=int, default=2000, help="training steps per variant (batch 16)")
    parser.add_argument("--out", default="runs/denoiser_levers", help="folder of the runs (resumable)")
    parser.add_argument("--limit", type=int, default=6, help="clips per material for the scores")
    parser.add_argument("--reference", nargs="*", default=["saved_models/mask_denoiser"],
                        help="denoisers scored beside the variants (the shipped one: 47,000 steps in all)")
    args = parser.parse_args(argv)
    register_variants()
    runs = [train_variant(name, args.steps, args.out) for name in args.variants]
    print(f"\nMask-denoiser variants, {args.steps} steps of batch 16 each:\n")
    print("| variant | weights | context (samples) | s/step |\n|---|---:|---:|---:|")
    for name in args.variants:
        weights, context, seconds = step_seconds(name)
        print(f"| {name} | {weights / 1e6:.2f} M | {context} | {seconds:.3f} |", flush=True)
    print(flush=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "denoise.py"), "--no-peers", "--repeats", "1",
                    "--limit", str(args.limit), "--model", *runs, *args.reference], check=True, cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
