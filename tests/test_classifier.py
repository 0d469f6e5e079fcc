"""WordClassifier: shared family checks, any length, level invariance, learning."""
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.data import audio_dataset, find_audio_files
from gan_audio.features import PeakNormalization
from gan_audio.models import WordClassifier
from gan_audio.recipes import word_classifier_dataset
from tests.family_test_case import FamilyTestCase

CLASSES = find_audio_files("spoken_digits").class_names


class TestTinyWordClassifier(FamilyTestCase):
    model_class = WordClassifier
    init_kwargs = {**WordClassifier.PRESETS["tiny"]["config"], "class_names": CLASSES, "seed": 0}
    preset = "tiny"

    def train_dataset(self, model):
        return word_classifier_dataset(model, {"data": "spoken_digits", "batch_size": 16}).dataset

    def example_inputs(self, model):
        rng = np.random.default_rng(0)
        return {"waveform": (0.1 * rng.standard_normal((3, 12000))).astype("float32")}

    def test_shared_checks(self, tmp_path):
        self.run_shared_checks(self.make_model(), tmp_path)

    def test_mixed_precision(self):
        self.run_mixed_precision_test()


def test_any_length_gives_a_distribution_and_level_does_not_matter():
    model = WordClassifier.from_preset("tiny", class_names=CLASSES)
    clip = next(iter(audio_dataset("spoken_digits", batch_size=1, shuffle=False, training=False)))[0].numpy()
    for length in (800, 4000, 16000, 40000):  # shorter than the 0.25 s minimum, and longer than a clip
        waveform = np.zeros((2, length), "float32")
        waveform[:, : min(length, 16000)] = clip[0, : min(length, 16000)]
        out = model.serve(waveform=waveform)
        assert out["probabilities"].shape == (2, 10)
        np.testing.assert_allclose(np.sum(out["probabilities"], axis=1), 1.0, rtol=1e-5)
    quiet = model.serve(waveform=clip * 0.05)["probabilities"]
    np.testing.assert_allclose(quiet, model.serve(waveform=clip)["probabilities"], atol=1e-4)
    assert PeakNormalization(range_db=40)(tf.constant([[-10.0, -30.0, -90.0]])).numpy().tolist() == [[1.0, 0.0, -1.0]]
    with pytest.raises(ValueError, match="class_names"):
        WordClassifier(num_classes=3, class_names=["a", "b"])


@pytest.mark.slow
def test_tiny_classifier_learns_words_of_voices_it_never_heard():
    files = find_audio_files("spoken_digits:train")
    model = WordClassifier.from_preset("tiny", class_names=files.class_names, seed=0)
    model.compile(**WordClassifier.compile_kwargs("tiny"))
    model.fit(word_classifier_dataset(model, {"data": files}).dataset, epochs=1, steps_per_epoch=200, verbose=0)
    waves = audio_dataset("spoken_digits:test", batch_size=600, shuffle=False, training=False)
    clips, labels = next(iter(waves))
    accuracy = float(np.mean(model.serve(waveform=clips)["label"].numpy() == labels.numpy()))
    print(f"tiny classifier, 200 steps: {accuracy:.1%} on {len(labels)} clips of held-out voices")
    assert accuracy > 0.4  # chance is 10 %
