"""WaveNet sampling: the Gumbel-max trick (today) against inverting the softmax's CDF, in the whole fast loop.

    python benchmarks/wavenet_sampling.py                    # the `default` stack, 1 and 16 streams
    python benchmarks/wavenet_sampling.py --streams 1 --samples 16384 --repeats 7

Both samplers draw from ``softmax(logits / T)`` with Philox bits keyed
``[seed, step]``: today's `sample_codes` takes Q uniforms per stream and
returns ``argmax(logits / T - log(-log u))``; the inverse CDF (built here)
takes one uniform per stream and counts the cumulative probabilities below
it. Each is swapped into `wavenet_generation` in turn and timed in
`fast_generate` (XLA, chunks of 512 samples) of the untrained `default`
stack with the same weights, interleaved `--repeats` times; the best and
median samples/s are printed. Beside them, the share of samples the XLA
loop and the plain loop (an export's ``generate_xla`` and ``generate``)
give alike for the same seed (`--agree-samples` per stream, the same
streams). First, both draw 20,000 codes from fixed logits, and their
histograms' total variation distance to the softmax is printed (same
distribution: both near 0, at the sampling noise of 20,000 draws). One
run, this machine's CPU.
"""
import argparse
import time

import numpy as np
import tensorflow as tf

from gan_audio.models import WaveNet
from gan_audio.models.wavenet import wavenet_generation
from gan_audio.models.wavenet.wavenet_sampling import sample_codes, uniform_draws


def inverse_cdf_codes(logits, temperature, seed, step):
    """The number of cumulative probabilities of ``softmax(logits / T)`` below one uniform per row."""
    logits = tf.cast(logits, tf.float32)
    cumulative = tf.cumsum(tf.nn.softmax(logits / tf.cast(temperature, tf.float32), axis=-1), axis=-1)
    below = tf.reduce_sum(tf.cast(cumulative < uniform_draws(tf.shape(logits)[:1], seed, step)[:, None], tf.int32), -1)
    return tf.minimum(below, tf.shape(logits)[-1] - 1)


def exponential_race_codes(logits, temperature, seed, step):
    """Today's draws and argmax, one logarithm fewer: ``argmax(log(u) · exp((max - logits) / T))`` is
    ``-exp(-(g + logits / T - max / T))``, increasing in Gumbel-max's score, so it picks the same code."""
    scaled = tf.cast(logits, tf.float32) / tf.cast(temperature, tf.float32)
    race = tf.math.log(uniform_draws(tf.shape(scaled), seed, step)) * tf.exp(
        tf.reduce_max(scaled, axis=-1, keepdims=True) - scaled)
    return tf.argmax(race, axis=-1, output_type=tf.int32)


SAMPLERS = {"Gumbel-max, Q uniforms per sample (today)": sample_codes,
            "inverse CDF, 1 uniform per sample": inverse_cdf_codes,
            "exponential race: today's uniforms, 1 log + 1 exp each": exponential_race_codes}


def distance_to_softmax(sampler, draws=20000, temperature=0.8):
    logits = tf.constant(np.random.default_rng(0).normal(0, 2, (1, 256)), tf.float32)
    steps = tf.range(draws)
    codes = tf.map_fn(lambda s: sampler(logits, temperature, 7, s)[0], steps, fn_output_signature=tf.int32)
    histogram = np.bincount(codes.numpy(), minlength=256) / draws
    return 0.5 * float(np.abs(histogram - tf.nn.softmax(logits[0] / temperature).numpy()).sum())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 16], help="streams per call (default: 1 16)")
    parser.add_argument("--samples", type=int, default=8192, help="samples per stream and call (default: 8192)")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved timings per sampler (default: 5)")
    parser.add_argument("--agree-samples", type=int, default=8000,
                        help="samples per stream compared between the XLA and plain loops (default: 8000)")
    args = parser.parse_args(argv)
    for name, sampler in SAMPLERS.items():
        print(f"{name}: total variation to the softmax over 20,000 draws {distance_to_softmax(sampler):.4f}")
    model = WaveNet.from_preset("default", seed=0)
    rows = []
    for streams in args.streams:
        labels = [0] * streams
        speeds, agree = {name: [] for name in SAMPLERS}, {}
        for name, sampler in SAMPLERS.items():
            wavenet_generation.sample_codes = sampler
            wavenet_generation._FAST.pop(model, None)
            codes = [wavenet_generation.fast_generate(model, args.agree_samples, streams, labels, 1.0, 3,
                                                      jit_compile=jit) for jit in (False, True)]
            agree[name] = float(np.mean(codes[0] == codes[1]))
        for _ in range(args.repeats):
            for name, sampler in SAMPLERS.items():
                wavenet_generation.sample_codes = sampler
                wavenet_generation._FAST.pop(model, None)  # retrace the loop with this sampler
                model.generate(streams, labels=labels, seed=0, num_samples=512)  # compile
                start = time.perf_counter()
                model.generate(streams, labels=labels, seed=1, num_samples=args.samples)
                speeds[name].append(streams * args.samples / (time.perf_counter() - start))
        wavenet_generation.sample_codes = sample_codes
        today = max(speeds[next(iter(SAMPLERS))])
        for name, values in speeds.items():
            rows.append((streams, name, max(values), float(np.median(values)), max(values) / today, agree[name]))
            print(f"{streams} streams, {name}: {[round(v) for v in values]}", flush=True)
    print(f"\nThe `default` stack's fast loop (XLA), {args.samples} samples per stream, best and median of "
          f"{args.repeats} interleaved calls\n")
    print("| streams | sampler | best samples/s | median samples/s | best × today | XLA and plain loops alike |\n"
          "|---:|---|---:|---:|---:|---:|")
    for streams, name, best, median, ratio, alike in rows:
        print(f"| {streams} | {name} | {best:,.0f} | {median:,.0f} | {ratio:.2f} | {alike:.1%} |")


if __name__ == "__main__":
    main()
