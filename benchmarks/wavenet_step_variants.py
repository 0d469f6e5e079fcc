"""Two levers for the WaveNet's per-sample step, timed beside the step it runs today.

    python benchmarks/wavenet_step_variants.py                 # the `default` stack, one stream
    python benchmarks/wavenet_step_variants.py --streams 1 16

Issue 20 §3 names the levers for reaching real time from the export: fewer,
wider products per step, and smaller weights. Each variant runs the
`default` stack's 20 gated blocks (untrained weights: speed does not depend
on them) in the same kind of XLA-compiled `tf.while_loop` as
`wavenet_profile.py` (each step depends on the last, so nothing is hoisted):

1. `GatedResidualBlock.step`, as `fast_generate` runs it: per block, the
   stacked taps times the ``(K R, 2G)`` kernel, then the skip and the
   residual products (3 products per block);
2. fewer, wider products: the past taps of all blocks (all known before the
   step: they were written at earlier steps) times their kernels in one
   batched product, then per block the current tap's product and one
   product for skip and residual together (2 per block + 1);
3. int8 weights: the products of 1 with int8 kernels (a scale per output
   channel) and the activations quantised per step (one scale each), int32
   accumulation.

Each row gives samples/s (median of `--repeats` calls, the variants
interleaved), the ratio to row 1, and the largest difference of one step's
summed skips from row 1's, relative to its largest value (what the variant
changes in the numbers). One run, this machine's CPU.
"""
import argparse
import time

import numpy as np
import tensorflow as tf

from gan_audio.models import WaveNet


def _tensor(variable):
    return tf.convert_to_tensor(variable)


def _quantised(kernel):
    """``(I, O)`` float kernel → int8 kernel and per-output scales."""
    scales = np.maximum(np.abs(kernel).max(axis=0), 1e-12) / 127.0
    return tf.constant(np.round(kernel / scales).astype(np.int8)), tf.constant(scales.astype(np.float32))


def _int8_product(x, kernel, scales):
    scale = tf.reduce_max(tf.abs(x)) / 127.0 + 1e-12
    codes = tf.cast(tf.round(x / scale), tf.int8)
    return tf.cast(tf.linalg.matmul(codes, kernel, output_type=tf.int32), tf.float32) * (scale * scales)


def step_functions(model):
    """``{variant: step(x (B, R), past (L, B, R)) → (x, skips)}``."""
    blocks, kernel_size = model.blocks, model.blocks[0].kernel_size
    if kernel_size != 2:
        raise SystemExit("These variants are written for kernel size 2 (the presets' WaveNets).")
    skip_channels = blocks[0].skip_channels

    def current(x, past):
        skips = 0.0
        for l, block in enumerate(blocks):
            x, skip = block.step(tf.stack([past[l], x], axis=1))
            skips = skips + skip
        return x, skips

    def wider(x, past):
        kernels = [_tensor(b.kernel) for b in blocks]
        past_kernels = tf.stack([k[0] for k in kernels])  # (L, R, 2G)
        biases = tf.stack([_tensor(b.bias) for b in blocks])
        pre_past = tf.einsum("lbr,lrg->lbg", past, past_kernels) + biases[:, None]
        skips = 0.0
        for l, block in enumerate(blocks):
            filters, gates = tf.split(pre_past[l] + tf.matmul(x, kernels[l][1]), 2, axis=-1)
            z = tf.tanh(filters) * tf.sigmoid(gates)
            out_kernel = [_tensor(block.skip_kernel)] + ([_tensor(block.residual_kernel)] if block.residual else [])
            out_bias = [_tensor(block.skip_bias)] + ([_tensor(block.residual_bias)] if block.residual else [])
            out = tf.matmul(z, tf.concat(out_kernel, 1)) + tf.concat(out_bias, 0)
            skips = skips + out[:, :skip_channels]
            if block.residual:
                x = x + out[:, skip_channels:]
        return x, skips

    quantised = [{name: _quantised(np.asarray(getattr(b, name)).reshape(-1, getattr(b, name).shape[-1]))
                  for name in ("kernel", "skip_kernel") + (("residual_kernel",) if b.residual else ())}
                 for b in blocks]

    def int8(x, past):
        skips = 0.0
        for l, block in enumerate(blocks):
            q = quantised[l]
            pre = _int8_product(tf.concat([past[l], x], 1), *q["kernel"]) + _tensor(block.bias)
            filters, gates = tf.split(pre, 2, axis=-1)
            z = tf.tanh(filters) * tf.sigmoid(gates)
            skips = skips + _int8_product(z, *q["skip_kernel"]) + _tensor(block.skip_bias)
            if block.residual:
                x = x + _int8_product(z, *q["residual_kernel"]) + _tensor(block.residual_bias)
        return x, skips

    return {"GatedResidualBlock.step (today)": current,
            "fewer, wider products (1 batched + 2 per block)": wider,
            "int8 weights, activations quantised per step": int8}


def looped(step, streams, steps, layers, channels):
    @tf.function(jit_compile=True)
    def run(x0):
        def body(i, x, past, total):
            new_x, skips = step(x, past)
            past = tf.concat([past[1:], x[None]], 0)  # stands in for the ring buffer's reads
            return i + 1, x + 1e-6 * new_x, past, total + tf.reduce_sum(skips, axis=1)

        past0 = tf.zeros([layers, streams, channels])
        return tf.while_loop(lambda i, *_: i < steps, body, (tf.constant(0), x0, past0, tf.zeros([streams])))[3]

    x0 = tf.random.normal([streams, channels], seed=0) * 0.1
    return lambda: run(x0).numpy()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, nargs="+", default=[1], help="streams per loop (default: 1)")
    parser.add_argument("--samples", type=int, default=4096, help="samples per stream per timed call (default: 4096)")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per variant (default: 5)")
    args = parser.parse_args(argv)
    model = WaveNet.from_preset("default", num_classes=None)
    variants = step_functions(model)
    layers, channels = len(model.blocks), model.residual_channels
    x = tf.random.normal([4, channels], seed=1)
    past = tf.random.normal([layers, 4, channels], seed=2)
    reference = variants["GatedResidualBlock.step (today)"](x, past)[1].numpy()
    print("| streams | variant | samples/s | × today | one step's skips: largest difference / largest value |")
    print("|---:|---|---:|---:|---:|")
    for streams in args.streams:
        runs = {name: looped(step, streams, args.samples, layers, channels) for name, step in variants.items()}
        for run in runs.values():
            run()  # compile
        times = {name: [] for name in runs}
        for _ in range(args.repeats):
            for name, run in runs.items():
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
        rates = {name: streams * args.samples / float(np.median(t)) for name, t in times.items()}
        today = rates["GatedResidualBlock.step (today)"]
        for name, step in variants.items():
            error = np.abs(step(x, past)[1].numpy() - reference).max() / np.abs(reference).max()
            print(f"| {streams} | {name} | {rates[name]:,.0f} | {rates[name] / today:.2f} | {error:.1e} |")


if __name__ == "__main__":
    main()
