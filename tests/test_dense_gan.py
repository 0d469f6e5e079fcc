"""DenseGAN: article presets, shared model checks, learning on real speech."""
import keras
import numpy as np
import pytest

from gan_audio.data import audio_dataset, find_audio_files
from gan_audio.models import DenseGAN
from tests.helpers import run_model_checks


def _dense_layers(network):
    """[(units, activation name)] of every Dense layer, activations resolved."""
    layers, out = network.layers, []
    for i, layer in enumerate(layers):
        if isinstance(layer, keras.layers.Dense):
            activation = layer.activation.__name__
            following = layers[i + 1] if i + 1 < len(layers) else None
            if activation == "linear" and isinstance(following, keras.layers.LeakyReLU):
                activation = f"leaky_relu({following.negative_slope:g})"
            elif activation == "linear" and isinstance(following, keras.layers.Activation):
                activation = following.activation.__name__
            out.append((layer.units, activation))
    return out


def test_article1_preset_is_the_articles_network():
    model = DenseGAN.from_preset("article1")
    assert model.latent_dim == 100
    assert _dense_layers(model.generator) == [(256, "relu"), (784, "sigmoid")]
    assert _dense_layers(model.discriminator) == [(256, "relu"), (1, "sigmoid")]
    assert model.generator.output_shape == (None, 28, 28)
    assert DenseGAN.compile_kwargs("article1") == {"loss": "minimax", "from_logits": False}


def test_article4_preset_is_the_articles_network():
    model = DenseGAN.from_preset("article4")
    assert model.latent_dim == 100
    assert _dense_layers(model.generator) == [
        (128, "relu"), (256, "relu"), (512, "relu"), (1024, "relu"), (80, "tanh")
    ]
    assert _dense_layers(model.discriminator) == [
        (512, "leaky_relu(0.2)"), (256, "leaky_relu(0.2)"), (1, "sigmoid")
    ]
    model.compile(**DenseGAN.compile_kwargs("article4"))
    for optimizer in (model.g_optimizer, model.d_optimizer):
        assert float(optimizer.learning_rate) == pytest.approx(2e-4)
        assert float(optimizer.beta_1) == pytest.approx(0.5)
    assert model.loss_name == "non_saturating" and model.from_logits is False


def test_frame_presets_cut_clips_into_patches():
    model = DenseGAN.from_preset("article4")
    clips = np.random.default_rng(0).uniform(-1, 1, (3, model.clip_frames, 80)).astype("float32")
    patches, labels = model.prepare_real(clips, np.array([4, 5, 6], "int32"))
    assert patches.shape == (3 * model.clip_frames, 1, 80)
    np.testing.assert_array_equal(patches[model.clip_frames + 2, 0], clips[1, 2])
    np.testing.assert_array_equal(labels[: model.clip_frames], 4)
    with pytest.raises(ValueError, match="frames"):
        DenseGAN.from_preset("article4", frames=10_000)
    with pytest.raises(ValueError, match="preset"):
        DenseGAN.from_preset("no_such_preset")


def test_features_are_in_the_generator_range():
    waves = next(iter(audio_dataset("spoken_digits", labels=None, batch_size=8, seed=0)))
    for preset, (lo, hi) in {"default": (-1, 1), "article1": (0, 1)}.items():
        model = DenseGAN.from_preset(preset)
        features = np.asarray(model.features(waves))
        assert features.shape == (8, model.clip_frames, model.num_mel_bins)
        assert features.min() >= lo and features.max() <= hi
        assert features.std() > 0.05  # speech, not a constant


@pytest.fixture(scope="module")
def digit_files():
    return find_audio_files("spoken_digits").paths[::6]  # 100 clips, every word and voice group


@pytest.mark.parametrize("conditional", [False, True], ids=["unconditional", "conditional"])
def test_tiny_passes_the_shared_checks(conditional, digit_files, tmp_path):
    labelled = "inferred" if conditional else None
    waves = audio_dataset(digit_files if not conditional else "spoken_digits", labels=labelled, batch_size=16, seed=0)
    model = DenseGAN.from_preset("tiny", seed=1, num_classes=10 if conditional else None)
    model.adapt(waves)
    assert model.get_config()["high"] > model.get_config()["low"] + 20  # adapted to speech levels
    model.compile(**DenseGAN.compile_kwargs("tiny"))
    run_model_checks(model, waves.map(model.features).repeat(), tmp_path)


def _mean_spectrum(log_mel):
    return np.asarray(log_mel).mean(axis=(0, 1))


@pytest.mark.slow
def test_default_learns_the_mean_spectrum_of_speech(digit_files):
    waves = audio_dataset(digit_files, labels=None, batch_size=32, seed=0, cache=True)
    model = DenseGAN.from_preset("default", seed=0)
    model.adapt(waves)
    model.compile(**DenseGAN.compile_kwargs("default"))
    real = np.concatenate([model.to_db(model.features(w)) for w in waves])
    target = _mean_spectrum(real)
    before = np.linalg.norm(_mean_spectrum(model.synthesize(128, seed=0)["log_mel"]) - target)
    model.fit(waves.map(model.features).repeat(), epochs=1, steps_per_epoch=300, verbose=0)
    after = np.linalg.norm(_mean_spectrum(model.synthesize(128, seed=0)["log_mel"]) - target)
    print(f"mean log-mel distance to the data: {before:.2f} dB at init, {after:.2f} dB after 300 steps")
    assert after <= 0.5 * before, (before, after)
