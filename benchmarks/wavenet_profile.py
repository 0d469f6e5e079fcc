"""Where fast WaveNet generation spends its time: a profile by parts, for 1 and 16 streams.

    python benchmarks/wavenet_profile.py                   # the `default` stack (2 x 10 layers, 64/128 channels)
    python benchmarks/wavenet_profile.py --streams 1 --samples 4000

XLA fuses the whole per-sample loop into one compiled program, so per-op
traces say little. Instead each part of the loop body runs alone in the same
kind of XLA-compiled `tf.while_loop` (the same layers, shapes and weights,
each step depending on the last so nothing is hoisted), and parts are added
one at a time:

1. the gated blocks' per-sample matrix products and gates (`GatedResidualBlock.step`);
2. + the output head (ReLU → 1x1 → ReLU → 1x1 to 256 logits);
3. + sampling (stateless Gumbel noise keyed by seed and step, argmax);
4. the whole fast loop (`fast_generate`, XLA): + input embedding, the
   ring buffers (all layers' queues are rows of one flat buffer: one gather
   reads every layer's past taps, one scatter writes the new inputs) and
   collecting the codes.

Each row's increment is that part's cost per generated sample. The weights'
size and the multiply-adds per sample are printed beside them, as the
effective bandwidth and arithmetic rate. One run on this machine's CPU threads.
"""
import argparse
import time

import numpy as np
import tensorflow as tf

from gan_audio.models import WaveNet
from gan_audio.models.wavenet import wavenet_generation as generation


def looped(model, streams, steps, parts):
    """An XLA loop of `steps` running the loop body's `parts` ("blocks", "head", "sample")."""
    channels = model.residual_channels

    @tf.function(jit_compile=True)
    def run(x0):
        def body(step, x, total):
            skips = 0.0
            for block in model.blocks:
                taps = tf.stack([x] * block.kernel_size, axis=1)
                x, skip = block.step(taps, None)
                skips = skips + skip
            out = tf.reduce_sum(skips, axis=1)
            if "head" in parts:
                logits = model.head(skips)
                out = tf.reduce_sum(logits, axis=1)
                if "sample" in parts:
                    out = tf.cast(generation.sample_codes(logits, 1.0, 0, step), tf.float32)
            x = x + 1e-6 * out[:, None]  # the next step depends on this one
            return step + 1, x, total + out

        return tf.while_loop(lambda step, *_: step < steps, body,
                             (tf.constant(0), x0, tf.zeros([streams])))[2]

    x0 = tf.random.normal([streams, channels], seed=0) * 0.1
    return lambda: run(x0).numpy()


def per_sample_us(function, samples):
    function()  # compile
    times = []
    for _ in range(3):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1e6 * float(np.median(times)) / samples


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 16], help="streams per loop")
    parser.add_argument("--samples", type=int, default=4096, help="samples per stream per timed call")
    args = parser.parse_args(argv)
    model = WaveNet.from_preset("default", num_classes=None)
    weights = sum(int(np.prod(w.shape)) for b in model.blocks for w in b.weights) + sum(
        int(np.prod(w.shape)) for w in model.head_hidden.weights + model.head_logits.weights)
    print(f"`default` stack: {len(model.blocks)} layers, receptive field {model.receptive_field}, "
          f"{weights:,} weights read per step ({4 * weights / 2**20:.1f} MiB float32)\n")
    print("| streams | part | us per step | increment (us) | share | samples/s |")
    print("|---:|---|---:|---:|---:|---:|")
    for streams in args.streams:
        steps = args.samples
        rows = [("gated blocks", per_sample_us(looped(model, streams, steps, ()), steps)),
                ("+ head", per_sample_us(looped(model, streams, steps, ("head",)), steps)),
                ("+ sampling", per_sample_us(looped(model, streams, steps, ("head", "sample")), steps)),
                ("whole fast loop (+ embedding, the flat ring buffer)", per_sample_us(
                    lambda: generation.fast_generate(model, steps, num=streams, jit_compile=True), steps))]
        total, previous = rows[-1][1], 0.0
        for name, us in rows:
            print(f"| {streams} | {name} | {us:.1f} | {us - previous:+.1f} | {(us - previous) / total:.0%} | "
                  f"{streams * 1e6 / us:,.0f} |")
            previous = us
        blocks = rows[0][1]
        print(f"| {streams} | (blocks: {4 * weights / blocks / 1e3:.1f} GB/s of weights, "
              f"{2 * streams * weights / blocks / 1e3:.1f} GFLOP/s) | | | | |")


if __name__ == "__main__":
    main()
