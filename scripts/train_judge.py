"""Train the judge (the shipped `WordClassifier`) and measure what it judges.

    python scripts/train_judge.py                      # measure, then train on everything and ship
    python scripts/train_judge.py --measure-only --ablation --unseen /tmp/unseen_digits

1. Measurement: train on the voices of `spoken_digits` outside
   `SPOKEN_DIGITS_TEST_VARIANTS` (21 voices, 420 clips) and print the accuracy
   on the 9 held-out voices (180 clips): as they are, with each word moved to
   the start or end of its clip, and resynthesised from their log-mel by
   Griffin-Lim; on a real speaker's ten recorded digits (`DIGIT_SPEAKER` of
   `gan_audio.data.real_speech`, when `scripts/make_real_speech.py` has built
   them: never in any classifier's training data), as recorded and through an
   8 kHz GSM telephone codec; with `--unseen DIR` also on a labelled folder of
   other voices and formats (`scripts/make_unseen_voices.py`). `--ablation`
   also trains the recipe without each of its parts (`RECIPES`).
2. The judge is the measured model of the judge recipe (it never heard the
   held-out voices, so `gan-audio evaluate` scores on clips neither the
   model nor the judge trained on), written to `gan_audio/judge/`
   (`judge.weights.h5`, and `judge.json` with this command and the table).

The recipe: the 21 training voices and the 150 digits of Flite's five voices
(`scripts/make_tts_digits.py`, made when missing; voices built from real
speakers' recordings), every clip plus its Griffin-Lim copy, random shifts of
up to 0.25 s, gains of ±6 dB, white noise 20-80 dB below the clip, and what
moves voices (`gan_audio.recipes.VOICE_AUGMENTATION`: speed 0.8-1.25×, rooms,
the telephone band); the classifier sees the spoken part of each clip
stretched to 48 frames (`align_frames`); Adam with a cosine decay from 1e-3,
`--epochs` passes. Everything is seeded.
"""
import argparse
import json
import os
import sys
import tempfile
import time

import keras
import numpy as np
import soxr
import tensorflow as tf

from gan_audio.data import (
    SPOKEN_DIGITS_TEST_VARIANTS,
    AudioFileError,
    clip_arrays,
    find_audio_files,
    load_audio,
    speaker_split,
    spoken_digits_variant,
)
from gan_audio.data.augment import augmented
from gan_audio.data.decoders import encode_with_ffmpeg
from gan_audio.data.real_speech import DIGIT_SPEAKER, data_root, real_digit_files
from gan_audio.judge import CONFIG_FILE, WEIGHTS_FILE
from gan_audio.judge.robustness import accuracy, move_words, resynthesize
from gan_audio.models import WordClassifier
from gan_audio.recipes import AUGMENTATION, VOICE_AUGMENTATION

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_tts_digits
from make_tts_digits import NAME as TTS_NAME

PRESET = "default"
VERSION = 2  # 1: all 600 espeak clips, no alignment, no Flite voices, no voice augmentation
ALIGN_FRAMES = 48
#: The judge's recipe first; `--ablation` trains the others beside it.
RECIPES = {
    "judge recipe": {"align_frames": ALIGN_FRAMES, "augmentation": VOICE_AUGMENTATION, "tts_voices": True},
    "without Flite voices": {"align_frames": ALIGN_FRAMES, "augmentation": VOICE_AUGMENTATION, "tts_voices": False},
    "without alignment": {"align_frames": None, "augmentation": VOICE_AUGMENTATION, "tts_voices": True},
    "without voice augmentation": {"align_frames": ALIGN_FRAMES, "augmentation": AUGMENTATION, "tts_voices": True},
    "none of the three (the judge before)": {"align_frames": None, "augmentation": AUGMENTATION,
                                             "tts_voices": False},
}


def tts_clips(class_names):
    """The Flite voices' digits (`scripts/make_tts_digits.py`, made when missing) as `(clips, labels)`."""
    folder = os.path.join(data_root(), TTS_NAME)
    if not os.path.isdir(folder):
        make_tts_digits.main([])
    files = find_audio_files(folder)
    x, y = clip_arrays(files)
    return x, np.asarray([class_names.index(files.class_names[label]) for label in y])


def train(x, y, class_names, epochs, seed, align_frames, augmentation, tts_voices=False):
    keras.utils.set_random_seed(seed)
    if tts_voices:
        tx, ty = tts_clips(class_names)
        x, y = np.concatenate([x, tx]), np.concatenate([y, ty])
    x, y = np.concatenate([x, resynthesize(x)]), np.concatenate([y, y])  # Griffin-Lim copies
    data = tf.data.Dataset.from_tensor_slices((x, y.astype("int32"))).shuffle(len(x), seed=seed).batch(32)
    data = augmented(data, seed=seed, **augmentation)
    model = WordClassifier.from_preset(PRESET, num_classes=len(class_names), class_names=class_names, seed=seed,
                                       align_frames=align_frames)
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


def real_digit_sets(class_names):
    """``{row name: (clips, labels)}`` for the real speaker's digits, as recorded and through GSM (or {})."""
    try:
        files = real_digit_files()
    except AudioFileError as error:
        print(f"No real recorded digits: {error}")
        return {}
    clips = [load_audio(p, sample_rate=16000) for p in files.paths]
    labels = np.asarray([class_names.index(files.class_names[label]) for label in files.labels])
    with tempfile.TemporaryDirectory() as folder:
        gsm = []
        for i, clip in enumerate(clips):
            path = os.path.join(folder, f"{i}.gsm")
            encode_with_ffmpeg(path, soxr.resample(clip, 16000, 8000), 8000)
            gsm.append(load_audio(path, sample_rate=16000))
    return {f"{DIGIT_SPEAKER}'s 10 recorded digits (real speaker, 16 kHz G.722)": (clips, labels),
            f"{DIGIT_SPEAKER}'s 10 digits through 8 kHz GSM": (gsm, labels)}


def unseen_accuracy(model, clips, labels):
    predicted = [int(model.serve(waveform=clip[None])["label"][0]) for clip in clips]
    return float(np.mean(np.asarray(predicted) == labels))


def measure(args, files):
    train_files, test_files = speaker_split(files, SPOKEN_DIGITS_TEST_VARIANTS, speaker_fn=spoken_digits_variant)
    (x, y), (tx, ty) = clip_arrays(train_files), clip_arrays(test_files)
    sets = {"held-out voices": tx, "held-out voices, words moved": move_words(tx),
            "held-out voices, Griffin-Lim resynthesis": resynthesize(tx)}
    one_by_one = real_digit_sets(files.class_names)
    if args.unseen:
        one_by_one["10 other voices, 5 formats and rates (make_unseen_voices.py)"] = unseen_set(
            args.unseen, files.class_names)
    table, models = {}, {}
    for name in list(RECIPES)[: len(RECIPES) if args.ablation else 1]:
        start = time.perf_counter()
        model = models[name] = train(x, y, files.class_names, args.epochs, args.seed, **RECIPES[name])
        column = {label: accuracy(model, clips, ty) for label, clips in sets.items()}
        for label, (clips, labels) in one_by_one.items():
            column[label] = unseen_accuracy(model, clips, labels)
        column["training seconds"] = round(time.perf_counter() - start)
        table[name] = column
    return table, models["judge recipe"]


def print_table(table):
    names = list(table)
    print("| test set (trained on 21 espeak voices; Flite voices where the recipe has them) | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for row in table[names[0]]:
        cells = [table[n][row] for n in names]
        print(f"| {row} | " + " | ".join(f"{c:.1%}" if isinstance(c, float) else str(c) for c in cells) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40, help="passes over the training clips (default: 40)")
    parser.add_argument("--seed", type=int, default=0, help="(default: 0)")
    parser.add_argument("--unseen", help="a labelled folder of other voices (scripts/make_unseen_voices.py)")
    parser.add_argument("--ablation", action="store_true", help="also train each recipe of RECIPES without a part")
    parser.add_argument("--measure-only", action="store_true", help="do not train and write the shipped judge")
    args = parser.parse_args(argv)
    files = find_audio_files("spoken_digits")
    table, model = measure(args, files)
    print_table(table)
    if args.measure_only:
        return
    model.save_weights(WEIGHTS_FILE)
    command = "python scripts/train_judge.py " + " ".join(argv if argv is not None else sys.argv[1:])
    info = {"version": VERSION, "config": model.get_config(), "command": command.strip(), "epochs": args.epochs,
            "seed": args.seed,
            "trained_on": "spoken_digits:train + tts_digits (scripts/make_tts_digits.py; + Griffin-Lim copies)",
            "never_trained_on": ["spoken_digits:test", DIGIT_SPEAKER],
            "measured_on_held_out_voices": table["judge recipe"],
            "held_out_variants": list(SPOKEN_DIGITS_TEST_VARIANTS)}
    with open(CONFIG_FILE, "w") as f:
        json.dump(info, f, indent=1)
    print(f"Wrote {WEIGHTS_FILE} ({os.path.getsize(WEIGHTS_FILE) / 1e6:.2f} MB) and {CONFIG_FILE}")


if __name__ == "__main__":
    main()
