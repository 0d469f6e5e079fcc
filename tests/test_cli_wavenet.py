"""`gan-audio train wavenet|wavenet-denoiser`, `generate --label --seconds`, `denoise`, from runs and exports."""
import json
import os
import subprocess
import sys

import numpy as np
import soundfile as sf
import soxr

from gan_audio import cli
from gan_audio.data import find_audio_files

TINY = ["--preset", "tiny", "--batch-size", "8", "--steps-per-epoch", "3", "--clips-per-epoch", "2"]


def _signature(export, name):
    shown = subprocess.run(
        [sys.executable, "-m", "tensorflow.python.tools.saved_model_cli", "show", "--dir", export,
         "--tag_set", "serve", "--signature_def", name],
        capture_output=True, text=True, timeout=300, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    assert shown.returncode == 0, shown.stderr[-2000:]
    return shown.stdout


def test_wavenet_trains_on_labels_and_generates_seconds_of_a_label(small_set, tmp_path, capsys):
    run, saved = str(tmp_path / "run"), str(tmp_path / "saved_models" / "wavenet")
    assert cli.main(["train", "wavenet", "--data", small_set, "--epochs", "1", "--out", run, "--conditional",
                     *TINY]) == 0
    out, served = str(tmp_path / "from_run"), str(tmp_path / "from_export")
    args = ["--label", "two", "--seconds", "0.1", "--seed", "3", "--num", "2", "--temperature", "0.8"]
    assert cli.main(["generate", run, "--out", out, *args]) == 0
    audio, rate = sf.read(os.path.join(out, "sample_00.wav"), dtype="float32")
    assert rate == 4000 and audio.shape == (400,)  # 0.1 s at the tiny preset's 4 kHz
    assert not np.array_equal(audio, sf.read(os.path.join(out, "sample_01.wav"), dtype="float32")[0])
    assert cli.main(["export", run, "--out", saved]) == 0
    assert cli.main(["generate", saved, "--out", served, *args]) == 0  # the fast loop inside the SavedModel
    for name in ("sample_00.wav", "sample_01.wav"):
        np.testing.assert_array_equal(sf.read(os.path.join(out, name))[0], sf.read(os.path.join(served, name))[0])
    signature = _signature(os.path.join(saved, "1"), "generate")
    for name in ("inputs['num_samples']", "inputs['label']", "inputs['temperature']", "inputs['seed']",
                 "outputs['waveform']"):
        assert name in signature, signature
    # in float16 arithmetic (version 2): it serves the same request, recorded as such
    assert cli.main(["export", run, "--out", saved, "--dtype-policy", "mixed_float16"]) == 0
    assert json.load(open(os.path.join(saved, "2", "gan_audio.json")))["metadata"]["dtype_policy"] == "mixed_float16"
    assert cli.main(["generate", saved, "--out", str(tmp_path / "half"), *args]) == 0
    assert sf.read(os.path.join(tmp_path, "half", "sample_00.wav"))[0].shape == (400,)
    capsys.readouterr()
    assert cli.main(["generate", saved, "--out", served, "--label", "nine"]) == 2
    assert "Unknown label 'nine'" in capsys.readouterr().err
    # The judge hears its clips resampled from 4 kHz, and is asked for the run's two words.
    assert cli.main(["evaluate", saved, "--num", "4"]) == 0
    result = json.load(open(os.path.join(saved, "2", "evaluation.json")))["metrics"]  # the newest: float16
    assert "conditional accuracy" in result and result["conditional accuracy"]["real data"] > 0.9


def test_wavenet_label_rules_are_one_line_errors(small_set, tmp_path, capsys):
    unlabelled = tmp_path / "flat"
    unlabelled.mkdir()
    for path in find_audio_files(small_set).paths[:4]:
        os.link(path, unlabelled / os.path.basename(path))
    assert cli.main(["train", "wavenet", "--data", str(unlabelled), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "preset 'default' is label-conditional" in err and err.count("\n") == 1
    run = str(tmp_path / "plain")
    assert cli.main(["train", "wavenet", "--data", str(unlabelled), "--epochs", "1", "--out", run, *TINY]) == 0
    capsys.readouterr()
    assert cli.main(["generate", run, "--label", "one", "--out", str(tmp_path / "g")]) == 2
    assert "not label-conditional" in capsys.readouterr().err
    # Its serving_default takes a waveform alone, like a classifier's, but scores its likelihood.
    assert cli.main(["classify", run, find_audio_files(small_set).paths[0]]) == 2
    err = capsys.readouterr().err
    assert "is not a classifier: it is a generator and a likelihood model" in err and err.count("\n") == 1
    assert cli.main(["evaluate", run, "--num", "4"]) == 0
    result = json.load(open(os.path.join(run, "evaluation.json")))["metrics"]
    assert "accuracy" not in result and result["classifier score"]["model"] >= 1.0


def test_denoise_files_of_any_rate_and_length_from_a_run_and_its_export(small_set, tmp_path, capsys, caplog):
    run, saved = str(tmp_path / "run"), str(tmp_path / "saved_models" / "denoiser")
    assert cli.main(["train", "wavenet-denoiser", "--data", small_set, "--epochs", "1", "--out", run, *TINY]) == 0
    noisy = [sf.read(os.path.join(run, "samples", "inputs", f"sample_0{i}.wav"))[0] for i in (0, 1)]
    denoised = [sf.read(os.path.join(run, "samples", "epoch_001", f"sample_0{i}.wav"))[0] for i in (0, 1)]
    assert noisy[0].shape == denoised[0].shape and not np.allclose(noisy[0], denoised[0], atol=1e-3)
    assert cli.main(["export", run, "--out", saved]) == 0
    signature = _signature(os.path.join(saved, "1"), "serving_default")
    assert "inputs['noisy']" in signature and "shape: (-1, -1)" in signature, signature
    rng = np.random.default_rng(0)
    speech = sf.read(find_audio_files(small_set).paths[0], dtype="float32")[0]
    files = {"long.wav": (22050, np.tile(speech, 3)[:50001]),
             "short.flac": (8000, soxr.resample(speech, 22050, 8000)[:4321])}
    inputs = []
    for name, (rate, audio) in files.items():
        inputs.append(str(tmp_path / name))
        sf.write(inputs[-1], audio + 0.05 * rng.normal(size=audio.shape), rate)
    (tmp_path / "broken.wav").write_text("not audio")
    inputs.append(str(tmp_path / "broken.wav"))
    by_run, by_export = str(tmp_path / "by_run"), str(tmp_path / "by_export")
    assert cli.main(["denoise", *inputs, "--model", run, "--out", by_run]) == 0
    assert "broken.wav" in caplog.text
    assert cli.main(["denoise", *inputs, "--model", saved, "--out", by_export, "--chunk-seconds", "0.5"]) == 0
    assert sorted(os.listdir(by_run)) == ["long.wav", "short.wav"]
    for name, (rate, audio) in files.items():
        out = name.split(".")[0] + ".wav"
        clean, out_rate = sf.read(os.path.join(by_run, out), dtype="float32")
        assert out_rate == 4000 and len(clean) == int(len(audio) * 4000 / rate + 0.5)  # the input's duration
        assert np.all(np.isfinite(clean)) and np.std(clean) > 0
        # run vs export, whole-file chunks vs 0.5 s chunks: the same audio (up to 16-bit WAV rounding)
        np.testing.assert_allclose(clean, sf.read(os.path.join(by_export, out), dtype="float32")[0], atol=2e-4)
    capsys.readouterr()
    wavenet = str(tmp_path / "wavenet")
    assert cli.main(["train", "wavenet", "--data", small_set, "--epochs", "1", "--out", wavenet, *TINY]) == 0
    capsys.readouterr()
    assert cli.main(["denoise", inputs[0], "--model", wavenet, "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "is not a denoiser" in err and err.count("\n") == 1
