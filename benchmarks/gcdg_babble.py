"""A babble texture model against what it must beat, on babble of voices it never heard.

    python benchmarks/gcdg_babble.py --model saved_models/gcdg_babble
    python benchmarks/gcdg_babble.py --model runs/my_gcdg saved_models/gcdg_babble --draws 1

The reference is `--num` clips of babble (4, 8 and 16 talkers, seed 1) built
from the 9 held-out voices of `spoken_digits` (`SPOKEN_DIGITS_TEST_VARIANTS`),
as in `benchmarks/gcdg_ablation.py`. Each row is `--num` clips, scored with
`gan_audio.metrics.texture_distance` (0 = the reference's McDermott-Simoncelli
statistics; lower is better) and `texture_diversity` (1 = as varied as the
reference), mean ± std over `--draws` draws (seeds 0, 1, ...):

- babble of the 21 training voices (what the models train on; its distance is
  the floor a model of those voices can reach),
- Gaussian noise with the training babble's long-term spectrum
  (`spectrum_matched_noise`: the spectrum right, none of the structure in time),
- white noise at the same level,
- each `--model` (export or run), through its ``generate`` endpoint (seed =
  the draw).
"""
import argparse
import os
import sys
import time

import numpy as np

from gan_audio.data import SPOKEN_DIGITS_TEST_VARIANTS, find_audio_files, speaker_split, spoken_digits_variant
from gan_audio.data.textures import babble_clips, spectrum_matched_noise
from gan_audio.metrics import texture_distance, texture_diversity

RATE, SECONDS = 16000, 2.0


def score(clips, reference):
    return (texture_distance(reference, clips, sample_rate=RATE),
            texture_diversity(clips, reference, sample_rate=RATE))


def model_clips(path, num, seed):
    from gan_audio.serving import synthesize
    from gan_audio.sources import open_source

    target, _ = open_source(path)
    waves = np.asarray(synthesize(target, num, seed=seed)["waveform"], dtype=np.float32)
    if waves.shape[1] < int(RATE * SECONDS):
        raise ValueError(f"{path}: makes {waves.shape[1]} samples a clip; the reference clips have "
                         f"{int(RATE * SECONDS)} (2 s at 16 kHz).")
    return waves[:, :int(RATE * SECONDS)]


def row(name, draws):
    distances, diversities = zip(*draws)

    def cell(values, fmt):
        return fmt.format(values[0]) if len(values) == 1 else f"{fmt.format(np.mean(values))} ± {fmt.format(np.std(values))}"

    return f"| {name} | {cell(distances, '{:.3f}')} | {cell(diversities, '{:.2f}')} |"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--model", nargs="*", default=[], help="exports or runs of a babble texture model")
    parser.add_argument("--num", type=int, default=48, help="clips per row and reference clips")
    parser.add_argument("--draws", type=int, default=3, help="draws (seeds) per row")
    args = parser.parse_args(argv)
    train_files, test_files = speaker_split(find_audio_files("spoken_digits"), SPOKEN_DIGITS_TEST_VARIANTS,
                                            speaker_fn=spoken_digits_variant)
    samples = int(RATE * SECONDS)
    reference = babble_clips(test_files, RATE, samples, num_textures=args.num, seed=1)
    training = babble_clips(train_files, RATE, samples, num_textures=512, seed=0)
    print(f"Babble textures (4, 8, 16 talkers, 2 s, 16 kHz) scored against {args.num} clips of the held-out voices "
          f"{', '.join(SPOKEN_DIGITS_TEST_VARIANTS)}; {args.draws} draws of {args.num} clips per row.", flush=True)
    lines = ["| texture | texture distance to held-out babble (lower is better) | diversity (1 = real) |",
             "|---|---:|---:|"]
    rng = np.random.default_rng(0)
    lines.append(row("babble of the 21 training voices",
                     [score(training[rng.choice(len(training), args.num, replace=False)], reference)
                      for _ in range(args.draws)]))
    lines.append(row("noise with the training babble's long-term spectrum",
                     [score(spectrum_matched_noise(training, args.num, seed=d), reference) for d in range(args.draws)]))
    lines.append(row("white noise",
                     [score((0.1 * np.random.default_rng(d).standard_normal((args.num, samples))).astype(np.float32),
                            reference) for d in range(args.draws)]))
    for path in args.model:
        if not os.path.exists(path):
            raise SystemExit(f"--model {path}: no such export or run.")
        start = time.perf_counter()
        draws = [score(model_clips(path, args.num, seed=d), reference) for d in range(args.draws)]
        print(f"{path}: {time.perf_counter() - start:.0f} s", flush=True)
        lines.append(row(path, draws))
    print("\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
