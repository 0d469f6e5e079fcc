"""WaveNet generation speed: naive (re-run the receptive field per sample) vs fast (ring-buffer queues).

    python benchmarks/wavenet_generation.py                 # receptive fields 65 … 4097, 1 and 16 streams
    python benchmarks/wavenet_generation.py --layers 6 10   # a quick look

Each stack is kernel 2, 64 residual/gate and 128 skip channels (the `default`
preset's widths, unconditional, untrained weights: speed does not depend on
them). One stack of L layers has a receptive field of 2^L + 1 samples; ``2x10``
is the `default` preset's 2 stacks of 10 (2048). Each configuration runs in a
fresh process (for its peak memory):

- naive: the per-sample cost in steady state, a traced call of the model on a
  full receptive field window for every stream and the sampling of one code,
  averaged over `--naive-calls` calls;
- fast: `gan_audio.models.wavenet.wavenet_generation.fast_generate`, `--samples`
  samples per stream after a warm-up call (tracing and XLA compilation are
  not counted), without and with XLA (`jit_compile`).

samples/s counts samples of one stream times streams. Peak memory is the
process's peak resident set (TensorFlow itself takes several hundred MB).
One run on this machine's 2 CPU cores.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time


def measure(layers, stacks, streams, samples, naive_calls):
    import numpy as np
    import tensorflow as tf

    from gan_audio.models import WaveNet
    from gan_audio.models.wavenet import wavenet_generation as generation

    model = WaveNet(residual_channels=64, gate_channels=64, skip_channels=128, kernel_size=2,
                    layers_per_stack=layers, stacks=stacks, input_kernel_size=2)
    rf = model.receptive_field
    result = {"receptive_field": rf, "layers": layers * stacks, "streams": streams}
    last_logits = tf.function(lambda codes: model(codes)[:, -1])
    window = tf.fill([streams, rf], model.silence_code)
    generation.sample_codes(last_logits(window), 1.0, 0, 0)  # trace
    start = time.perf_counter()
    for step in range(naive_calls):
        generation.sample_codes(last_logits(window), 1.0, 0, step).numpy()
    result["naive"] = streams * naive_calls / (time.perf_counter() - start)
    for jit in (False, True):
        generation.fast_generate(model, 64, num=streams, jit_compile=jit)  # trace / compile
        start = time.perf_counter()
        codes = generation.fast_generate(model, samples, num=streams, jit_compile=jit)
        result["fast_xla" if jit else "fast"] = streams * samples / (time.perf_counter() - start)
        assert np.asarray(codes).shape == (streams, samples)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def table(rows):
    print("\n| receptive field | layers | streams | naive samples/s | fast samples/s | fast (XLA) samples/s "
          "| fast/naive | fast (XLA)/naive | peak memory (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['receptive_field']} | {r['layers']} | {r['streams']} | {r['naive']:,.0f} | {r['fast']:,.0f} "
              f"| {r['fast_xla']:,.0f} | {r['fast'] / r['naive']:.1f}× | {r['fast_xla'] / r['naive']:.1f}× "
              f"| {r['peak_mb']:,.0f} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--layers", nargs="+", default=["6", "8", "10", "2x10", "2x11"],
                        help="stacks: L (one stack of L layers) or SxL")
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--samples", type=int, default=4096, help="samples per stream, fast generation")
    parser.add_argument("--naive-calls", type=int, default=20, help="samples per stream, naive generation")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: one configuration, JSON out
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(**json.loads(args.one))))
        return 0
    rows = []
    for spec in args.layers:
        stacks, layers = (int(v) for v in spec.split("x")) if "x" in spec else (1, int(spec))
        for streams in args.streams:
            one = json.dumps({"layers": layers, "stacks": stacks, "streams": streams, "samples": args.samples,
                              "naive_calls": args.naive_calls})
            done = subprocess.run([sys.executable, os.path.abspath(__file__), "--one", one], capture_output=True,
                                  text=True, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
            if done.returncode:
                raise RuntimeError(f"{spec}, {streams} streams failed:\n{done.stderr[-2000:]}")
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"{spec} x {streams} streams: {rows[-1]}", flush=True)
    table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
