"""Semi-supervised GAN vs supervised baselines, by labels per class, on voices never heard.

    python benchmarks/sgan_labels.py                       # N in 5 10 20 all, seeds 0 1 2
    python benchmarks/sgan_labels.py --labels 5 --seeds 0 --steps 300    # a quick look

`spoken_digits` is split by voice: the variants `SPOKEN_DIGITS_TEST_VARIANTS`
(9 voices, 180 clips) are never trained on. From the other 21 voices (420
clips, 42 per class), N clips per class keep their label (`labelled_split`, by
seed) and the others are the unlabelled pool (all 420 for N = all). For each N and seed, three models see the same
labelled clips:

- SGAN: `SemiSupervisedGAN` (`--preset`), `--steps` steps of `fit`;
- supervised: the same classifier (`model.classifier()` of a fresh SGAN, same
  codec, same discriminator), cross-entropy on the labelled clips only, the
  same augmentation, optimizer and number of steps;
- logistic regression on silence-trimmed, time-normalised log-mels
  (frames within 40 dB of the loudest, resampled to 20 frames, 64 bins,
  standardised), scikit-learn, C = 1.

It prints held-out-voice accuracy, mean ± std over the seeds, and seconds; with
`scripts/make_real_speech.py` run, also the accuracy on a real speaker's ten
recorded digits (`DIGIT_SPEAKER`, in no training set).
"""
import argparse
import time

import keras
import numpy as np
import tensorflow as tf

from gan_audio.data import (SPOKEN_DIGITS_TEST_VARIANTS, audio_dataset, clip_arrays, find_audio_files, labelled_split,
                            speaker_split, spoken_digits_variant)
from gan_audio.data.augment import augmented
from gan_audio.features import LogMelSpectrogram, WordAlignment
from gan_audio.judge.robustness import accuracy
from gan_audio.models import SemiSupervisedGAN
from gan_audio.recipes import semi_supervised_dataset


def trimmed_features(clips):
    """Log-mels (512/160, 64 bins) of the frames within 40 dB of the loudest, resampled to
    20 frames (`WordAlignment`, checked against numpy in the tests), flattened."""
    log_mel = LogMelSpectrogram(frame_length=512, frame_step=160, num_mel_bins=64)(clips)
    return np.asarray(WordAlignment(num_frames=20, threshold_db=40.0)(log_mel)).reshape(len(clips), -1)


def logistic_regression(train_x, train_y, test_sets):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(trimmed_features(train_x))
    model = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(trimmed_features(train_x)), train_y)
    return [float(np.mean(model.predict(scaler.transform(trimmed_features(x))) == y)) for x, y in test_sets]


def real_digits(class_names):
    """The real speaker's ten recorded digits (`gan_audio.data.real_speech.DIGIT_SPEAKER`), each centred
    in one second as `spoken_digits` is, with their labels; None when `make_real_speech.py` has not run."""
    from gan_audio.data import AudioFileError, load_audio
    from gan_audio.data.real_speech import real_digit_files

    try:
        files = real_digit_files()
    except AudioFileError:
        return None
    clips = np.zeros((10, 16000), "float32")
    for i, path in enumerate(files.paths):
        audio = load_audio(path, sample_rate=16000)[:16000]
        start = (16000 - len(audio)) // 2
        clips[i, start:start + len(audio)] = audio
    return clips, np.array([class_names.index(files.class_names[label]) for label in files.labels])


def sgan_accuracy(args, train, n, seed, test_sets):
    keras.utils.set_random_seed(seed)
    model = SemiSupervisedGAN.from_preset(args.preset, seed=seed, num_classes=10, class_names=train.class_names)
    data = semi_supervised_dataset(model, {"data": train, "labels_per_class": n, "seed": seed})
    model.compile(**SemiSupervisedGAN.compile_kwargs(args.preset))
    model.fit(data.dataset, epochs=1, steps_per_epoch=args.steps, verbose=0)
    return [accuracy(model.classifier(), x, y) for x, y in test_sets]


def supervised_accuracy(args, train, n, seed, test_sets):
    keras.utils.set_random_seed(seed)
    model = SemiSupervisedGAN.from_preset(args.preset, seed=seed, num_classes=10, class_names=train.class_names)
    semi_supervised_dataset(model, {"data": train, "labels_per_class": n, "seed": seed})  # adapts the codec
    classifier = model.classifier()
    labelled, _ = labelled_split(train, n, seed=seed)
    waves = audio_dataset(labelled, batch_size=min(32, len(labelled)), seed=seed, repeat=True, drop_remainder=True)
    data = augmented(waves, seed=seed, max_shift=2000, max_gain_db=6.0).prefetch(tf.data.AUTOTUNE)
    optimizer = SemiSupervisedGAN.compile_kwargs(args.preset).get("d_optimizer", "adam")  # D's, as in the SGAN
    classifier.compile(optimizer=optimizer, metrics=["accuracy"],
                       loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    classifier.fit(data, epochs=1, steps_per_epoch=args.steps, verbose=0)
    return [accuracy(classifier, x, y) for x, y in test_sets]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", nargs="+", default=["5", "10", "20", "all"],
                        help="labelled clips per class (the 21 training voices have 42 per class; default: 5 10 20 all)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=1500, help="training steps of each model (default: 1500)")
    parser.add_argument("--preset", default="default", help="SemiSupervisedGAN preset (default: default)")
    args = parser.parse_args(argv)
    train, test = speaker_split(find_audio_files("spoken_digits"), SPOKEN_DIGITS_TEST_VARIANTS,
                                speaker_fn=spoken_digits_variant)
    test_x, test_y = clip_arrays(test)
    train_x, train_y = clip_arrays(train)
    print(f"{len(train)} training clips (21 voices), {len(test)} held-out clips (variants "
          f"{', '.join(SPOKEN_DIGITS_TEST_VARIANTS)}); {args.steps} steps; preset {args.preset}", flush=True)
    real = real_digits(train.class_names)
    test_sets = [(test_x, test_y)] + ([real] if real is not None else [])
    methods = ("SGAN", "same classifier, supervised only", "logistic regression")
    header = list(methods) + ([f"{m}: real speaker's 10 digits" for m in methods] if real is not None else [])
    print("| labels per class | " + " | ".join(header) + " | seconds |")
    print("|---:|" + "---:|" * (len(header) + 1))
    for label in args.labels:
        n = None if label == "all" else int(label)
        start, rows = time.perf_counter(), {m: [] for m in methods}
        for seed in args.seeds:
            rows["SGAN"].append(sgan_accuracy(args, train, n, seed, test_sets))
            rows["same classifier, supervised only"].append(supervised_accuracy(args, train, n, seed, test_sets))
            labelled, _ = labelled_split(train, n, seed=seed)
            chosen = [train.paths.index(p) for p in labelled.paths]
            rows["logistic regression"].append(logistic_regression(train_x[chosen], train_y[chosen], test_sets))
        cells = [f"{100 * np.mean(v):.1f} ± {100 * np.std(v):.1f}"
                 for k in range(len(test_sets)) for v in ([r[k] for r in rows[m]] for m in methods)]
        print(f"| {label} | " + " | ".join(cells) + f" | {time.perf_counter() - start:.0f} |", flush=True)


if __name__ == "__main__":
    main()
