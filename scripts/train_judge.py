"""Train the judge (the shipped `WordClassifier`) and measure what it judges.

    python scripts/train_judge.py                      # measure, then train on everything and ship
    python scripts/train_judge.py --measure-only --ablation --unseen /tmp/unseen_digits

1. Measurement: train on the voices of `spoken_digits` outside
   `SPOKEN_DIGITS_TEST_VARIANTS` (21 voices, 420 clips) and print the accuracy
   on the 9 held-out voices (180 clips): as they are, with each word moved to
   the start or end of its clip, and resynthesised from their log-mel by
   Griffin-Lim; with `--unseen DIR` also on a labelled folder of other voices
   and formats (`scripts/make_unseen_voices.py`). `--ablation` trains a second
   model without the Griffin-Lim copies, for comparison.
2. The judge: the same recipe on all 600 clips, written to `gan_audio/judge/`
   (`judge.weights.h5`, and `judge.json` with this command and the table).

The recipe: every training clip plus its Griffin-Lim copy, random shifts of
up to 0.25 s, gains of ±6 dB and white noise 20-80 dB below the clip
(`gan_audio.recipes.AUGMENTATION`), Adam with a cosine decay from 1e-3,
`--epochs` passes. Everything is seeded.
"""
import argparse
import json
import os
import sys
import time

import keras
import numpy as np
import tensorflow as tf

from gan_audio.data import (SPOKEN_DIGITS_TEST_VARIANTS, audio_dataset, find_audio_files, load_audio,
                            speaker_split, spoken_digits_variant)
from gan_audio.data.augment import augmented
from gan_audio.judge import CONFIG_FILE, WEIGHTS_FILE
from gan_audio.judge.robustness import accuracy, move_words, resynthesize
from gan_audio.models import WordClassifier
from gan_audio.recipes import AUGMENTATION

PRESET = "default"


def clips_of(files):
    """`(waveforms (N, 16000), labels (N,))`, centred, in file order."""
    waves = audio_dataset(files, batch_size=100, shuffle=False, training=False)
    x, y = zip(*[(w.numpy(), l.numpy()) for w, l in waves])
    return np.concatenate(x), np.concatenate(y)


def train(x, y, class_names, epochs, seed, griffin_lim_copies=True):
    keras.utils.set_random_seed(seed)
    if griffin_lim_copies:
        x, y = np.concatenate([x, resynthesize(x)]), np.concatenate([y, y])
    data = tf.data.Dataset.from_tensor_slices((x, y.astype("int32"))).shuffle(len(x), seed=seed).batch(32)
    data = augmented(data, seed=seed, **AUGMENTATION)
    model = WordClassifier.from_preset(PRESET, num_classes=len(class_names), class_names=class_names, seed=seed)
    compile_kwargs = WordClassifier.compile_kwargs(PRESET)
    steps = epochs * int(np.ceil(len(x) / 32))
    compile_kwargs["optimizer"] = keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, steps))
    model.compile(**compile_kwargs)
    model.fit(data.prefetch(tf.data.AUTOTUNE), epochs=epochs, verbose=2)
    return model


def unseen_set(folder, class_names):
    files = find_audio_files(folder)
    x = [load_audio(p, sample_rate=16000) for p in files.paths]
    y = [class_names.index(files.class_names[label]) for label in files.labels]
    return x, np.asarray(y)


def unseen_accuracy(model, clips, labels):
    predicted = [int(model.serve(waveform=clip[None])["label"][0]) for clip in clips]
    return float(np.mean(np.asarray(predicted) == labels))


def measure(args, files):
    train_files, test_files = speaker_split(files, SPOKEN_DIGITS_TEST_VARIANTS, speaker_fn=spoken_digits_variant)
    (x, y), (tx, ty) = clips_of(train_files), clips_of(test_files)
    sets = {"held-out voices": tx, "held-out voices, words moved": move_words(tx),
            "held-out voices, Griffin-Lim resynthesis": resynthesize(tx)}
    unseen = unseen_set(args.unseen, files.class_names) if args.unseen else None
    variants = [("judge recipe", True)] + ([("without Griffin-Lim copies", False)] if args.ablation else [])
    table = {}
    for name, copies in variants:
        start = time.perf_counter()
        model = train(x, y, files.class_names, args.epochs, args.seed, griffin_lim_copies=copies)
        column = {label: accuracy(model, clips, ty) for label, clips in sets.items()}
        if unseen:
            column["10 other voices, 5 formats and rates (make_unseen_voices.py)"] = unseen_accuracy(model, *unseen)
        column["training seconds"] = round(time.perf_counter() - start)
        table[name] = column
    return table


def print_table(table):
    names = list(table)
    print("| test set (trained on 21 voices) | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for row in table[names[0]]:
        cells = [table[n][row] for n in names]
        print(f"| {row} | " + " | ".join(f"{c:.1%}" if isinstance(c, float) else str(c) for c in cells) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40, help="passes over the training clips (default: 40)")
    parser.add_argument("--seed", type=int, default=0, help="(default: 0)")
    parser.add_argument("--unseen", help="a labelled folder of other voices (scripts/make_unseen_voices.py)")
    parser.add_argument("--ablation", action="store_true", help="also train without the Griffin-Lim copies")
    parser.add_argument("--measure-only", action="store_true", help="do not train and write the shipped judge")
    args = parser.parse_args(argv)
    files = find_audio_files("spoken_digits")
    table = measure(args, files)
    print_table(table)
    if args.measure_only:
        return
    x, y = clips_of(files)
    model = train(x, y, files.class_names, args.epochs, args.seed)
    model.save_weights(WEIGHTS_FILE)
    command = "python scripts/train_judge.py " + " ".join(argv if argv is not None else sys.argv[1:])
    info = {"config": model.get_config(), "command": command.strip(), "epochs": args.epochs, "seed": args.seed,
            "trained_on": "all 600 clips of spoken_digits (+ Griffin-Lim copies)",
            "measured_on_held_out_voices": table["judge recipe"],
            "held_out_variants": list(SPOKEN_DIGITS_TEST_VARIANTS)}
    with open(CONFIG_FILE, "w") as f:
        json.dump(info, f, indent=1)
    print(f"Wrote {WEIGHTS_FILE} ({os.path.getsize(WEIGHTS_FILE) / 1e6:.2f} MB) and {CONFIG_FILE}")


if __name__ == "__main__":
    main()
