"""A non-GAN family registers and runs through the same machinery as a GAN.

`ToyDenoiser` is a plain `keras.Model` (Keras' own `compile`/`fit`, a
regression loss) that maps a noisy waveform to a clean one: the shape of the
WaveNet denoiser to come. Registering it is one `Family` entry; training,
resuming, samples, export and the CLI's errors then work unchanged.
"""
import os

import keras
import numpy as np
import pytest
import soundfile as sf
import tensorflow as tf

from gan_audio import cli
from gan_audio import registry
from gan_audio.data import audio_dataset, bundled_path
from gan_audio.models.protocol.dataset_fit import DatasetFitMixin
from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.recipes import TrainingData
from gan_audio.serving import ServingMixin

PRESETS = {"tiny": {"description": "Two 1-D convolutions.", "config": {"width": 4},
                    "compile": {"optimizer": "adam", "loss": "mse"}}}


@keras.saving.register_keras_serializable(package="gan_audio_tests")
class ToyDenoiser(PresetMixin, ServingMixin, DatasetFitMixin, keras.Model):
    PRESETS = PRESETS

    def __init__(self, width=4, sample_rate=16000, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.width, self.sample_rate, self.seed = int(width), int(sample_rate), seed
        self.hidden = keras.layers.Conv1D(self.width, 9, padding="same", activation="tanh", name="hidden")
        self.out = keras.layers.Conv1D(1, 9, padding="same", name="out")

    def call(self, noisy):
        return self.out(self.hidden(noisy[..., None]))[..., 0]

    def serving_inputs(self):
        return {"noisy": tf.TensorSpec((None, None), tf.float32, name="noisy")}

    def serve(self, noisy):
        return {"waveform": tf.cast(self(noisy), tf.float32)}

    def get_config(self):
        return {**super().get_config(), "width": self.width, "sample_rate": self.sample_rate, "seed": self.seed}


def toy_recipe(model, settings, adapt=True, strict=False):
    seed, batch_size = settings["seed"], settings["batch_size"]
    clean = audio_dataset(settings["data"], labels=None, batch_size=batch_size, seed=seed, strict=strict,
                          drop_remainder=True)
    noisy = clean.map(lambda x: (x + 0.05 * tf.random.stateless_normal(tf.shape(x), [seed, 1]), x))
    fixed = next(iter(noisy))[0][:2].numpy()
    return TrainingData(noisy.repeat(), None, max(1, len(clean.files) // batch_size), {"noisy": fixed})


@pytest.fixture
def toy_family(monkeypatch):
    family = registry.Family(
        name="toy-denoiser", model="tests.test_registry:ToyDenoiser", presets_ref="tests.test_registry:PRESETS",
        recipe="tests.test_registry:toy_recipe", description="A plain Keras model.", tasks=("denoise",),
        consumes="noisy (B, S)",
        produces="waveform (B, S)")
    monkeypatch.setitem(registry.FAMILIES, family.name, family)
    return family


def test_a_plain_keras_model_registers_trains_resumes_and_exports(toy_family, tmp_path, capsys):
    run, saved = str(tmp_path / "run"), str(tmp_path / "saved")
    words = os.path.join(bundled_path("spoken_digits"), "one", "*.flac")
    args = ["train", "toy-denoiser", "--data", words, "--preset", "tiny", "--batch-size", "8",
            "--steps-per-epoch", "2", "--out", run]
    assert cli.main([*args, "--epochs", "1"]) == 0
    assert cli.main(["train", "toy-denoiser", "--epochs", "2", "--out", run, "--resume"]) == 0
    history = open(os.path.join(run, "history.csv")).read().splitlines()
    assert history[0].split(",") == ["epoch", "loss"] and len(history) == 3
    model = keras.saving.load_model(os.path.join(run, "model.keras"))
    assert int(model.optimizer.iterations) == 4  # optimizer state kept across the resume
    sample, rate = sf.read(os.path.join(run, "samples", "epoch_002", "sample_01.wav"), dtype="float32")
    assert rate == 16000 and sample.shape == (16000,) and np.abs(sample).max() > 1e-3
    assert cli.main(["export", run, "--out", saved]) == 0
    capsys.readouterr()
    assert cli.main(["generate", run, "--out", str(tmp_path / "g")]) == 2
    err = capsys.readouterr().err
    assert f"{run} is a denoiser: it needs noisy speech, not nothing. Run gan-audio denoise {run} FILES." in err
    assert cli.main(["models"]) == 0
    assert "toy-denoiser: A plain Keras model." in capsys.readouterr().out


def test_the_vocoder_pairs_the_registry_lists_read_the_same_log_mels(capsys):
    from gan_audio.vocoding import check_analysis

    vocoder = registry.get_family("vocoder").model_class
    pairs = [(name, preset, v) for name, family in registry.FAMILIES.items()
             for preset, vocoders in family.vocoders.items() for v in vocoders]
    assert ("spec-gan", "default", "small") in pairs
    for name, preset, v in pairs:
        model = registry.get_family(name).model_class.from_preset(preset)
        check_analysis(model.serving_metadata(), vocoder.from_preset(v).serving_metadata(), name, v)  # no error
    with pytest.raises(ValueError, match="frame_step 128 \\(generator: 512\\)"):  # tiny is for tests: unlisted
        check_analysis(registry.get_family("spec-gan").model_class.from_preset("tiny").serving_metadata(),
                       vocoder.from_preset("tiny").serving_metadata(), "spec-gan tiny", "vocoder tiny")
    assert cli.main(["models"]) == 0
    assert "vocode default with: vocoder small, vocoder hifigan" in capsys.readouterr().out
