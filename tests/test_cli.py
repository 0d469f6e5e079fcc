"""The `gan-audio` command line: train, resume, generate, export, bad input."""
import csv
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from gan_audio import cli
from gan_audio.callbacks import SampleWriter
from gan_audio.data import find_audio_files, load_class_names
from tests.helpers import REPO

TINY = ["--preset", "tiny", "--batch-size", "8", "--steps-per-epoch", "3", "--num-samples", "2"]


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    """Two words, 16 clips each, copied as WAV at 22.05 kHz (a rate to resample)."""
    import soxr

    root = tmp_path_factory.mktemp("words")
    for path in find_audio_files("spoken_digits").paths:
        word = os.path.basename(os.path.dirname(path))
        if word in ("one", "two") and len(os.listdir(root / word) if (root / word).exists() else []) < 16:
            audio, rate = sf.read(path, dtype="float32")
            (root / word).mkdir(exist_ok=True)
            sf.write(root / word / (os.path.basename(path)[:-5] + ".wav"), soxr.resample(audio, rate, 22050), 22050)
    return str(root)


def _rows(run):
    with open(os.path.join(run, "history.csv")) as f:
        return list(csv.DictReader(f))


def test_models_lists_families_and_presets(capsys):
    assert cli.main(["models"]) == 0
    out = capsys.readouterr().out
    for word in ("dense-gan", "tiny", "default", "article1", "article4"):
        assert word in out


def test_train_writes_a_complete_run_and_resumes(small_set, tmp_path):
    run = str(tmp_path / "run")
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "2", "--out", run, *TINY]) == 0
    for name in ("model.keras", "config.json", "history.csv", "checkpoint.weights.h5"):
        assert os.path.exists(os.path.join(run, name)), name
    for epoch in ("epoch_001", "epoch_002"):
        folder = os.path.join(run, "samples", epoch)
        assert sorted(os.listdir(folder)) == ["sample_00.wav", "sample_01.wav", "spectrograms.png"]
        audio, rate = sf.read(os.path.join(folder, "sample_00.wav"))
        assert rate == 16000 and np.abs(audio).max() > 1e-3
    assert any("events" in f for _, _, files in os.walk(os.path.join(run, "logs")) for f in files)
    assert [r["epoch"] for r in _rows(run)] == ["0", "1"]
    # Same folder again without --resume: refused, nothing overwritten.
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "2", "--out", run, *TINY]) == 2
    assert cli.main(["train", "dense-gan", "--epochs", "3", "--out", run, "--resume"]) == 0
    assert [r["epoch"] for r in _rows(run)] == ["0", "1", "2"]
    assert json.load(open(os.path.join(run, "state.json")))["epochs_done"] == 3


def test_interrupted_training_resumes_where_it_stopped(small_set, tmp_path, monkeypatch):
    run = str(tmp_path / "run")
    batches = []

    def ctrl_c_in_epoch_two(self, batch, logs=None):  # 3 steps per epoch: batch 5 is in epoch 2
        batches.append(batch)
        if len(batches) == 5:
            raise KeyboardInterrupt

    monkeypatch.setattr(SampleWriter, "on_train_batch_end", ctrl_c_in_epoch_two, raising=False)
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "3", "--out", run, *TINY]) == 0
    state = json.load(open(os.path.join(run, "state.json")))
    assert state == {"epochs_done": 1, "interrupted": True}
    monkeypatch.undo()
    assert cli.main(["train", "dense-gan", "--epochs", "3", "--out", run, "--resume"]) == 0
    assert json.load(open(os.path.join(run, "state.json")))["epochs_done"] == 3
    assert os.path.isdir(os.path.join(run, "samples", "epoch_003"))


def test_conditional_run_generate_and_export(small_set, tmp_path):
    run, saved = str(tmp_path / "run"), str(tmp_path / "saved_models" / "words")
    args = ["train", "dense-gan", "--data", small_set, "--epochs", "1", "--out", run, "--conditional", *TINY]
    assert cli.main(args) == 0
    assert load_class_names(os.path.join(run, "labels.json")) == ["one", "two"]
    out = str(tmp_path / "generated")
    assert cli.main(["generate", run, "--num", "3", "--out", out, "--label", "two", "--seed", "1"]) == 0
    first = sf.read(os.path.join(out, "sample_00.wav"))[0]
    assert cli.main(["generate", run, "--num", "3", "--out", out, "--label", "two", "--seed", "1"]) == 0
    np.testing.assert_array_equal(first, sf.read(os.path.join(out, "sample_00.wav"))[0])
    assert cli.main(["generate", run, "--num", "1", "--out", out, "--label", "nine"]) == 2
    assert cli.main(["export", run, "--out", saved]) == 0
    assert cli.main(["export", run, "--out", saved]) == 0
    assert sorted(os.listdir(saved)) == ["1", "2"]
    served_out = str(tmp_path / "served")
    assert cli.main(["generate", saved, "--num", "2", "--out", served_out, "--label", "1"]) == 0
    assert len([f for f in os.listdir(served_out) if f.endswith(".wav")]) == 2
    shown = subprocess.run(
        [sys.executable, "-m", "tensorflow.python.tools.saved_model_cli", "show", "--dir", os.path.join(saved, "2"),
         "--tag_set", "serve", "--signature_def", "serving_default"],
        capture_output=True, text=True, timeout=300, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"),
    )
    assert shown.returncode == 0, shown.stderr[-2000:]
    for name in ("inputs['noise']", "inputs['label']", "outputs['waveform']", "outputs['log_mel']"):
        assert name in shown.stdout, shown.stdout


def test_bad_data_gives_one_line_errors(tmp_path, capsys):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "notes.wav").write_text("not audio at all")
    (folder / "empty.flac").write_bytes(b"")
    code = cli.main(["train", "dense-gan", "--data", str(folder), "--out", str(tmp_path / "run"), *TINY])
    assert code == 2
    err = capsys.readouterr().err
    assert "error" in err and "broken" in err and "Traceback" not in err
    assert cli.main(["train", "dense-gan", "--preset", "nope", "--out", str(tmp_path / "r2")]) == 2
    assert cli.main(["export", str(tmp_path / "no_run"), "--out", str(tmp_path / "x")]) == 2


def test_python_dash_m_entry_point():
    done = subprocess.run([sys.executable, "-m", "gan_audio", "models"], capture_output=True, text=True,
                          cwd=REPO, timeout=300, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    assert done.returncode == 0 and "dense-gan" in done.stdout
