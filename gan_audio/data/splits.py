"""Deterministic splits of a labelled file list: by speaker, and labelled/unlabelled.

Example:
    >>> from gan_audio.data import find_audio_files
    >>> files = find_audio_files("spoken_digits")
    >>> train, test = speaker_split(files, SPOKEN_DIGITS_TEST_VARIANTS, speaker_fn=spoken_digits_variant)
    >>> len(train), len(test)
    (420, 180)
    >>> labelled, unlabelled = labelled_split(train, 5, seed=0)
    >>> len(labelled), len(unlabelled)
    (50, 370)
"""
import collections
import os

import numpy as np

#: The espeak variants whose voices (in every accent) `spoken_digits` holds out
#: for "unseen voice" measurements: 9 of its 30 voices, 180 of its 600 clips.
SPOKEN_DIGITS_TEST_VARIANTS = ("m5", "f3", "klatt2")


def spoken_digits_voice(path):
    """The espeak voice of a `spoken_digits` file: ``en-gb_f1_s130_p65.flac`` → ``"en-gb+f1"``."""
    accent, variant = os.path.basename(path).split("_")[:2]
    return f"{accent}+{variant}"


def spoken_digits_variant(path):
    """The espeak variant (``"f1"``) of a `spoken_digits` file: a voice across accents."""
    return spoken_digits_voice(path).split("+")[1]


def speaker_split(files, test_speakers, speaker_fn=spoken_digits_voice):
    """``(train, test)`` `AudioFiles`: the clips of `test_speakers` are the test set.

    Args:
        files: `AudioFiles` (labelled or not).
        test_speakers: speaker names (as `speaker_fn` returns them) held out.
        speaker_fn: path → speaker name. Defaults to `spoken_digits_voice`.

    Raises:
        ValueError: a test speaker has no clip, or no clip is left for training.
    """
    speakers = [speaker_fn(p) for p in files.paths]
    unknown = sorted(set(test_speakers) - set(speakers))
    if unknown:
        raise ValueError(f"No clips of the test speakers {unknown} in {files.source or 'the files'}.")
    test = [i for i, s in enumerate(speakers) if s in set(test_speakers)]
    train = [i for i, s in enumerate(speakers) if s not in set(test_speakers)]
    if not train:
        raise ValueError("Every clip belongs to a test speaker: nothing is left to train on.")
    return files.select(train), files.select(test)


def labelled_split(files, labels_per_class, seed=0):
    """``(labelled, unlabelled)``: `labels_per_class` clips of each class keep their
    label, the rest are the unlabelled pool (deterministic for a seed).

    Clips are drawn per class from a permutation by ``numpy.random.default_rng(seed)``;
    both parts keep the file order. With ``labels_per_class=None`` every clip is
    labelled and the unlabelled pool is every clip too (the semi-supervised GAN
    then sees each clip both ways).

    Raises:
        ValueError: unlabelled files, a non-positive count, or a class with fewer clips.
    """
    if files.labels is None:
        raise ValueError(f"{files.source or 'The files'} are unlabelled: a labelled split needs one folder per class.")
    if labels_per_class is None:
        return files, files.select(range(len(files)))
    if isinstance(labels_per_class, bool) or int(labels_per_class) != labels_per_class or labels_per_class < 1:
        raise ValueError(f"labels_per_class must be a positive integer or None, got {labels_per_class!r}.")
    by_class = collections.defaultdict(list)
    for index, label in enumerate(files.labels):
        by_class[label].append(index)
    rng = np.random.default_rng(seed)
    chosen = []
    for label in sorted(by_class):
        members = by_class[label]
        if len(members) < labels_per_class:
            name = files.class_names[label] if files.class_names else label
            raise ValueError(f"Class {name!r} has {len(members)} clips, fewer than labels_per_class={labels_per_class}.")
        chosen += [members[i] for i in rng.permutation(len(members))[:labels_per_class]]
    chosen = sorted(chosen)
    rest = sorted(set(range(len(files))) - set(chosen))
    return files.select(chosen), files.select(rest)
