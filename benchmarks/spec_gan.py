"""What the judge hears in SpecGAN's words, against training time (DenseGAN beside it).

    python benchmarks/spec_gan.py                               # SpecGAN 5 10 20 40 min, DenseGAN 5 10 min
    python benchmarks/spec_gan.py --minutes 5 --dense-minutes   # a quick look, SpecGAN only

Trains the label-conditional `default` preset of each family on all of
`spoken_digits` (batch 32, seed 0) and, whenever the training clock (evaluation
excluded) passes a checkpoint, generates 200 clips (20 per word, Griffin-Lim
audio) and has the judge score them against 200 real clips
(`gan_audio.evaluation.evaluate_target`): conditional accuracy (chance: 10 %),
classifier score (real clips: about 9.9 of 10) and the Fréchet distance of
the judge's embeddings. One run, on this machine's 2 CPU cores.
"""
import argparse
import time

import keras

from gan_audio.evaluation import evaluate_target
from gan_audio.judge import load_judge
from gan_audio.models import DenseGAN, SpecGAN
from gan_audio.recipes import spectrogram_gan_dataset

METRICS = ("conditional accuracy", "classifier score", "Fréchet distance (judge embeddings)")


def run(model_class, minutes, judge, steps_per_block=50):
    keras.utils.set_random_seed(0)
    model = model_class.from_preset("default", conditional=True, num_classes=10, seed=0)
    data = spectrogram_gan_dataset(model, {"data": "spoken_digits", "labelled": True, "seed": 0})
    model.compile(**model_class.compile_kwargs("default"))
    clock, steps, rows = 0.0, 0, []
    for checkpoint in sorted(minutes):
        while clock < 60 * checkpoint:
            start = time.perf_counter()
            model.fit(data.dataset, epochs=1, steps_per_epoch=steps_per_block, verbose=0)
            clock += time.perf_counter() - start
            steps += steps_per_block
        scores = evaluate_target(model, data.class_names, num=200, judge=judge)
        rows.append((model_class.__name__, checkpoint, steps, scores))
        print_row(*rows[-1])
    return rows


def print_row(name, minutes, steps, scores):
    cells = [f"{scores[m]['model']:.3f}" for m in METRICS]
    ratio = scores["classifier score"]["model"] / scores["classifier score"]["real data"]
    print(f"| {name} | {minutes} | {steps} | " + " | ".join(cells) + f" | {ratio:.2f} |", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[5, 10, 20, 40], help="SpecGAN checkpoints")
    parser.add_argument("--dense-minutes", type=float, nargs="*", default=[5, 10], help="DenseGAN checkpoints")
    args = parser.parse_args(argv)
    judge = load_judge()
    print("| model | training minutes | steps | conditional accuracy | classifier score | Fréchet distance "
          "| classifier score / real |\n|---|---:|---:|---:|---:|---:|---:|", flush=True)
    rows = run(SpecGAN, args.minutes, judge)
    if args.dense_minutes:
        rows += run(DenseGAN, args.dense_minutes, judge)
    real = rows[0][3]
    print(f"| real clips | - | - | {real['conditional accuracy']['real data']:.3f} | "
          f"{real['classifier score']['real data']:.3f} | "
          f"{real['Fréchet distance (judge embeddings)']['real data']:.3f} | 1.00 |")


if __name__ == "__main__":
    main()
