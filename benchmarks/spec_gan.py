"""What the judge hears in SpecGAN's words, against training time (DenseGAN beside it).

    python benchmarks/spec_gan.py                               # SpecGAN 5 10 20 40 min, DenseGAN 5 10 min
    python benchmarks/spec_gan.py --minutes 5 --dense-minutes   # a quick look, SpecGAN only
    python benchmarks/spec_gan.py --minutes 5 10 --dense-minutes --ema 0.99 0.995 0.999

Trains the label-conditional `default` preset of each family on all of
`spoken_digits` (batch 32, seed 0) and, whenever the training clock (evaluation
excluded) passes a checkpoint, generates 200 clips (20 per word, Griffin-Lim
audio) and has the judge score them against 200 real clips
(`gan_audio.evaluation.evaluate_target`): conditional accuracy (chance: 10 %),
classifier score (real clips: about 9.9 of 10) and the Fréchet distance of
the judge's embeddings. With ``--ema``, the same run also keeps exponential
moving averages of the generator's weights (one per decay, updated after
every step) and scores each at every checkpoint beside the raw generator:
the same steps, so the rows compare equal training. One run, on this
machine's 2 CPU cores.
"""
import argparse
import contextlib
import time

import keras
import numpy as np

from gan_audio.evaluation import evaluate_target
from gan_audio.judge import load_judge
from gan_audio.models import DenseGAN, SpecGAN
from gan_audio.models.adversarial.generator_average import average_of, step_average, without_seed_states
from gan_audio.recipes import spectrogram_gan_dataset

METRICS = ("conditional accuracy", "classifier score", "Fréchet distance (judge embeddings)")


class GeneratorAverages(keras.callbacks.Callback):
    """Moving averages of ``model.generator``'s weights, one per decay, after every batch, at a fixed decay
    (no warm-up: how the README's ``--ema`` rows were measured; the models' own `generator_average` warms up)."""

    def __init__(self, generator, decays):
        super().__init__()
        self.generator, self.decays = generator, tuple(decays)
        self.averages = {d: average_of(generator) for d in self.decays}

    def on_train_batch_end(self, batch, logs=None):
        for decay, averaged in self.averages.items():
            step_average(averaged, self.generator, decay)

    @contextlib.contextmanager
    def swapped_in(self, decay):
        """The generator holds the average of `decay` inside the block, its own weights again after."""
        weights = without_seed_states(self.generator.weights)
        own = [np.array(w) for w in weights]
        for w, a in zip(weights, without_seed_states(self.averages[decay].weights)):
            w.assign(a)
        try:
            yield
        finally:
            for w, value in zip(weights, own):
                w.assign(value)


def run(model_class, minutes, judge, steps_per_block=50, ema=()):
    keras.utils.set_random_seed(0)
    model = model_class.from_preset("default", conditional=True, num_classes=10, seed=0)
    data = spectrogram_gan_dataset(model, {"data": "spoken_digits", "labelled": True, "seed": 0})
    model.compile(**model_class.compile_kwargs("default"))
    averages = GeneratorAverages(model.generator, ema) if ema else None
    clock, steps, rows = 0.0, 0, []
    for checkpoint in sorted(minutes):
        while clock < 60 * checkpoint:
            start = time.perf_counter()
            model.fit(data.dataset, epochs=1, steps_per_epoch=steps_per_block, verbose=0,
                      callbacks=[averages] if averages else None)
            clock += time.perf_counter() - start
            steps += steps_per_block
        scores = evaluate_target(model, data.class_names, num=200, judge=judge)
        rows.append((model_class.__name__, checkpoint, steps, scores))
        print_row(*rows[-1])
        for decay in ema:
            with averages.swapped_in(decay):
                scores = evaluate_target(model, data.class_names, num=200, judge=judge)
            rows.append((f"{model_class.__name__} EMA {decay:g}", checkpoint, steps, scores))
            print_row(*rows[-1])
    return rows


def print_row(name, minutes, steps, scores):
    cells = [f"{scores[m]['model']:.3f}" for m in METRICS]
    ratio = scores["classifier score"]["model"] / scores["classifier score"]["real data"]
    print(f"| {name} | {minutes} | {steps} | " + " | ".join(cells) + f" | {ratio:.2f} |", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="*", default=[5, 10, 20, 40], help="SpecGAN checkpoints")
    parser.add_argument("--dense-minutes", type=float, nargs="*", default=[5, 10], help="DenseGAN checkpoints")
    parser.add_argument("--ema", type=float, nargs="*", default=[],
                        help="also score moving averages of the generator's weights with these decays (default: none)")
    args = parser.parse_args(argv)
    judge = load_judge()
    print("| model | training minutes | steps | conditional accuracy | classifier score | Fréchet distance "
          "| classifier score / real |\n|---|---:|---:|---:|---:|---:|---:|", flush=True)
    rows = run(SpecGAN, args.minutes, judge, ema=args.ema)
    if args.dense_minutes:
        rows += run(DenseGAN, args.dense_minutes, judge, ema=args.ema)
    real = rows[0][3]
    print(f"| real clips | - | - | {real['conditional accuracy']['real data']:.3f} | "
          f"{real['classifier score']['real data']:.3f} | "
          f"{real['Fréchet distance (judge embeddings)']['real data']:.3f} | 1.00 |")


if __name__ == "__main__":
    main()
