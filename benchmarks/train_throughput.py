"""Benchmark: training throughput of each family's `default` preset (the vocoder's `small`) on this machine.

For every family (or `--families`) and every variant (plain float32; `--variants` adds ``xla``:
``compile(jit_compile=True)``, and ``bf16``: the ``mixed_bfloat16`` Keras policy), a fresh process
builds the preset, compiles it as the preset says, feeds it the family's own data recipe on the
bundled spoken digits (the denoisers mix noise in) and times `--steps` `train_on_batch`-equivalent
steps of one `fit`, after one untimed pass over the files on the same data iterator (at least
`--warmup` steps: tracing, compiling and filling the in-memory cache of decoded clips are not timed). It prints examples/s, seconds of audio/s (examples × the seconds of
audio one example holds) and the process's peak resident memory. Variants that fail print their error.

Example:
    $ python benchmarks/train_throughput.py --families dense-gan mask-denoiser --steps 20
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VARIANTS = ("float32", "xla", "bf16")
PRESETS = {"vocoder": "small"}  # the vocoder's shipped preset (it has no `default`)


def seconds_per_example(model):
    """Seconds of audio one training example holds."""
    if getattr(model, "segment_samples", None):
        return model.segment_samples / model.sample_rate
    if getattr(model, "clip_samples", None):
        return model.clip_samples / model.sample_rate
    return float(getattr(model, "clip_seconds", 1.0))


class StepClock:
    """A Keras callback noting the time at the end of every training step."""

    def __new__(cls):
        import keras

        class _Clock(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.times = []

            def on_train_batch_end(self, batch, logs=None):
                self.times.append(time.perf_counter())

        return _Clock()


def measure(family_name, variant, batch_size, warmup, steps):
    """One (family, variant) in this process: a dict for the table."""
    import resource

    import keras

    from gan_audio.data import find_audio_files
    from gan_audio.registry import get_family

    if variant == "bf16":
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    family = get_family(family_name)
    labelled = family.labels == "required"
    extra = {"num_classes": 10, "class_names": find_audio_files("spoken_digits").class_names} if labelled else {}
    keras.utils.set_random_seed(0)
    preset = PRESETS.get(family_name, "default")
    model = family.model_class.from_preset(preset, seed=0, **extra)
    model.compile(**family.model_class.compile_kwargs(preset), **({"jit_compile": True} if variant == "xla" else {}))
    data = family.make_dataset(model, {"data": "spoken_digits", "batch_size": batch_size, "seed": 0,
                                       "labelled": labelled})
    # one `fit` (one data iterator): a whole pass first, untimed, which traces (and compiles) and fills the
    # pipeline's in-memory cache of decoded clips; then `steps` timed steps on the same iterator
    warm = max(warmup, data.steps_per_pass)
    clock = StepClock()
    model.fit(data.dataset, epochs=1, steps_per_epoch=warm + steps, verbose=0, callbacks=[clock])
    seconds = clock.times[-1] - clock.times[warm - 1]
    examples = batch_size * steps / seconds
    return {"family": f"{family_name} `{preset}`", "variant": variant, "examples_per_s": examples,
            "audio_s_per_s": examples * seconds_per_example(model),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", nargs="+", help="families (default: all)")
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS),
                        help="what to time (default: all three)")
    parser.add_argument("--batch-size", type=int, default=16, help="examples per step (default: 16)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first (default: 3)")
    parser.add_argument("--steps", type=int, default=30, help="timed steps (default: 30)")
    parser.add_argument("--one", nargs=2, metavar=("FAMILY", "VARIANT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print("RESULT", json.dumps(measure(*args.one, args.batch_size, args.warmup, args.steps)))
        return 0
    from gan_audio.registry import FAMILIES

    families = args.families or sorted(FAMILIES)
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="3")
    print(f"batch {args.batch_size}, one untimed pass over the files (>= {args.warmup} steps) + {args.steps} "
          f"timed steps in the same fit, {os.cpu_count()} CPUs, "
          f"1-min load average {os.getloadavg()[0]:.2f} before; one fresh process per row")
    print("| family | variant | examples/s | audio s/s | × float32 | peak memory (MB) |")
    print("|---|---|---:|---:|---:|---:|")
    for family in families:
        base = None
        for variant in args.variants:
            done = subprocess.run([sys.executable, __file__, "--one", family, variant, "--batch-size",
                                   str(args.batch_size), "--warmup", str(args.warmup), "--steps", str(args.steps)],
                                  capture_output=True, text=True, env=env, cwd=ROOT)
            if done.returncode or "RESULT" not in done.stdout:
                error = (done.stderr.strip().splitlines() or ["no output"])[-1][:100].replace("|", "/")
                print(f"| {family} | {variant} | fails: {error} | | | |", flush=True)
                continue
            r = json.loads(done.stdout.split("RESULT", 1)[1])
            base = r["examples_per_s"] if variant == "float32" else base
            ratio = f"{r['examples_per_s'] / base:.2f}" if base else "-"
            print(f"| {r['family']} | {variant} | {r['examples_per_s']:.1f} | {r['audio_s_per_s']:.1f} | {ratio} "
                  f"| {r['peak_mb']:.0f} |", flush=True)
    print(f"1-min load average {os.getloadavg()[0]:.2f} after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
