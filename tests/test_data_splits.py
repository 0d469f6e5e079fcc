"""Speaker and labelled/unlabelled splits: exact counts, no overlap, deterministic."""
import collections
import doctest

import pytest

from gan_audio.data import (SPOKEN_DIGITS_TEST_VARIANTS, AudioFiles, find_audio_files, labelled_split,
                            speaker_split, spoken_digits_variant, spoken_digits_voice)
from gan_audio.data import splits


@pytest.fixture(scope="module")
def digits():
    return find_audio_files("spoken_digits")


def test_docstring_examples_run():
    result = doctest.testmod(splits)
    assert result.failed == 0 and result.attempted > 0


def test_speaker_split_holds_out_whole_voices(digits):
    train, test = speaker_split(digits, SPOKEN_DIGITS_TEST_VARIANTS, speaker_fn=spoken_digits_variant)
    assert (len(train), len(test)) == (420, 180)
    assert not set(train.paths) & set(test.paths)
    assert {spoken_digits_variant(p) for p in test.paths} == set(SPOKEN_DIGITS_TEST_VARIANTS)
    assert not {spoken_digits_variant(p) for p in train.paths} & set(SPOKEN_DIGITS_TEST_VARIANTS)
    assert len({spoken_digits_voice(p) for p in test.paths}) == 9  # 3 accents x 3 variants
    assert collections.Counter(test.labels) == {label: 18 for label in range(10)}
    train, test = speaker_split(digits, ["en-us+m1"])
    assert len(test) == 20 and {spoken_digits_voice(p) for p in test.paths} == {"en-us+m1"}
    with pytest.raises(ValueError, match="no-such-voice"):
        speaker_split(digits, ["no-such-voice"])


@pytest.mark.parametrize("per_class", [1, 5, 42])
def test_labelled_split_counts_and_determinism(digits, per_class):
    train, _ = speaker_split(digits, SPOKEN_DIGITS_TEST_VARIANTS, speaker_fn=spoken_digits_variant)
    labelled, unlabelled = labelled_split(train, per_class, seed=3)
    assert collections.Counter(labelled.labels) == {label: per_class for label in range(10)}
    assert len(labelled) + len(unlabelled) == len(train)
    assert not set(labelled.paths) & set(unlabelled.paths)
    again, _ = labelled_split(train, per_class, seed=3)
    assert again.paths == labelled.paths
    if per_class < 42:
        assert labelled_split(train, per_class, seed=4)[0].paths != labelled.paths


def test_labelled_split_all_and_bad_input(digits):
    labelled, unlabelled = labelled_split(digits, None)
    assert len(labelled) == len(unlabelled) == 600
    with pytest.raises(ValueError, match="fewer than labels_per_class=61"):
        labelled_split(digits, 61)
    with pytest.raises(ValueError, match="positive integer"):
        labelled_split(digits, 0)
    with pytest.raises(ValueError, match="unlabelled"):
        labelled_split(AudioFiles(["a.wav"]), 1)


def test_asking_for_unlabelled_clips_of_labelled_files_drops_the_labels(digits):
    train, _ = speaker_split(digits, SPOKEN_DIGITS_TEST_VARIANTS, speaker_fn=spoken_digits_variant)
    assert find_audio_files(train, labels=None).labels is None
    assert train.labels is not None  # the original is untouched
    from gan_audio.data import audio_dataset

    batch = next(iter(audio_dataset(train, labels=None, batch_size=4)))
    assert not isinstance(batch, tuple) and batch.shape == (4, 16000)
