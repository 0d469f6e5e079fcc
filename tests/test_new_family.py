"""Issue 19's done criterion: a family written in the test suite only (`tests/toy_family/toy_tone/`, one
folder) plugs in with one registry line, and the CLI (train, samples after each epoch, export, generate,
evaluate, models) serves it with no edit anywhere else in the package."""
import json
import os
import sys

import numpy as np
import pytest

from gan_audio import cli
from gan_audio import registry
from gan_audio.data import load_audio

TOY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "toy_family")


@pytest.fixture
def toy_family(monkeypatch):
    monkeypatch.syspath_prepend(TOY)
    monkeypatch.setitem(registry.FAMILIES, "toy-tone", registry.Family(  # the registry line
        name="toy-tone", model="toy_tone.toy_tone:ToyTone", presets_ref="toy_tone.toy_tone_presets:TOY_TONE_PRESETS",
        recipe="toy_tone.toy_tone:toy_tone_dataset", description="A template clip plus noise (tests only).",
        tasks=("generate",), consumes="noise (B, S)", produces="waveform (B, S)",
        generate_options=("num", "seed"), labels="none"))
    yield
    sys.modules.pop("toy_tone.toy_tone", None)


def test_a_family_from_one_folder_and_one_registry_line_trains_exports_generates_and_is_evaluated(
        toy_family, tmp_path, capsys):
    run, saved, out = str(tmp_path / "run"), str(tmp_path / "saved"), str(tmp_path / "out")
    assert cli.main(["models"]) == 0
    assert "toy-tone: A template clip plus noise" in capsys.readouterr().out
    assert cli.main(["train", "toy-tone", "--preset", "tiny", "--data", "spoken_digits:train", "--epochs", "2",
                     "--steps-per-epoch", "20", "--batch-size", "8", "--clips-per-epoch", "2", "--out", run]) == 0
    history = open(os.path.join(run, "history.csv")).read().splitlines()
    losses = [float(line.split(",")[1]) for line in history[1:]]
    assert len(losses) == 2 and losses[1] < losses[0]  # it learned
    samples = sorted(os.listdir(os.path.join(run, "samples", "epoch_002")))
    assert [s for s in samples if s.endswith(".wav")] == ["sample_00.wav", "sample_01.wav"]
    assert cli.main(["export", run, "--out", saved]) == 0
    info = json.load(open(os.path.join(saved, "1", "gan_audio.json")))
    assert info["metadata"]["tasks"] == ["generate"] and info["metadata"]["family"] == "toy-tone"
    assert cli.main(["generate", saved, "--num", "2", "--seed", "5", "--out", out + "_export"]) == 0
    assert cli.main(["generate", run, "--num", "2", "--seed", "5", "--out", out + "_run"]) == 0
    for name in ("sample_00.wav", "sample_01.wav"):  # the same seed, the same audio from the run and its export
        from_export = load_audio(os.path.join(out + "_export", name), sample_rate=4000)
        from_run = load_audio(os.path.join(out + "_run", name), sample_rate=4000)
        assert from_export.shape == (800,) and np.abs(from_export).max() > 0
        np.testing.assert_allclose(from_export, from_run, atol=1e-4)
    capsys.readouterr()
    assert cli.main(["evaluate", saved, "--data", "spoken_digits:test", "--num", "4"]) == 0
    assert "classifier score" in capsys.readouterr().out
