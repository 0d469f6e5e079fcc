"""Which GCDG terms help: the plain GAN, each term alone, all three, and all but one, on babble.

    python benchmarks/gcdg_ablation.py                          # 6 variants x 3 seeds, 300 steps (~60 min)
    python benchmarks/gcdg_ablation.py --steps 40 --seeds 0     # a quick look

Every variant is the `default` preset (WaveGAN-style pair, 2 s at 16 kHz,
non-saturating loss, Adam 1e-4) with the GCDG weights switched:

| variant | γ (R1) | λ_c (info-NCE) | λ_d (mode seeking) |
|---|---|---|---|
| plain | 0 | 0 | 0 |
| +gradient | preset | 0 | 0 |
| +contrastive | 0 | preset | 0 |
| +directional | 0 | 0 | preset |
| full | preset | preset | preset |
| full - contrastive | preset | 0 | preset |

Data: babble (K = 4, 8, 16 talkers) built from the `spoken_digits` voices
outside `SPOKEN_DIGITS_TEST_VARIANTS`; the reference is babble built from
the held-out voices only, so a model is scored on talkers it never heard.
Each run trains `--steps` steps (batch 16, the same seed for weights, noise
and data order in every variant), then generates `--num` clips (seed 0)
and scores them against `--num` reference clips with
`gan_audio.metrics.texture_distance` (0 = the reference's texture
statistics) and `texture_diversity` (1 = as varied as the reference; 0 =
one texture for every latent). Rows give mean ± std over seeds; the first
rows are the references: babble of the training voices, and the generator
before training. Seconds per step are timed apart, all variants back to
back at the end (the median of `--timing-steps` steps after 5 warm-up
steps), so that they compare side by side even when the runs were made
at different times.

Each finished run is kept in ``--out`` (JSON); rerunning skips them, so an
interrupted benchmark resumes. One process, on this machine's 2 CPU cores.
"""
import argparse
import json
import os
import sys
import time

import keras
import numpy as np

from gan_audio.data import SPOKEN_DIGITS_TEST_VARIANTS, find_audio_files, speaker_split, spoken_digits_variant
from gan_audio.data.textures import babble_clips
from gan_audio.metrics import texture_distance, texture_diversity
from gan_audio.models import GCDG
from gan_audio.models.gcdg.gcdg_presets import GCDG_PRESETS

TERMS = ("r1_gamma", "contrastive_weight", "directional_weight")
VARIANTS = {"plain": (), "+gradient": ("r1_gamma",), "+contrastive": ("contrastive_weight",),
            "+directional": ("directional_weight",), "full": TERMS,
            "full - contrastive": ("r1_gamma", "directional_weight")}
BLOCK = 25  # steps per fit call


def variant_config(preset, variant):
    """The preset's config with the terms not in `variant` set to 0."""
    config = dict(GCDG_PRESETS[preset]["config"])
    return {**config, **{t: (config[t] if t in VARIANTS[variant] else 0.0) for t in TERMS}}


def voice_split():
    return speaker_split(find_audio_files("spoken_digits"), SPOKEN_DIGITS_TEST_VARIANTS,
                         speaker_fn=spoken_digits_variant)


def score(clips, reference, sample_rate):
    return {"distance": texture_distance(reference, clips, sample_rate=sample_rate),
            "diversity": texture_diversity(clips, reference, sample_rate=sample_rate)}


def run(preset, variant, seed, steps, batch_size, train_clips, reference, num):
    keras.utils.set_random_seed(seed)
    model = GCDG(**variant_config(preset, variant), seed=seed)
    model.compile(**GCDG.compile_kwargs(preset))
    rng = np.random.default_rng(seed)

    def batches():
        while True:
            for i in rng.permutation(len(train_clips) // batch_size * batch_size).reshape(-1, batch_size):
                yield train_clips[i]

    data = batches()
    done, history = 0, {}
    while done < steps:
        block = min(BLOCK, steps - done)
        chunk = np.concatenate([next(data) for _ in range(block)])
        fit = model.fit(chunk, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
        done += block
        history = {k: float(v[-1]) for k, v in fit.history.items()}
    clips = model.synthesize(num, seed=0)["waveform"]
    return {**score(clips, reference, model.sample_rate), "final_losses": history}


class _BatchTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.times = []

    def on_train_batch_begin(self, batch, logs=None):
        self.start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.times.append(time.perf_counter() - self.start)


def seconds_per_step(preset, variant, batch_size, train_clips, steps, warmup=5):
    """Median wall time of a training step of a fresh model, over `steps` steps after `warmup`
    (the first traces the step)."""
    keras.utils.set_random_seed(0)
    model = GCDG(**variant_config(preset, variant), seed=0)
    model.compile(**GCDG.compile_kwargs(preset))
    timer = _BatchTimer()
    chunk = np.resize(train_clips, (batch_size * (warmup + steps), train_clips.shape[1]))
    model.fit(chunk, batch_size=batch_size, epochs=1, shuffle=False, verbose=0, callbacks=[timer])
    return float(np.median(timer.times[warmup:]))


def table(rows):
    print("\n| variant | texture distance (held-out voices; lower is better) | diversity (1 = real) | s/step |")
    print("|---|---:|---:|---:|")
    for name, results in rows:
        cells = []
        for key, fmt in (("distance", "{:.3f}"), ("diversity", "{:.2f}"), ("seconds_per_step", "{:.2f}")):
            values = [r[key] for r in results if r.get(key) is not None]
            if not values:
                cells.append("-")
            elif len(set(values)) == 1:
                cells.append(fmt.format(values[0]))
            else:
                cells.append(f"{fmt.format(np.mean(values))} ± {fmt.format(np.std(values))}")
        print(f"| {name} | " + " | ".join(cells) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--steps", type=int, default=300, help="training steps per run")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="seeds of each variant")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--preset", default="default", choices=sorted(GCDG_PRESETS))
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--num", type=int, default=48, help="generated and reference clips scored")
    parser.add_argument("--timing-steps", type=int, default=30, help="steps timed per variant, back to back")
    parser.add_argument("--out", default="runs/gcdg_ablation", help="folder of finished runs (resumable)")
    args = parser.parse_args(argv)
    config = GCDG_PRESETS[args.preset]["config"]
    rate, samples = config["sample_rate"], int(round(config["sample_rate"] * config["clip_seconds"]))
    train_files, test_files = voice_split()
    train_clips = babble_clips(train_files, rate, samples, num_textures=512, seed=0)
    reference = babble_clips(test_files, rate, samples, num_textures=args.num, seed=1)
    print(f"GCDG ablation: preset {args.preset}, {args.steps} steps, batch {args.batch_size}, seeds {args.seeds}; "
          f"babble K = 4, 8, 16 of {len(train_files)} clips (train voices) vs {args.num} clips of "
          f"{len(test_files)} clips (held-out voices {', '.join(SPOKEN_DIGITS_TEST_VARIANTS)})", flush=True)
    rows = [("real babble, training voices", [score(train_clips[:args.num], reference, rate)])]
    untrained = []
    for seed in args.seeds:
        keras.utils.set_random_seed(seed)  # the weights of run `seed` before its first step
        model = GCDG(**variant_config(args.preset, "full"), seed=seed)
        untrained.append(score(model.synthesize(args.num, seed=0)["waveform"], reference, rate))
    rows.append(("generator before training", untrained))
    os.makedirs(args.out, exist_ok=True)
    for variant in args.variants:
        results = []
        for seed in args.seeds:
            slug = variant.replace(" ", "")
            path = os.path.join(args.out, f"{args.preset}_{slug}_seed{seed}_steps{args.steps}.json")
            if os.path.exists(path):
                with open(path) as f:
                    results.append(json.load(f))
                continue
            result = run(args.preset, variant, seed, args.steps, args.batch_size, train_clips, reference, args.num)
            with open(path + ".tmp", "w") as f:
                json.dump(result, f, indent=2)
            os.replace(path + ".tmp", path)
            print(f"{variant} seed {seed}: distance {result['distance']:.3f}, diversity {result['diversity']:.2f}",
                  flush=True)
            results.append(result)
        rows.append((variant, results))
    for variant, results in rows[2:]:
        timed = seconds_per_step(args.preset, variant, args.batch_size, train_clips, args.timing_steps)
        results[:] = [{**r, "seconds_per_step": timed} for r in results]
    table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
