"""DenseGAN: article presets, shared model checks, learning on real speech."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.data import audio_dataset, find_audio_files
from gan_audio.models import DenseGAN
from tests.family_test_case import FamilyTestCase


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
    model = DenseGAN.from_preset("article4", conditional=True, num_classes=10)
    clips = np.random.default_rng(0).uniform(-1, 1, (3, model.clip_frames, 80)).astype("float32")
    batch = model.unpack((clips, np.array([4, 5, 6], "int32")))
    patches, labels = batch["real"], batch["label"]
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


class TestTinyDenseGAN(FamilyTestCase):
    """The shared family checks on `tiny`, unconditional."""

    model_class = DenseGAN
    init_kwargs = {**DenseGAN.PRESETS["tiny"]["config"], "seed": 1}
    preset = "tiny"
    labels = None

    def train_dataset(self, model):
        waves = audio_dataset(find_audio_files("spoken_digits").paths[::6] if self.labels is None else "spoken_digits",
                              labels=self.labels, batch_size=16, seed=0)
        model.adapt(waves.map(lambda w, *y: w))
        assert model.get_config()["codec"]["config"]["high"] > model.get_config()["codec"]["config"]["low"] + 20
        return waves.map(model.features).repeat()

    def example_inputs(self, model):
        inputs = {"noise": np.random.default_rng(7).standard_normal((3, model.latent_dim)).astype("float32")}
        if model.conditional:
            inputs["label"] = np.array([0, 4, 9], "int32")
        return inputs

    def test_shared_checks(self, tmp_path):
        self.run_shared_checks(self.make_model(), tmp_path)

    def test_mixed_precision(self):
        self.run_mixed_precision_test()


class TestTinyConditionalDenseGAN(TestTinyDenseGAN):
    init_kwargs = {**TestTinyDenseGAN.init_kwargs, "conditional": True, "num_classes": 10}
    labels = "inferred"

    def test_mixed_precision(self):
        pass  # the unconditional case covers it


def test_config_round_trip_keeps_the_codec():
    model = DenseGAN.from_preset("tiny")
    model.codec.normalizer.set_range(-31.0, 17.5)
    clone = DenseGAN.from_config(model.get_config())
    for attribute in ("num_mel_bins", "frame_length", "frame_step", "sample_rate"):
        assert getattr(clone.codec, attribute) == getattr(model.codec, attribute), attribute
    assert (clone.codec.num_mel_bins, clone.codec.frame_length) == (16, 512)  # not the defaults (64, 1024)
    assert (clone.codec.normalizer.low, clone.codec.normalizer.high) == (-31.0, 17.5)
    assert clone.codec.griffin_lim.iterations == 4
    with pytest.raises(ValueError, match="conditional=True"):
        DenseGAN.from_preset("tiny", num_classes=10)
    with pytest.raises(TypeError, match="codec"):
        DenseGAN.from_preset("tiny", codec=[512])


def _mean_spectrum(log_mel):
    return np.asarray(log_mel).mean(axis=(0, 1))


def _spread(log_mel):
    """Mean over (frame, mel bin) of the standard deviation across clips, dB:
    zero for a generator that gives every noise the same spectrogram."""
    return float(np.asarray(log_mel).std(axis=0).mean())


@pytest.mark.slow
def test_default_learns_the_spectrum_of_speech_and_stays_diverse(digit_files):
    waves = audio_dataset(digit_files, labels=None, batch_size=32, seed=0, cache=True)
    model = DenseGAN.from_preset("default", seed=0)
    model.adapt(waves)
    model.compile(**DenseGAN.compile_kwargs("default"))
    real = np.concatenate([model.to_db(model.features(w)) for w in waves])
    target = _mean_spectrum(real)
    initial = model.synthesize(128, seed=0)["log_mel"]
    before = np.linalg.norm(_mean_spectrum(initial) - target)
    model.fit(waves.map(model.features).repeat(), epochs=1, steps_per_epoch=300, verbose=0)
    samples = model.synthesize(128, seed=0)["log_mel"]
    after = np.linalg.norm(_mean_spectrum(samples) - target)
    print(f"mean log-mel distance to the data: {before:.2f} dB at init, {after:.2f} dB after 300 steps; "
          f"spread across clips: real {_spread(real):.2f} dB, init {_spread(initial):.2f}, "
          f"trained {_spread(samples):.2f}")
    assert after <= 0.5 * before, (before, after)
    # Samples move toward the data *and stay diverse*: a collapsed generator
    # (one spectrogram for every noise) has a spread near 0.
    assert _spread(samples) >= 0.5 * _spread(real), (_spread(samples), _spread(real))


def test_inference_and_evaluation_never_move_the_training_noise():
    """generate / synthesize with seed=None and evaluate between two fits leave the run as it was."""
    def run(look):
        keras.utils.set_random_seed(0)
        model = DenseGAN.from_preset("tiny", seed=3)
        model.compile(**DenseGAN.compile_kwargs("tiny"))
        waves = np.random.default_rng(0).uniform(-0.5, 0.5, (8, model.clip_samples)).astype("float32")
        clips = np.asarray(model.features(tf.constant(waves)))  # what a DenseGAN trains on
        model.fit(clips, batch_size=4, epochs=1, verbose=0)
        state = np.array(model.seed_generator.state.value)
        if look:
            a, b = model.synthesize(2)["waveform"], model.synthesize(2)["waveform"]
            assert not np.allclose(a, b)  # seed=None: new draws each call
            model.generate(2)
            model.evaluate(clips, batch_size=4, verbose=0)
            np.testing.assert_array_equal(np.array(model.seed_generator.state.value), state)
        model.fit(clips, batch_size=4, epochs=1, verbose=0, shuffle=False)
        return [np.array(w) for w in model.generator.weights]

    for looked, plain in zip(run(True), run(False)):
        np.testing.assert_array_equal(looked, plain)
