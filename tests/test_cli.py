"""The `gan-audio` command line: train, resume, generate, export, bad input."""
import csv
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import soundfile as sf

from gan_audio import cli
from gan_audio.callbacks import SampleWriter
from gan_audio.checkpoints import read_checkpoint_state
from gan_audio.data import load_class_names
from tests.family_test_case import REPO

TINY = ["--preset", "tiny", "--batch-size", "8", "--steps-per-epoch", "3", "--clips-per-epoch", "2"]


def _rows(run):
    with open(os.path.join(run, "history.csv")) as f:
        return list(csv.DictReader(f))


def _state(run):
    return read_checkpoint_state(os.path.join(run, "model.keras"))


def test_models_lists_families_and_presets(capsys):
    assert cli.main(["models"]) == 0
    out = capsys.readouterr().out
    for word in ("dense-gan", "tiny", "default", "article1", "article4", "consumes: noise", "produces: waveform",
                 "sgan:", "classifier:", "produces: probabilities"):
        assert word in out


def _timed_run(*args):
    env = dict(os.environ)
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    return done, time.perf_counter() - start


@pytest.mark.parametrize("argv", [["--help"], ["train", "--help"], ["generate", "--help"], ["models"]], ids=" ".join)
def test_help_and_models_answer_without_tensorflow(argv):
    script = f"import sys, gan_audio_cli\ntry:\n gan_audio_cli.main({argv!r})\nexcept SystemExit: pass\n" \
             "print('tensorflow loaded:', 'tensorflow' in sys.modules)"
    done, seconds = _timed_run("-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("tensorflow loaded: False")
    assert done.stderr == ""
    assert seconds < 2.5, seconds  # TensorFlow alone takes about 4 s to import here
    if argv == ["train", "--help"]:  # every option has help text and its default
        assert "(default: spoken_digits)" in done.stdout and "(default: runs/run)" in done.stdout
    if argv == ["generate", "--help"]:
        assert "(default: 0)" in done.stdout and "(default: 4)" in done.stdout


def test_train_writes_a_complete_run_and_resumes(small_set, tmp_path):
    run = str(tmp_path / "run")
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "2", "--out", run, *TINY]) == 0
    assert sorted(f for f in os.listdir(run) if os.path.isfile(os.path.join(run, f))) == [
        "config.json", "history.csv", "model.keras"]  # the weights once: model.keras is the checkpoint
    for epoch in ("epoch_001", "epoch_002"):
        folder = os.path.join(run, "samples", epoch)
        assert sorted(os.listdir(folder)) == ["sample_00.wav", "sample_01.wav", "spectrograms.png"]
        audio, rate = sf.read(os.path.join(folder, "sample_00.wav"))
        assert rate == 16000 and np.abs(audio).max() > 1e-3
    assert any("events" in f for _, _, files in os.walk(os.path.join(run, "logs")) for f in files)
    assert [r["epoch"] for r in _rows(run)] == ["0", "1"]
    assert list(_rows(run)[0]) == ["epoch", "d_fake", "d_loss", "d_real", "g_loss"]  # every term, no empty val_*
    # Same folder again without --resume: refused, nothing overwritten.
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "2", "--out", run, *TINY]) == 2
    assert cli.main(["train", "dense-gan", "--epochs", "3", "--out", run, "--resume"]) == 0
    assert [r["epoch"] for r in _rows(run)] == ["0", "1", "2"]
    assert _state(run)["epochs_done"] == 3


def test_epochs_is_the_runs_total_and_resume_keeps_the_runs_settings(small_set, tmp_path, capsys):
    run = str(tmp_path / "run")
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "2", "--out", run, *TINY, "--seed", "3"]) == 0
    capsys.readouterr()
    assert cli.main(["train", "dense-gan", "--epochs", "2", "--out", run, "--resume"]) == 2
    assert "has done 2 epochs" in capsys.readouterr().err
    assert cli.main(["train", "dense-gan", "--epochs", "3", "--out", run, "--resume", "--seed", "4"]) == 2
    err = capsys.readouterr().err
    assert "seed=4 (the run's: 3)" in err and err.count("\n") == 1
    with pytest.raises(SystemExit):  # argparse: --epochs must be positive
        cli.main(["train", "dense-gan", "--epochs", "0", "--out", str(tmp_path / "r0")])
    assert "must be a positive integer" in capsys.readouterr().err
    assert not os.path.exists(str(tmp_path / "r0"))
    assert cli.main(["train", "dense-gan", "--epochs", "3", "--out", run, "--resume", "--seed", "3"]) == 0
    config = json.load(open(os.path.join(run, "config.json")))
    assert config["seed"] == 3 and _state(run) == {"epochs_done": 3, "interrupted": False}


def test_a_killed_run_resumes_from_its_last_checkpoint(small_set, tmp_path):
    run = str(tmp_path / "run")
    args = ["-m", "gan_audio_cli", "train", "dense-gan", "--data", small_set, "--epochs", "4", "--out", run,
            "--preset", "tiny", "--batch-size", "8", "--steps-per-epoch", "60", "--clips-per-epoch", "1"]
    process = subprocess.Popen([sys.executable, *args], cwd=REPO, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 240
        while time.time() < deadline and not (os.path.exists(os.path.join(run, "history.csv"))
                                              and len(_rows(run)) >= 1):
            time.sleep(0.05)
        time.sleep(0.3)  # well inside epoch 2 (each epoch takes about a second)
        assert process.poll() is None, "the run ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    done = _state(run)["epochs_done"]
    print(f"killed after {done} finished epochs, history rows {len(_rows(run))}")
    assert 1 <= done < 4, done
    assert cli.main(["train", "dense-gan", "--epochs", "4", "--out", run, "--resume"]) == 0
    assert _state(run) == {"epochs_done": 4, "interrupted": False}
    assert [r["epoch"] for r in _rows(run)] == ["0", "1", "2", "3"]


def test_only_the_chief_writes_run_files(small_set, tmp_path, monkeypatch):
    cluster = {"worker": ["localhost:1", "localhost:2"]}
    monkeypatch.setenv("TF_CONFIG", json.dumps({"cluster": cluster, "task": {"type": "worker", "index": 1}}))
    run = str(tmp_path / "worker_run")
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "1", "--out", run, *TINY]) == 0
    assert not os.path.exists(run)
    monkeypatch.setenv("TF_CONFIG", json.dumps({"cluster": cluster, "task": {"type": "worker", "index": 0}}))
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "1", "--out", run, *TINY]) == 0
    assert os.path.exists(os.path.join(run, "model.keras"))


def test_interrupted_training_resumes_where_it_stopped(small_set, tmp_path, monkeypatch):
    run = str(tmp_path / "run")
    batches = []

    def ctrl_c_in_epoch_two(self, batch, logs=None):  # 3 steps per epoch: batch 5 is in epoch 2
        batches.append(batch)
        if len(batches) == 5:
            raise KeyboardInterrupt

    monkeypatch.setattr(SampleWriter, "on_train_batch_end", ctrl_c_in_epoch_two, raising=False)
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "3", "--out", run, *TINY]) == 0
    assert _state(run) == {"epochs_done": 1, "interrupted": True}
    monkeypatch.undo()
    assert cli.main(["train", "dense-gan", "--epochs", "3", "--out", run, "--resume"]) == 0
    assert _state(run)["epochs_done"] == 3
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
    assert cli.main(["generate", saved, "--num", "3", "--out", served_out, "--label", "two", "--seed", "1"]) == 0
    for name in ("sample_00.wav", "sample_02.wav"):  # the same seed: the same audio from the run and the export
        np.testing.assert_array_equal(sf.read(os.path.join(out, name))[0], sf.read(os.path.join(served_out, name))[0])
    assert cli.main(["generate", saved, "--num", "3", "--out", served_out, "--label", "two", "--seed", "2"]) == 0
    assert not np.array_equal(first, sf.read(os.path.join(served_out, "sample_00.wav"))[0])
    shown = subprocess.run(
        [sys.executable, "-m", "tensorflow.python.tools.saved_model_cli", "show", "--dir", os.path.join(saved, "2"),
         "--tag_set", "serve", "--signature_def", "serving_default"],
        capture_output=True, text=True, timeout=300, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"),
    )
    assert shown.returncode == 0, shown.stderr[-2000:]
    for name in ("inputs['noise']", "inputs['label']", "outputs['waveform']", "outputs['log_mel']"):
        assert name in shown.stdout, shown.stdout


def test_generation_errors_are_one_line(small_set, tmp_path, capsys):
    run, conditional = str(tmp_path / "run"), str(tmp_path / "conditional")
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "1", "--out", run, *TINY]) == 0
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "1", "--out", conditional,
                     "--conditional", *TINY]) == 0
    saved = str(tmp_path / "saved")
    assert cli.main(["export", conditional, "--out", saved]) == 0
    capsys.readouterr()
    cases = [
        (["generate", run, "--label", "one"], "is not label-conditional"),
        (["generate", saved], "is label-conditional: pass --label (one of one, two or an index)"),
        (["generate", saved, "--label", "5"], "Labels [5] are outside [0, 2)"),
        (["generate", str(tmp_path)], "neither a training run"),
        (["export", str(tmp_path / "none"), "--out", saved], "is not a training run"),
    ]
    for argv, message in cases:
        assert cli.main([*argv, "--out" if argv[0] == "generate" else "--version",
                         str(tmp_path / "g") if argv[0] == "generate" else "9"]) == 2, argv
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1 and "Traceback" not in err, (argv, err)
    assert cli.main(["--verbose", "generate", str(tmp_path), "--out", str(tmp_path / "g")]) == 2
    err = capsys.readouterr().err.splitlines()  # --verbose: the traceback, then the same last line
    assert "Traceback (most recent call last):" in err and "neither a training run" in err[-1]
    with pytest.raises(SystemExit):
        cli.main(["generate", run, "--num", "0"])
    assert "--num: must be a positive integer, got 0" in capsys.readouterr().err


def test_commands_print_no_tensorflow_start_up_lines(small_set, tmp_path):
    run = str(tmp_path / "run")
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "1", "--out", run, *TINY]) == 0
    done, _ = _timed_run("-m", "gan_audio_cli", "generate", run, "--num", "1", "--out", str(tmp_path / "g"))
    assert done.returncode == 0, done.stderr
    for noise in ("oneDNN", "absl", "cpu_feature_guard", "I0000", "E0000", "W0000"):
        assert noise not in done.stderr, done.stderr
    done, _ = _timed_run("-m", "gan_audio_cli", "--verbose", "generate", run, "--num", "1", "--out", str(tmp_path / "g"))
    assert done.returncode == 0  # --verbose shows them (which ones depends on the CPU: oneDNN's only on some)
    assert any(noise in done.stderr for noise in ("oneDNN", "cpu_feature_guard", "I0000")), done.stderr


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
                          cwd=REPO, timeout=300, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    assert done.returncode == 0 and "dense-gan" in done.stdout


def test_generate_one_clip_of_every_label(small_set, tmp_path):
    run = str(tmp_path / "run")
    assert cli.main(["train", "dense-gan", "--data", small_set, "--epochs", "1", "--out", run, "--conditional", *TINY]) == 0
    out = str(tmp_path / "all")
    assert cli.main(["generate", run, "--label", "all", "--num", "2", "--out", out]) == 0
    assert sorted(f for f in os.listdir(out) if f.endswith(".wav")) == ["one_00.wav", "one_01.wav", "two_00.wav",
                                                                          "two_01.wav"]
    assert not np.array_equal(sf.read(os.path.join(out, "one_00.wav"))[0], sf.read(os.path.join(out, "two_00.wav"))[0])


def test_vocode_and_denoise_take_the_model_first_or_as_an_option(small_set, tmp_path, capsys):
    from gan_audio.data import find_audio_files
    from gan_audio.sources import is_model_folder

    clip = find_audio_files(small_set).paths[0]
    saved = os.path.join(REPO, "saved_models")
    for command, model in (("vocode", "vocoder_small"), ("denoise", "mask_denoiser")):
        model = os.path.join(saved, model)
        first, option = str(tmp_path / f"{command}_first"), str(tmp_path / f"{command}_option")
        assert cli.main([command, model, clip, "--out", first]) == 0
        assert cli.main([command, clip, "--model", model, "--out", option]) == 0
        name = os.path.basename(clip)[:-4] + ".wav"
        assert os.listdir(first) == os.listdir(option) == [name]
        np.testing.assert_array_equal(sf.read(os.path.join(first, name))[0], sf.read(os.path.join(option, name))[0])
        capsys.readouterr()
        assert cli.main([command, clip, "--out", str(tmp_path / "x")]) == 2  # no model anywhere
        err = capsys.readouterr().err
        assert f"{clip} is not a model folder" in err and err.count("\n") == 1
        assert cli.main([command, model, "--out", str(tmp_path / "x")]) == 2  # a model and no files
        err = capsys.readouterr().err
        assert "no audio files after the model" in err and err.count("\n") == 1
        assert cli.main(["generate", model, "--out", str(tmp_path / "x")]) == 2  # it needs input: its command is named
        err = capsys.readouterr().err
        assert f"Run gan-audio {command} {model} FILES" in err and err.count("\n") == 1
    assert is_model_folder(os.path.join(saved, "vocoder_small")) and is_model_folder(os.path.join(saved, "vocoder_small", "2"))
    assert not is_model_folder(clip) and not is_model_folder(str(tmp_path / "missing"))
    assert not is_model_folder(saved)  # a folder of models is not one
