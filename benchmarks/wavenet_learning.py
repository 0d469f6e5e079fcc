"""Does a WaveNet learn speech it has never heard? Bits per sample on held-out voices while training.

    python benchmarks/wavenet_learning.py                      # `default`, 200 steps of batch 8
    python benchmarks/wavenet_learning.py --preset article5 --steps 400 --every 100

Trains a preset with `model.fit` on `wavenet_dataset` (0.5 s crops, the word
as the label for label-conditional presets) of the 21 training voices of
`spoken_digits` and reports, every `--every` steps, the next-sample
cross-entropy in bits per sample on fixed crops of the 9 held-out voices
(`SPOKEN_DIGITS_TEST_VARIANTS`) and of the training voices. Two references
on the same held-out crops: 8 bits (a uniform guess over 256 codes) and the
*unigram* model (the training crops' μ-law code histogram, no context:
what a model that ignores the past can reach). One run, this machine's CPU.
"""
import argparse
import math
import time

import numpy as np

from gan_audio.data import SPOKEN_DIGITS_TEST_VARIANTS, find_audio_files, speaker_split, spoken_digits_variant
from gan_audio.models import WaveNet
from gan_audio.recipes import wavenet_dataset


def fixed_batches(model, files, count, seed):
    data = wavenet_dataset(model, {"data": files, "batch_size": 8, "seed": seed}).dataset
    return [batch for batch, _ in zip(data, range(count))]


def bits(model, batches):
    values = [model.test_on_batch(*(b if isinstance(b, tuple) else (b,)), return_dict=True)["bits_per_sample"]
              for b in batches]
    return float(np.mean(values))


def unigram_bits(model, train, test):
    def codes(batches):
        return np.concatenate([model.encode(b[0] if isinstance(b, tuple) else b).numpy().ravel() for b in batches])

    counts = np.bincount(codes(train), minlength=model.quantization_channels) + 1.0  # add-one smoothing
    probabilities = counts / counts.sum()
    return float(-np.mean(np.log2(probabilities[codes(test)])))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="default", help="WaveNet preset (default: default)")
    parser.add_argument("--steps", type=int, default=200, help="training steps of batch 8")
    parser.add_argument("--every", type=int, default=50, help="evaluate every this many steps")
    parser.add_argument("--eval-batches", type=int, default=6, help="fixed batches of 8 crops per evaluation")
    args = parser.parse_args(argv)
    files = find_audio_files("spoken_digits")
    train_files, test_files = speaker_split(files, SPOKEN_DIGITS_TEST_VARIANTS, speaker_fn=spoken_digits_variant)
    config = WaveNet.PRESETS[args.preset]["config"]
    labels = {"num_classes": len(files.class_names), "class_names": files.class_names} if "num_classes" in config else {}
    model = WaveNet.from_preset(args.preset, seed=0, **labels)
    model.compile(**WaveNet.compile_kwargs(args.preset))
    data = wavenet_dataset(model, {"data": train_files, "batch_size": 8, "seed": 0}).dataset
    held_out = fixed_batches(model, test_files, args.eval_batches, seed=1)
    seen = fixed_batches(model, train_files, args.eval_batches, seed=2)
    print(f"WaveNet {args.preset!r}: receptive field {model.receptive_field}, {model.count_params():,} weights; "
          f"unigram (no context) on held-out voices: {unigram_bits(model, seen, held_out):.2f} bits/sample, "
          f"uniform: {math.log2(model.quantization_channels):.2f}\n")
    print("| steps | minutes | bits/sample, held-out voices | bits/sample, training voices |")
    print("|---:|---:|---:|---:|")
    start, done = time.perf_counter(), 0
    for target in [0] + list(range(args.every, args.steps + 1, args.every)):
        if target > done:
            model.fit(data, steps_per_epoch=target - done, epochs=1, verbose=0)
            done = target
        minutes = (time.perf_counter() - start) / 60
        print(f"| {done} | {minutes:.1f} | {bits(model, held_out):.3f} | {bits(model, seen):.3f} |", flush=True)


if __name__ == "__main__":
    main()
