"""SemiSupervisedGAN: the article preset, shared family checks, the classifier, learning from 5 labels."""
import keras
import numpy as np
import pytest

from gan_audio.data import (SPOKEN_DIGITS_TEST_VARIANTS, audio_dataset, find_audio_files, speaker_split,
                            spoken_digits_variant)
from gan_audio.judge.robustness import accuracy
from gan_audio.models import SemiSupervisedGAN
from gan_audio.recipes import semi_supervised_dataset
from tests.family_test_case import FamilyTestCase
from tests.test_dense_gan import _dense_layers

CLASSES = find_audio_files("spoken_digits").class_names


class TestTinySGAN(FamilyTestCase):
    model_class = SemiSupervisedGAN
    init_kwargs = {**SemiSupervisedGAN.PRESETS["tiny"]["config"], "class_names": CLASSES, "seed": 0}
    preset = "tiny"

    def train_dataset(self, model):
        return semi_supervised_dataset(model, {"data": "spoken_digits", "labels_per_class": 2, "batch_size": 8}).dataset

    def example_inputs(self, model):
        return {"waveform": (0.1 * np.random.default_rng(1).standard_normal((2, 20000))).astype("float32")}

    def test_shared_checks(self, tmp_path):
        history = self.run_shared_checks(self.make_model(), tmp_path)
        # g_loss is the feature-matching term (G's only term: it is not tracked twice).
        assert sorted(history.history) == ["d_fake", "d_loss", "d_real", "g_loss", "labelled_accuracy",
                                           "supervised", "unsupervised"]

    def test_mixed_precision(self):
        self.run_mixed_precision_test()


def test_article1_preset_keeps_the_articles_shapes():
    model = SemiSupervisedGAN.from_preset("article1")
    dense = _dense_layers
    assert dense(model.generator) == [(256, "relu"), (784, "sigmoid")]
    assert dense(model.discriminator) == [(256, "relu"), (10, "linear")]  # K logits, the fake one implicit
    assert model.discriminator.input_shape == (None, 28, 28) and model.latent_dim == 100


def test_classifier_shares_the_discriminator_and_batches_are_checked():
    model = SemiSupervisedGAN.from_preset("tiny", class_names=CLASSES)
    classifier = model.classifier()
    assert classifier.discriminator is model.discriminator
    waveform = (0.1 * np.random.default_rng(2).standard_normal((3, 16000))).astype("float32")
    np.testing.assert_allclose(classifier.serve(waveform=waveform)["probabilities"],
                               model.serve(waveform=waveform)["probabilities"], rtol=1e-6)
    with pytest.raises(ValueError, match="labelled"):
        model.unpack(waveform)
    with pytest.raises(ValueError, match="conditional"):
        SemiSupervisedGAN.from_preset("tiny", conditional=True)


@pytest.mark.slow
def test_sgan_learns_words_of_unseen_voices_from_five_labels_per_class():
    train, test = speaker_split(find_audio_files("spoken_digits"), SPOKEN_DIGITS_TEST_VARIANTS,
                                speaker_fn=spoken_digits_variant)
    keras.utils.set_random_seed(0)
    model = SemiSupervisedGAN.from_preset("tiny", class_names=train.class_names, seed=0)
    data = semi_supervised_dataset(model, {"data": train, "labels_per_class": 5, "batch_size": 16})
    model.compile(**SemiSupervisedGAN.compile_kwargs("tiny"))
    model.fit(data.dataset, epochs=1, steps_per_epoch=300, verbose=0)
    clips, labels = next(iter(audio_dataset(test, batch_size=len(test), shuffle=False, training=False)))
    held_out = accuracy(model.classifier(), clips.numpy(), labels.numpy())
    print(f"tiny SGAN, 5 labels per class, 300 steps: {held_out:.1%} on 9 held-out voices")
    assert held_out > 0.7  # chance is 10 %
