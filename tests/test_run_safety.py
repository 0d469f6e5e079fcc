"""Runs that cannot silently go wrong: a non-finite loss stops the run naming the term (the last checkpoint
intact), and compile() rejects loss arguments a family would ignore."""
import numpy as np
import pytest

from gan_audio.callbacks import NonFiniteLossError, NonFiniteLossStop
from gan_audio.checkpoints import read_checkpoint_state
from gan_audio.models import DenseGAN, SemiSupervisedGAN, Vocoder
from gan_audio.training import load_run, train

TINY = {"preset": "tiny", "batch_size": 4, "steps_per_epoch": 2, "clips_per_epoch": 1}


def test_the_callback_names_the_term_epoch_and_step():
    stop = NonFiniteLossStop()
    stop.on_epoch_begin(2)
    stop.on_train_batch_end(0, {"g_loss": 1.0, "d_loss": 0.5})
    with pytest.raises(NonFiniteLossError, match=r"'d_loss' is nan at epoch 3, step 5"):
        stop.on_train_batch_end(4, {"g_loss": 1.0, "d_loss": float("nan")})
    with pytest.raises(NonFiniteLossError, match="'g_loss' is inf"):
        stop.on_train_batch_end(0, {"g_loss": np.float32("inf")})


def test_a_run_that_turns_nan_stops_and_keeps_its_last_checkpoint(tmp_path, monkeypatch):
    run = str(tmp_path / "run")
    train("dense-gan", out=run, epochs=1, **TINY)
    good = [np.array(w) for w in load_run(run)[0].generator.get_weights()]
    original = DenseGAN.generator_losses

    def poisoned(self, batch, fake, training=True):
        return {name: term * np.nan for name, term in original(self, batch, fake, training).items()}

    monkeypatch.setattr(DenseGAN, "generator_losses", poisoned)
    with pytest.raises(NonFiniteLossError, match=r"'g_loss' is nan at epoch 2, step 1"):
        train(out=run, epochs=3, resume=True)
    monkeypatch.undo()
    assert read_checkpoint_state(f"{run}/model.keras")["epochs_done"] == 1
    kept = load_run(run)[0].generator.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(good, kept))
    train(out=run, epochs=2, resume=True)  # and the run goes on from it
    assert read_checkpoint_state(f"{run}/model.keras")["epochs_done"] == 2


@pytest.mark.parametrize("model_class", [Vocoder, SemiSupervisedGAN])
def test_compile_rejects_loss_arguments_a_family_ignores(model_class):
    model = model_class.from_preset("tiny", **({"num_classes": 10} if model_class is SemiSupervisedGAN else {}))
    with pytest.raises(ValueError, match=r"would ignore loss='wasserstein', gradient_penalty_weight=10"):
        model.compile(loss="wasserstein", gradient_penalty_weight=10)
    model.compile(**model_class.compile_kwargs("tiny"))  # its own arguments are fine


def test_compile_keeps_the_loss_arguments_of_families_that_use_them():
    model = DenseGAN.from_preset("tiny")
    model.compile(loss="wasserstein", gradient_penalty_weight=10.0)
    assert model.loss_name == "wasserstein" and "gradient_penalty" in model.loss_names().discriminator


def _scalars(log_dir):
    import glob

    import tensorflow as tf

    values = {}
    for path in glob.glob(f"{log_dir}/**/events.out.tfevents.*", recursive=True):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                array = tf.make_ndarray(value.tensor) if value.HasField("tensor") else np.asarray(value.simple_value)
                if array.ndim == 0 and array.dtype.kind == "f":  # scalars (not audio, not images)
                    values[value.tag] = float(array)
    return values


def test_tensorboard_logs_the_learning_rates_that_train(tmp_path):
    run = str(tmp_path / "run")
    model, _ = train("dense-gan", out=run, epochs=1, **TINY)
    scalars = _scalars(f"{run}/logs")
    expected_g = float(np.asarray(getattr(model.g_optimizer, "inner_optimizer", model.g_optimizer).learning_rate))
    assert scalars["epoch_learning_rate_g"] == pytest.approx(expected_g)
    assert scalars["epoch_learning_rate_d"] == pytest.approx(
        float(np.asarray(getattr(model.d_optimizer, "inner_optimizer", model.d_optimizer).learning_rate)))
    assert "epoch_learning_rate" not in scalars  # Keras' unused default optimizer is not logged


@pytest.mark.parametrize("family", ["dense-gan", "spec-gan", "gcdg", "vocoder", "classifier"])
def test_fewer_clips_than_one_batch_still_train(tmp_path, family):
    import glob
    import os
    import shutil

    for word in ("one", "two"):  # three clips in all, batches of 8
        os.makedirs(tmp_path / "few" / word)
        for path in sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "gan_audio", "data",
                                                  "spoken_digits", word, "*.flac")))[:1 if word == "one" else 2]:
            shutil.copy(path, tmp_path / "few" / word)
    model, history = train(family, out=str(tmp_path / "run"), epochs=1, data=str(tmp_path / "few"),
                           **{**TINY, "batch_size": 8})
    losses = {k: v for k, v in history.history.items() if k.endswith("loss")}
    assert losses and all(np.isfinite(v[0]) for v in losses.values())  # steps ran and logged their losses
    optimizer = getattr(model, "g_optimizer", None) or model.optimizer
    assert int(optimizer.iterations) == TINY["steps_per_epoch"]


def test_an_epoch_the_data_cannot_fill_stops_the_run_untrained(tmp_path, monkeypatch):
    import os

    from gan_audio import recipes
    from gan_audio.callbacks import IncompleteEpochError

    original = recipes.spectrogram_gan_dataset

    def runs_out(model, settings, adapt=True, strict=False):  # a recipe that forgot to repeat
        data = original(model, settings, adapt, strict)
        return data._replace(dataset=data.dataset.take(1))

    monkeypatch.setattr(recipes, "spectrogram_gan_dataset", runs_out)
    run = str(tmp_path / "run")
    with pytest.raises(IncompleteEpochError, match="Epoch 1 ran 1 of its 2 steps: the data ran out"):
        train("dense-gan", out=run, epochs=1, **TINY)
    assert read_checkpoint_state(f"{run}/model.keras") is None  # no checkpoint of an untrained epoch
    assert not os.path.exists(f"{run}/history.csv") or len(open(f"{run}/history.csv").read().splitlines()) <= 1


def test_a_run_from_before_clips_per_epoch_was_named_so_resumes(tmp_path):
    import json
    import os

    run = str(tmp_path / "run")
    train("dense-gan", out=run, epochs=1, **TINY)
    path = os.path.join(run, "config.json")
    config = json.load(open(path))
    config["num_samples"] = config.pop("clips_per_epoch")  # as written before the rename
    json.dump(config, open(path, "w"))
    train(out=run, epochs=2, resume=True)
    assert sorted(os.listdir(os.path.join(run, "samples", "epoch_002"))) == ["sample_00.wav", "spectrograms.png"]
    with pytest.raises(TypeError, match=r"unknown settings \['num_samples'\]"):
        train("dense-gan", out=str(tmp_path / "other"), epochs=1, num_samples=1)
