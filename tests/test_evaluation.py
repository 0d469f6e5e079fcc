"""The shipped judge, `gan-audio classify` and `gan-audio evaluate`."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
import soxr

from gan_audio import cli
from gan_audio.data import audio_dataset, find_audio_files
from gan_audio.judge import WEIGHTS_FILE, judge_info, load_judge
from gan_audio.judge.robustness import accuracy, move_words, resynthesize

TINY = ["--preset", "tiny", "--batch-size", "8", "--steps-per-epoch", "3", "--clips-per-epoch", "1"]


@pytest.fixture(scope="module")
def judge():
    return load_judge()


@pytest.fixture(scope="module")
def sample():
    """60 clips of the held-out voices (spoken_digits:test), which the judge never heard."""
    clips, labels = next(iter(audio_dataset("spoken_digits:test", batch_size=600, shuffle=False, training=False)))
    return clips.numpy()[::3], labels.numpy()[::3]


def test_judge_ships_with_its_record(judge):
    info = judge_info()
    assert info["command"].startswith("python scripts/train_judge.py")
    measured = info["measured_on_held_out_voices"]
    assert {"held-out voices", "held-out voices, words moved", "held-out voices, Griffin-Lim resynthesis"} <= set(measured)
    assert judge.class_names == find_audio_files("spoken_digits").class_names
    assert os.path.getsize(WEIGHTS_FILE) < 2e6  # a small file


def test_judge_hears_the_word_whatever_its_place_or_synthesis(judge, sample):
    clips, labels = sample
    results = {"clips": accuracy(judge, clips, labels), "moved": accuracy(judge, move_words(clips), labels),
               "griffin-lim": accuracy(judge, resynthesize(clips), labels)}
    print(results)
    assert min(results.values()) >= 0.9, results


def test_classify_files_of_other_formats_and_rates(tmp_path, sample, capsys, caplog):
    clips, labels = sample
    names = find_audio_files("spoken_digits").class_names
    paths = []
    for i, (rate, channels, ext) in enumerate([(44100, 2, "wav"), (8000, 1, "ogg"), (22050, 1, "flac")]):
        audio = soxr.resample(clips[i * 7], 16000, rate)
        audio = np.stack([audio, audio], 1) if channels == 2 else audio
        path = str(tmp_path / f"clip_{i}.{ext}")
        sf.write(path, np.pad(audio, (rate // 3, 0)) if channels == 1 else audio, rate)
        paths.append(path)
    (tmp_path / "broken.wav").write_text("not audio")
    assert cli.main(["classify", "judge", *paths, str(tmp_path / "broken.wav")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[1] for line in lines] == [names[labels[i * 7]] for i in range(3)]
    assert all(0.5 < float(line.split()[2]) <= 1.0 for line in lines)
    assert "broken.wav" in caplog.text


def test_evaluate_a_generator_beside_real_data(tmp_path, capsys):
    run = str(tmp_path / "run")
    assert cli.main(["train", "dense-gan", "--epochs", "1", "--out", run, "--conditional", *TINY]) == 0
    capsys.readouterr()
    assert cli.main(["evaluate", run, "--num", "40"]) == 0
    out = capsys.readouterr().out
    result = json.load(open(os.path.join(run, "evaluation.json")))["metrics"]
    assert set(result) == {"classifier score", "Fréchet distance (judge embeddings)", "judge confidence",
                           "conditional accuracy"}
    real, model = result["classifier score"]["real data"], result["classifier score"]["model"]
    assert real > 8.0 and 1.0 <= model < real  # ten words, confidently heard; an untrained GAN's noise is not
    assert result["conditional accuracy"]["real data"] >= 0.95
    assert result["Fréchet distance (judge embeddings)"]["model"] > 10 * result[
        "Fréchet distance (judge embeddings)"]["real data"]
    assert "| classifier score |" in out


def test_classifier_family_trains_exports_and_classifies(tmp_path, capsys):
    run, saved = str(tmp_path / "run"), str(tmp_path / "saved")
    assert cli.main(["train", "classifier", "--epochs", "1", "--out", run, *TINY]) == 0
    assert cli.main(["export", run, "--out", saved]) == 0
    clip = os.path.join(find_audio_files("spoken_digits").paths[0])
    capsys.readouterr()
    assert cli.main(["classify", run, clip]) == 0
    from_run = capsys.readouterr().out.split()
    assert cli.main(["classify", saved, clip]) == 0
    from_export = capsys.readouterr().out.split()
    assert from_run[1] == from_export[1] and abs(float(from_run[2]) - float(from_export[2])) < 1e-4
    assert from_run[1] in find_audio_files("spoken_digits").class_names
    assert cli.main(["classify", run, str(tmp_path / "missing.wav")]) == 2
    assert cli.main(["train", "classifier", "--epochs", "1", "--out", str(tmp_path / "r2"), "--conditional"]) == 2
    assert "drop --conditional" in capsys.readouterr().err


def test_sgan_trains_from_few_labels_and_its_export_classifies(tmp_path, capsys):
    run, saved = str(tmp_path / "run"), str(tmp_path / "saved")
    assert cli.main(["train", "sgan", "--epochs", "1", "--out", run, "--labels-per-class", "2", *TINY]) == 0
    assert json.load(open(os.path.join(run, "config.json")))["labels_per_class"] == 2
    assert cli.main(["export", run, "--out", saved]) == 0
    clip = find_audio_files("spoken_digits").paths[3]
    capsys.readouterr()
    assert cli.main(["classify", saved, clip]) == 0
    assert capsys.readouterr().out.split()[1] in find_audio_files("spoken_digits").class_names
    assert cli.main(["generate", saved, "--num", "2", "--out", str(tmp_path / "g")]) == 0  # its generator
    assert cli.main(["classify", str(tmp_path / "g"), clip]) == 2  # not a run, not an export
    assert cli.main(["train", "dense-gan", "--epochs", "1", "--out", str(tmp_path / "r3"),
                     "--labels-per-class", "2", *TINY]) == 2
    assert "does not apply to dense-gan" in capsys.readouterr().err


def test_evaluation_resamples_between_the_models_rate_and_the_judges():
    from gan_audio.evaluation import at_rate

    t = np.arange(4000) / 4000
    tones = np.stack([np.sin(2 * np.pi * f * t) for f in (300.0, 700.0)]).astype(np.float32)
    up = at_rate(tones, 4000, 16000)
    assert up.shape == (2, 16000) and up.dtype == np.float32
    peaks = np.argmax(np.abs(np.fft.rfft(up[:, 2000:-2000], axis=1)), axis=1) * 16000 / 12000
    np.testing.assert_allclose(peaks, [300.0, 700.0], atol=2.0)
    np.testing.assert_array_equal(at_rate(tones, 4000, 4000), tones)  # same rate: untouched


@pytest.fixture(scope="module")
def real_digits():
    """A real speaker's ten recorded digits (`scripts/make_real_speech.py` builds them when missing)."""
    from gan_audio.data import AudioFileError
    from gan_audio.data.real_speech import real_digit_files

    try:
        return real_digit_files()
    except AudioFileError:
        script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts",
                              "make_real_speech.py")
        done = subprocess.run([sys.executable, script], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return real_digit_files()


def test_judge_hears_a_real_speaker_it_never_trained_on(judge, real_digits):
    from gan_audio.data import load_audio
    from gan_audio.data.real_speech import DIGIT_SPEAKER

    assert DIGIT_SPEAKER in judge_info()["never_trained_on"]
    heard = [judge.class_names[int(judge.serve(waveform=load_audio(p, sample_rate=16000)[None])["label"][0])]
             for p in real_digits.paths]
    truth = [real_digits.class_names[label] for label in real_digits.labels]
    assert sum(h == t for h, t in zip(heard, truth)) >= 9, list(zip(truth, heard))


def test_evaluate_scores_what_a_model_declares_and_names_where_other_tasks_are_measured(tmp_path):
    from gan_audio.evaluation import evaluate
    from gan_audio.export import export_saved_model
    from gan_audio.models import SpectralMaskDenoiser

    folder = str(tmp_path / "denoiser")
    export_saved_model(SpectralMaskDenoiser.from_preset("tiny", seed=0), folder)
    with pytest.raises(ValueError, match=r"does denoise: `evaluate` scores the generate and classify tasks.*"
                                         r"benchmarks/denoise.py"):
        evaluate(folder, data="spoken_digits:test", num=2)
