"""Trained presets: every shipped model loads with `from_preset(name)`, reproduces its export and fine-tunes."""
import os

import keras
import numpy as np
import pytest

import gan_audio.models as models
from gan_audio.export import export_saved_model, load_saved_model
from gan_audio.models import DenseGAN, SpecGAN, Vocoder
from gan_audio.models.protocol.trained_presets import export_info, trained_presets
from tests import (test_dense_gan, test_gcdg, test_mask_denoiser, test_sgan, test_spec_gan, test_vocoder,
                   test_wavenet, test_wavenet_denoiser)

# A family's shared test case gives example inputs of every endpoint and a training set for any model of it.
CASES = {
    "SpecGAN": test_spec_gan.TestTinySpecGAN,
    "DenseGAN": test_dense_gan.TestTinyDenseGAN,
    "Vocoder": test_vocoder.TestTinyVocoder,
    "SpectralMaskDenoiser": test_mask_denoiser.TestTinySpectralMaskDenoiser,
    "WaveNetDenoiser": test_wavenet_denoiser.TestTinyWaveNetDenoiser,
    "SemiSupervisedGAN": test_sgan.TestTinySGAN,
    "GCDG": test_gcdg.TestTinyGCDG,
    "WaveNet": test_wavenet.TestTinyWaveNet,
}
SHIPPED = trained_presets()


def test_every_shipped_model_is_a_trained_preset_of_its_class():
    assert len(SHIPPED) >= 6
    for name, folder in SHIPPED.items():
        info, _ = export_info(folder)
        cls = getattr(models, info["class_name"])
        assert name in cls.trained_presets(), name
        assert info["metadata"]["preset"] in cls.presets(), name  # compile_kwargs(name) uses it
        assert set(CASES) >= {info["class_name"]}, f"no family case for {info['class_name']}: add it to CASES"


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_a_trained_preset_reproduces_its_export_and_fine_tunes(name):
    info, version = export_info(SHIPPED[name])
    cls = getattr(models, info["class_name"])
    model = cls.from_preset(name)
    card = model.preset_card
    assert card["export"] == version and card["size_mb"] > 0 and card["card"].startswith("#")
    case = CASES[info["class_name"]]()
    if getattr(model, "conditional", False) and hasattr(case, "labels"):
        case.labels = "inferred"  # the case's training set for a label-conditional model
    served = load_saved_model(version)
    requests = case.endpoint_inputs(model)
    before = {}
    for endpoint, inputs in requests.items():
        before[endpoint], theirs = model.run_endpoint(endpoint, **inputs), served.run_endpoint(endpoint, **inputs)
        assert sorted(before[endpoint]) == sorted(theirs)
        for key in theirs:
            np.testing.assert_allclose(before[endpoint][key], theirs[key], rtol=1e-4, atol=1e-4,
                                       err_msg=f"{endpoint}/{key}")
    # One step of `fit` from there, with the base preset's compile settings, moves what serving reads.
    model.compile(**cls.compile_kwargs(name))
    history = model.fit(case.train_dataset(model), epochs=1, steps_per_epoch=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values()), history.history
    after = {endpoint: model.run_endpoint(endpoint, **inputs) for endpoint, inputs in requests.items()}
    assert any(not np.allclose(after[e][k], before[e][k], atol=1e-7) for e in before for k in before[e])


def test_a_gan_export_sets_the_average_and_generator_and_leaves_the_discriminator_fresh(tmp_path):
    trained = DenseGAN.from_preset("tiny", seed=1, generator_average=0.9)
    for w in trained.generator.weights + trained.averaged_generator.weights + trained.discriminator.weights:
        w.assign(w + 0.05 * np.random.default_rng(2).standard_normal(w.shape).astype("float32"))
    folder = str(tmp_path / "dense_gan")
    export_saved_model(trained, folder, metadata={"preset": "tiny"})
    keras.utils.set_random_seed(5)  # the same initial weights for both
    loaded = DenseGAN.from_preset(folder, seed=1)
    keras.utils.set_random_seed(5)
    fresh = DenseGAN.from_preset("tiny", seed=1, generator_average=0.9)
    for ours, exported in zip(loaded.averaged_generator.weights, trained.averaged_generator.weights):
        np.testing.assert_array_equal(np.array(ours), np.array(exported))
    for ours, exported in zip(loaded.generator.weights, trained.averaged_generator.weights):  # G starts at the average
        np.testing.assert_array_equal(np.array(ours), np.array(exported))
    for ours, initial in zip(loaded.discriminator.weights, fresh.discriminator.weights):  # not written by name
        np.testing.assert_array_equal(np.array(ours), np.array(initial))
    assert len(loaded.preset_card["fresh_weights"]) == len(fresh.discriminator.weights)
    ours, exported = loaded.synthesize(2, seed=3), trained.synthesize(2, seed=3)
    np.testing.assert_allclose(ours["waveform"], exported["waveform"], atol=1e-5)
    assert DenseGAN.compile_kwargs(folder)["loss"] == DenseGAN.compile_kwargs("tiny")["loss"]


def test_a_trained_preset_of_another_class_or_an_unknown_name_is_refused():
    if "vocoder_small" in SHIPPED:
        with pytest.raises(ValueError, match="holds a Vocoder, not a SpecGAN: load it with Vocoder.from_preset"):
            SpecGAN.from_preset("vocoder_small")
    with pytest.raises(ValueError, match=r"Unknown Vocoder preset 'smal'.*trained \['vocoder_small'\]"):
        Vocoder.from_preset("smal")
    with pytest.raises(ValueError, match="Unknown SpecGAN preset"):
        SpecGAN.compile_kwargs("nothing_like_it")


def test_the_shipped_folder_can_be_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_AUDIO_SAVED_MODELS", str(tmp_path))
    assert trained_presets() == {}
    export_saved_model(DenseGAN.from_preset("tiny", seed=0), str(tmp_path / "mine"), metadata={"preset": "tiny"})
    assert DenseGAN.trained_presets() == {"mine": os.path.join(str(tmp_path), "mine")}
    assert DenseGAN.from_preset("mine").preset_card["name"] == "mine"


def test_the_cli_fine_tunes_a_trained_preset_and_its_export_names_the_base_preset(tmp_path):
    import json

    from gan_audio import cli

    run, saved = str(tmp_path / "run"), str(tmp_path / "saved")
    args = ["train", "spec-gan", "--preset", "spec_gan_digits", "--epochs", "1", "--steps-per-epoch", "2",
            "--batch-size", "4", "--clips-per-epoch", "1", "--out", run]
    assert cli.main(args) == 0
    assert cli.main(["export", run, "--out", saved]) == 0
    metadata = json.load(open(os.path.join(saved, "1", "gan_audio.json")))["metadata"]
    assert metadata["preset"] == "default" and metadata["started_from"] == "spec_gan_digits"
    tuned, shipped = load_saved_model(saved), load_saved_model(SHIPPED["spec_gan_digits"])
    request = {"noise": np.zeros((1, 128), "float32"), "label": np.array([3], "int32")}
    # compared on the log-mel: the waveform's Griffin-Lim phases make any change look large
    moved = np.abs(tuned(**request)["log_mel"] - shipped(**request)["log_mel"]).mean()
    assert 0 < moved  # two steps of fine-tuning moved it; from the shipped weights, not fresh ones:
    fresh = SpecGAN.from_preset("default", seed=0, num_classes=10, conditional=True)
    assert np.abs(np.array(fresh.run_endpoint("serving_default", **request)["log_mel"])
                  - shipped(**request)["log_mel"]).mean() > 5 * moved  # measured: 32 dB against 1.8 dB
    assert cli.main(["train", "spec-gan", "--preset", "spec_gan_digits", "--init-from", saved, "--out",
                     str(tmp_path / "both")]) == 2
