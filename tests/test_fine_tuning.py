"""Starting a run from another model's weights, recipe options, and the vocoder's telephone band."""
import json
import os

import numpy as np
import pytest
import tensorflow as tf

from gan_audio import cli
from gan_audio.data.augment import low_pass, random_augment
from gan_audio.export import export_saved_model
from gan_audio.models import WaveNetDenoiser
from gan_audio.warm_start import copy_weights_from

TINY = ["--preset", "tiny", "--batch-size", "4", "--steps-per-epoch", "2", "--clips-per-epoch", "1"]


def _noisy(n=2, length=1000, seed=0):
    return (0.1 * np.random.default_rng(seed).standard_normal((n, length))).astype("float32")


def test_weights_come_from_an_export_or_a_run_and_reproduce_it(tmp_path):
    trained = WaveNetDenoiser.from_preset("tiny", seed=1)
    for w in trained.trainable_weights:  # weights no fresh model has
        w.assign(w + 0.05 * np.random.default_rng(2).standard_normal(w.shape).astype("float32"))
    export = export_saved_model(trained, str(tmp_path / "saved"))
    fresh = WaveNetDenoiser.from_preset("tiny", seed=0)
    x = _noisy()
    assert not np.allclose(fresh.serve(x)["waveform"], trained.serve(x)["waveform"])
    assert copy_weights_from(fresh, export) == len(fresh.weights)
    np.testing.assert_allclose(fresh.serve(x)["waveform"], trained.serve(x)["waveform"], atol=1e-6)
    with pytest.raises(ValueError, match="does not fit this model"):
        copy_weights_from(WaveNetDenoiser.from_preset("default", seed=0), export)


def test_a_fine_tuning_run_starts_from_the_export_and_records_it(tmp_path, capsys):
    base, saved, tuned = str(tmp_path / "base"), str(tmp_path / "saved"), str(tmp_path / "tuned")
    assert cli.main(["train", "wavenet-denoiser", "--epochs", "1", "--out", base, *TINY]) == 0
    assert cli.main(["export", base, "--out", saved]) == 0
    assert cli.main(["train", "wavenet-denoiser", "--epochs", "1", "--out", tuned, "--init-from", saved,
                     "--recipe-option", 'noise_kinds=["hum", "clatter"]', "--recipe-option", "snr_db=[-5, 0]",
                     *TINY]) == 0
    config = json.load(open(os.path.join(tuned, "config.json")))
    assert config["init_from"] == os.path.abspath(saved)
    assert config["recipe_options"] == {"noise_kinds": ["hum", "clatter"], "snr_db": [-5, 0]}
    history = open(os.path.join(tuned, "history.csv")).read().splitlines()
    assert len(history) == 2 and np.isfinite(float(history[1].split(",")[1]))  # it trained one epoch
    capsys.readouterr()
    assert cli.main(["train", "wavenet-denoiser", "--epochs", "1", "--out", str(tmp_path / "bad"),
                     "--recipe-option", 'noise_kinds=["rain"]', *TINY]) == 2
    assert "noise_kinds" in capsys.readouterr().err
    assert cli.main(["train", "wavenet-denoiser", "--epochs", "1", "--out", str(tmp_path / "bad2"),
                     "--recipe-option", "seed=3", *TINY]) == 2
    assert "may not set the run settings ['seed']" in capsys.readouterr().err
    assert cli.main(["train", "wavenet-denoiser", "--epochs", "1", "--out", str(tmp_path / "bad3"),
                     "--recipe-option", "snr=[0, 5]", *TINY]) == 2  # misspelt: not a silently kept default
    err = capsys.readouterr().err
    assert "Unknown recipe options ['snr']" in err and "snr_db" in err
    assert not os.path.exists(os.path.join(tmp_path, "bad3", "history.csv"))
    assert cli.main(["train", "gcdg", "--preset", "tiny", "--epochs", "1", "--out", str(tmp_path / "bad4"),
                     "--recipe-option", "band_limit=0.2"]) == 2  # the vocoder's option, not the texture recipe's
    assert "babble_source" in capsys.readouterr().err


def test_low_pass_keeps_the_telephone_band_only():
    t = np.arange(16000) / 16000
    x = np.stack([np.sin(2 * np.pi * 1000 * t) + np.sin(2 * np.pi * 6000 * t)] * 2).astype("float32")
    y = np.abs(np.fft.rfft(low_pass(x, tf.constant([3500.0, 8000.0]), 16000).numpy(), axis=1))
    assert y[0, 1000] > 0.99 * 8000 and y[0, 6000] < 1e-2  # 6 kHz gone below a 3.5 kHz cutoff
    assert y[1, 6000] > 0.99 * 8000  # a cutoff at Nyquist keeps everything
    seed = tf.constant([1, 2])
    some = random_augment(np.tile(x[:1], (64, 1)), seed, band_limit=0.25).numpy()
    limited = np.abs(np.fft.rfft(some, axis=1))[:, 6000] < 1.0
    assert 4 <= limited.sum() <= 30  # about a quarter of the clips
    np.testing.assert_array_equal(random_augment(x, seed, max_gain_db=6.0).numpy(),
                                  random_augment(x, seed, max_gain_db=6.0, band_limit=0.0).numpy())


def test_learning_rates_scale_and_decay_to_zero_over_the_run_and_resume_on_the_schedule(tmp_path):
    from gan_audio.training import load_run

    run = str(tmp_path / "run")
    assert cli.main(["train", "vocoder", "--epochs", "2", "--out", run, "--learning-rate-scale", "0.5",
                     "--cosine-decay", "--data", "spoken_digits:train", *TINY]) == 0
    model, config = load_run(run)
    assert config["learning_rate_scale"] == 0.5 and config["cosine_decay"] is True
    preset = model.compile_kwargs("tiny")  # the preset's two rates, kept in ratio and decayed over 2 × 2 steps
    for name in ("g_optimizer", "d_optimizer"):
        schedule = getattr(model, name)._learning_rate
        rate = float(getattr(preset[name], "learning_rate"))
        assert float(schedule(0)) == pytest.approx(0.5 * rate, rel=1e-5)
        assert float(schedule(2)) == pytest.approx(0.25 * rate, rel=1e-5)  # half way: cos(π/2)
        assert float(getattr(model, name).learning_rate) == pytest.approx(0.0, abs=1e-9)  # 4 steps done
    assert cli.main(["train", "vocoder", "--epochs", "3", "--out", run, "--resume"]) == 0  # the stored schedule, at its end
    model, _ = load_run(run)
    assert int(model.g_optimizer.iterations) == 6 and float(model.g_optimizer.learning_rate) == 0.0
    with pytest.raises(ValueError, match="learning_rate_scale must be a number > 0"):
        WaveNetDenoiser.compile_kwargs("tiny", learning_rate_scale=0)
