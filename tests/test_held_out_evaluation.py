"""`gan-audio evaluate` never scores a classifier on its training clips; named speaker splits."""
import json
import os

from gan_audio import cli
from gan_audio.data import find_audio_files
from gan_audio.data.splits import SPOKEN_DIGITS_TEST_VARIANTS, spoken_digits_variant

TINY = ["--preset", "tiny", "--batch-size", "8", "--steps-per-epoch", "2", "--clips-per-epoch", "1"]


def test_spoken_digits_splits_are_whole_voices():
    train, test = find_audio_files("spoken_digits:train"), find_audio_files("spoken_digits:test")
    assert (len(train), len(test)) == (420, 180) and train.class_names == test.class_names
    assert {spoken_digits_variant(p) for p in test.paths} == set(SPOKEN_DIGITS_TEST_VARIANTS)
    assert not {spoken_digits_variant(p) for p in train.paths} & set(SPOKEN_DIGITS_TEST_VARIANTS)
    both = find_audio_files(["spoken_digits:train", "spoken_digits:test"])
    assert len(both) == 600 and both.labels is None


def test_a_classifier_is_scored_on_the_voices_it_did_not_hear(tmp_path, capsys):
    run = str(tmp_path / "run")
    assert cli.main(["train", "classifier", "--epochs", "1", "--out", run, "--data", "spoken_digits:train",
                     *TINY]) == 0
    capsys.readouterr()
    assert cli.main(["evaluate", run, "--num", "30"]) == 0  # default: the held-out split of its data
    out = capsys.readouterr().out
    assert "clips of spoken_digits:test (of 180) that" in out and "| accuracy |" in out
    assert json.load(open(os.path.join(run, "evaluation.json")))["scored_on"].startswith("Real data: the 180")
    assert cli.main(["evaluate", run, "--data", "spoken_digits:train", "--num", "30"]) == 2
    assert "Every clip of spoken_digits:train was used in training" in capsys.readouterr().err
    assert cli.main(["evaluate", run, "--data", "spoken_digits", "--num", "30"]) == 0  # only the 180 unseen
    assert "the 180 clips of spoken_digits (of 600)" in capsys.readouterr().out
