"""The moving average of G's weights (`generator_average`): the average by hand, what samples and exports, what
is saved, and that G itself trains as without it."""
import keras
import numpy as np
import pytest

from gan_audio.export import export_saved_model, load_saved_model
from gan_audio.models import SpecGAN
from tests.family_test_case import as_json

DECAY = 0.4


def _model(average, seed=0):
    keras.utils.set_random_seed(seed)
    model = SpecGAN.from_preset("tiny", conditional=True, num_classes=3, generator_average=average, seed=seed)
    model.compile(**SpecGAN.compile_kwargs("tiny"))
    return model


def _data(model):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (8, *model.generator.output_shape[1:])).astype("float32")
    return x, rng.integers(0, 3, 8).astype("int32")


def _trainable(weights):
    return [np.array(w) for w in weights if "seed_generator" not in w.path]


def test_the_average_follows_g_by_hand_and_makes_the_samples(tmp_path):
    plain, averaged = _model(0.0), _model(DECAY)
    x, y = _data(averaged)
    expected = _trainable(averaged.generator.weights)  # a ← G's weights at the start
    for t in (1, 2, 3, 4, 5, 6):
        for model in (plain, averaged):
            model.fit(x, y, batch_size=8, epochs=1, verbose=0)
        decay = min(DECAY, (1 + t) / (10 + t))  # 0.18, 0.25, 0.31, 0.36: the warm-up; then d = 0.4
        expected = [decay * a + (1 - decay) * w for a, w in zip(expected, _trainable(averaged.generator.weights))]
    for a, e in zip(_trainable(averaged.averaged_generator.weights), expected):
        np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-6)
    for a, b in zip(plain.generator.get_weights(), averaged.generator.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)  # G trains as without the average

    noise = np.asarray(averaged.sample_noise(2, seed=3))
    labels = np.array([0, 2], "int32")
    samples = averaged.generator_output(2, labels=labels, seed=3)
    np.testing.assert_allclose(samples, np.asarray(averaged.averaged_generator([noise, labels])), atol=1e-6)
    assert not np.allclose(samples, np.asarray(averaged.generator([noise, labels])), atol=1e-3)

    export = export_saved_model(averaged, str(tmp_path / "export"))
    served = load_saved_model(export)
    run = averaged.synthesize(2, labels=labels, seed=3)
    np.testing.assert_allclose(served.synthesize(2, labels=labels, seed=3)["log_mel"], run["log_mel"], atol=1e-4)
    # an export's seed=None, as a model's: the next seed of its stream, the same stream after each load
    first, second = (served.synthesize(2, labels=labels)["log_mel"] for _ in range(2))
    assert not np.allclose(first, second)
    np.testing.assert_allclose(load_saved_model(export).synthesize(2, labels=labels)["log_mel"], first, atol=1e-6)


def test_the_average_is_saved_and_configured(tmp_path):
    model = _model(DECAY)
    x, y = _data(model)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    config = model.get_config()
    assert config["generator_average"] == DECAY
    assert SpecGAN.from_config(as_json(config)).generator_average == DECAY
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    for a, b in zip(_trainable(model.averaged_generator.weights), _trainable(loaded.averaged_generator.weights)):
        np.testing.assert_array_equal(a, b)
    assert loaded.get_config() == config


@pytest.mark.parametrize("bad", [-0.1, 1.0])
def test_a_decay_outside_zero_to_one_is_refused(bad):
    with pytest.raises(ValueError, match="generator_average"):
        SpecGAN.from_preset("tiny", generator_average=bad)
