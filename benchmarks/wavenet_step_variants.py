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
   residual products (3 products per block), reading the layers' variables;
2. fewer, wider products: the past taps of all blocks (all known before the
   step: they were written at earlier steps) times their kernels in one
   batched product, then per block the current tap's product and one
   product for skip and residual together (2 per block + 1); the kernels
   are stacked and concatenated from the variables once per call, before
   the loop, so no step re-arranges weights;
3. row 1's products with the kernels baked in as constants: the control
   for row 4, whose int8 kernels can only be constants;
4. int8 weights: row 3's products with int8 kernels (a scale per output
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
    """``{variant: (step(x (B, R), past (L, B, R), weights) → (x, skips), arrange() → weights or None)}``."""
    blocks, kernel_size = model.blocks, model.blocks[0].kernel_size
    if kernel_size != 2:
        raise SystemExit("These variants are written for kernel size 2 (the presets' WaveNets).")
    skip_channels = blocks[0].skip_channels

    def current(x, past, w=None):
        skips = 0.0
        for l, block in enumerate(blocks):
            x, skip = block.step(tf.stack([past[l], x], axis=1))
            skips = skips + skip
        return x, skips

    arrays = [{v.path.split("/")[-1]: np.asarray(v) for v in b.weights} for b in blocks]

    def arrange():
        """The wider products' kernels from the variables, once per call before the loop (no step re-stacks)."""
        kernels = [_tensor(b.kernel) for b in blocks]
        outs = [[_tensor(b.skip_kernel)] + ([_tensor(b.residual_kernel)] if b.residual else []) for b in blocks]
        out_biases = [[_tensor(b.skip_bias)] + ([_tensor(b.residual_bias)] if b.residual else []) for b in blocks]
        return {"past": tf.stack([k[0] for k in kernels]), "bias": tf.stack([_tensor(b.bias) for b in blocks])[:, None],
                "current": [k[1] for k in kernels], "out": [tf.concat(o, 1) for o in outs],
                "out_bias": [tf.concat(o, 0) for o in out_biases]}

    stacked_kernels = [tf.constant(a["kernel"].reshape(-1, a["kernel"].shape[-1])) for a in arrays]
    constants = [{name: tf.constant(a[name]) for name in a if name != "kernel"} for a in arrays]

    def current_constants(x, past, w=None):
        skips = 0.0
        for l, block in enumerate(blocks):
            c = constants[l]
            pre = tf.matmul(tf.concat([past[l], x], 1), stacked_kernels[l]) + c["bias"]
            filters, gates = tf.split(pre, 2, axis=-1)
            z = tf.tanh(filters) * tf.sigmoid(gates)
            skips = skips + tf.matmul(z, c["skip_kernel"]) + c["skip_bias"]
            if block.residual:
                x = x + tf.matmul(z, c["residual_kernel"]) + c["residual_bias"]
        return x, skips

    def wider(x, past, w):
        pre_past = tf.einsum("lbr,lrg->lbg", past, w["past"]) + w["bias"]
        skips = 0.0
        for l, block in enumerate(blocks):
            filters, gates = tf.split(pre_past[l] + tf.matmul(x, w["current"][l]), 2, axis=-1)
            z = tf.tanh(filters) * tf.sigmoid(gates)
            out = tf.matmul(z, w["out"][l]) + w["out_bias"][l]
            skips = skips + out[:, :skip_channels]
            if block.residual:
                x = x + out[:, skip_channels:]
        return x, skips

    quantised = [{name: _quantised(np.asarray(getattr(b, name)).reshape(-1, getattr(b, name).shape[-1]))
                  for name in ("kernel", "skip_kernel") + (("residual_kernel",) if b.residual else ())}
                 for b in blocks]

    def int8(x, past, w=None):
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

    return {"GatedResidualBlock.step (today)": (current, None),
            "fewer, wider products (1 batched + 2 per block)": (wider, arrange),
            "today's products, kernels as constants": (current_constants, None),
            "int8 kernels as constants, activations quantised per step": (int8, None)}


def looped(step, arrange, streams, steps, layers, channels):
    @tf.function(jit_compile=True)
    def run(x0):
        weights = arrange() if arrange else None  # before the loop: loop-invariant

        def body(i, x, past, total):
            new_x, skips = step(x, past, weights)
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
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(4, channels)).astype(np.float32))
    past = tf.constant(rng.normal(size=(layers, 4, channels)).astype(np.float32))
    reference = variants["GatedResidualBlock.step (today)"][0](x, past)[1].numpy()
    print("| streams | variant | samples/s | × today | one step's skips: largest difference / largest value |")
    print("|---:|---|---:|---:|---:|")
    for streams in args.streams:
        runs = {name: looped(step, arrange, streams, args.samples, layers, channels)
                for name, (step, arrange) in variants.items()}
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
        for name, (step, arrange) in variants.items():
            error = np.abs(step(x, past, arrange and arrange())[1].numpy() - reference).max() / np.abs(reference).max()
            print(f"| {streams} | {name} | {rates[name]:,.0f} | {rates[name] / today:.2f} | {error:.1e} |")


if __name__ == "__main__":
    main()
