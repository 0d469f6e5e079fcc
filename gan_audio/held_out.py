"""What a model may be scored on: the clips it never trained on (`gan_audio.evaluation` and the benchmarks).

A run records its data (`config.json`), an export its ``training_data`` metadata; `trained_on` turns either
into the set of clips, `unseen_files` leaves them out of any data, `held_out_data` names the held-out split of
a run's data, and `real_clips` draws a seeded sample of the rest as arrays.
"""
import json
import os

import numpy as np

from gan_audio.data import audio_dataset, find_audio_files, validate_audio_files


#: A run's data → the split it leaves out (what `evaluate` scores on by default).
HELD_OUT = {"spoken_digits:train": "spoken_digits:test", "real_speech": "real_speech:test",
            "real_speech:train": "real_speech:test"}


def trained_on(source):
    """The absolute paths of the clips `source` (a run folder or an export) was trained on, or None when
    it does not say (an export made before ``training_data`` was recorded). The judge: its ``trained_on``
    (``spoken_digits:train``; the Flite digits it also heard are outside spoken_digits)."""
    if source == "judge" and not os.path.exists(source):
        return set(os.path.abspath(p) for p in find_audio_files("spoken_digits:train").paths)
    config = os.path.join(source, "config.json")
    if os.path.exists(config):
        data = json.load(open(config)).get("data")
    else:
        from gan_audio.export import load_saved_model

        data = load_saved_model(source).metadata.get("training_data")
    if not data:
        return None
    return set(os.path.abspath(p) for p in find_audio_files(data, labels=None).paths)


def held_out_data(source):
    """The default evaluation data of `source`: the held-out split of its training data, else spoken_digits."""
    config = os.path.join(source, "config.json")
    data = json.load(open(config)).get("data") if os.path.exists(config) else None
    return HELD_OUT.get(data, "spoken_digits") if isinstance(data, str) else "spoken_digits"


def unseen_files(data, exclude):
    """`data`'s `AudioFiles` without the paths of `exclude` (a set of absolute paths, or None)."""
    files = find_audio_files(data)
    if exclude:
        files = files.select([i for i, p in enumerate(files.paths) if os.path.abspath(p) not in exclude])
    return files


def real_clips(data, num, seed=0, sample_rate=16000, exclude=None):
    """Up to `num` real clips ``(waveforms, labels or None, class_names)``: a seeded
    sample of the files (only those are decoded; none of `exclude`), centred 1 s clips."""
    files = unseen_files(data, exclude)
    if not len(files):
        raise ValueError(f"Every clip of {data} was used in training; evaluate on held-out clips "
                         f"(e.g. --data spoken_digits:test after training on spoken_digits:train).")
    files = validate_audio_files(files)
    files = files.select(np.random.default_rng(seed).permutation(len(files))[:num])  # shuffled: halves alike
    waves = audio_dataset(files, sample_rate=sample_rate, batch_size=100, shuffle=False, training=False)
    if waves.class_names:
        x, y = zip(*[(w.numpy(), l.numpy()) for w, l in waves])
        return np.concatenate(x), np.concatenate(y), waves.class_names
    return np.concatenate([w.numpy() for w in waves]), None, None
