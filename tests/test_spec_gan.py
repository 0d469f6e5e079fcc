"""SpecGAN: article 2's layers, the shared family checks, DiffAugment's shift."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.models import SpecGAN
from gan_audio.models.spec_gan.spec_gan_networks import translate
from gan_audio.recipes import spectrogram_gan_dataset
from tests.family_test_case import FamilyTestCase


def _layers(network):
    """[(kind, filters/units, kernel, strides)] of the weight layers, then norms/activations by kind."""
    out = []
    for layer in network.layers:
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Conv2DTranspose)):
            out.append((type(layer).__name__, layer.filters, tuple(layer.kernel_size), tuple(layer.strides)))
        elif isinstance(layer, keras.layers.Dense):
            out.append(("Dense", layer.units))
        elif isinstance(layer, (keras.layers.BatchNormalization, keras.layers.LeakyReLU)):
            out.append(type(layer).__name__)
        elif isinstance(layer, keras.layers.Activation):
            out.append(layer.activation.__name__)
    return out


def test_article2_preset_is_the_articles_network():
    model = SpecGAN.from_preset("article2")
    assert model.discriminator.input_shape == (None, 128, 128)
    block = lambda f: [("Conv2D", f, (4, 4), (2, 2)), "BatchNormalization", "LeakyReLU"]  # noqa: E731
    assert _layers(model.discriminator) == [*block(64), *block(128), *block(256), *block(512),
                                            ("Conv2D", 1, (7, 7), (1, 1)), ("Dense", 1)]
    up = lambda f: [("Conv2DTranspose", f, (4, 4), (2, 2)), "BatchNormalization", "tanh"]  # noqa: E731
    assert _layers(model.generator) == [("Dense", 8 * 8 * 512), "BatchNormalization", "tanh", *up(512), *up(256),
                                        *up(128), *up(64), ("Conv2D", 1, (7, 7), (1, 1)), "tanh"]
    assert model.generator.output_shape == (None, 128, 128)
    assert SpecGAN.compile_kwargs("article2") == {"loss": "non_saturating"}


class TestTinySpecGAN(FamilyTestCase):
    model_class = SpecGAN
    init_kwargs = {**SpecGAN.PRESETS["tiny"]["config"], "conditional": True, "num_classes": 10, "seed": 0}
    preset = "tiny"

    def train_dataset(self, model):
        return spectrogram_gan_dataset(model, {"data": "spoken_digits", "labelled": True, "batch_size": 8}).dataset

    def example_inputs(self, model):
        noise = np.random.default_rng(4).standard_normal((3, model.latent_dim)).astype("float32")
        return {"noise": noise, "label": np.array([1, 5, 9], "int32")}

    def test_shared_checks(self, tmp_path):
        history = self.run_shared_checks(self.make_model(), tmp_path)
        assert sorted(history.history) == ["d_fake", "d_loss", "d_real", "g_loss"]

    def test_mixed_precision(self):
        self.run_mixed_precision_test()


def test_translate_shifts_in_time_fills_silence_and_passes_gradients():
    images = tf.reshape(tf.range(2 * 6 * 2, dtype=tf.float32), (2, 6, 2))
    moved = translate(images, 3, keras.random.SeedGenerator(1)).numpy()
    for row, original in zip(moved, images.numpy()):
        shift = next(s for s in range(-3, 4) if np.allclose(
            row[max(s, 0):6 + min(s, 0)], original[max(-s, 0):6 - max(s, 0)]))
        filled = row[:shift] if shift > 0 else row[6 + shift:]
        assert np.all(filled == -1.0)
    with tf.GradientTape() as tape:
        tape.watch(images)
        total = tf.reduce_sum(translate(images, 3, keras.random.SeedGenerator(1)))
    assert tape.gradient(total, images) is not None


def test_shapes_must_divide_and_classes_need_conditioning():
    with pytest.raises(ValueError, match="divide by 2"):
        SpecGAN.from_preset("tiny", clip_seconds=0.6)
    with pytest.raises(ValueError, match="conditional=True"):
        SpecGAN.from_preset("tiny", num_classes=10)
