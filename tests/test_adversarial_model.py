"""The adversarial base without latent noise: what it refuses, what a batch-fed family gets from it."""
import keras
import numpy as np
import pytest

from gan_audio.models import GAN, AdversarialModel, Vocoder
from tests.family_test_case import as_json


def test_the_adversarial_base_has_no_latent_noise_and_the_vocoder_inherits_none():
    data = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    g = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    d = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    base = AdversarialModel(g, d, seed=0)
    base.compile()
    with pytest.raises(NotImplementedError, match="must define generator_inputs"):
        base.fit(data[:32], batch_size=16, epochs=1, verbose=0)

    class Shift(AdversarialModel):  # G fed from the batch itself: the base's step trains it
        def generator_inputs(self, batch):
            return batch["real"] + 1.0

    shift = Shift(keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)]),
                  keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]), seed=0)
    shift.compile()
    before = [w.copy() for w in shift.generator.get_weights()]
    logs = shift.fit(data, batch_size=16, epochs=1, verbose=0).history
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert any(not np.array_equal(a, b) for a, b in zip(before, shift.generator.get_weights()))

    vocoder = Vocoder.from_preset("tiny", seed=0)
    assert not isinstance(vocoder, GAN)
    for name in ("latent_dim", "conditional", "num_classes", "generate", "sample_noise"):
        assert not hasattr(vocoder, name), name
    config = vocoder.get_config()
    assert not {"latent_dim", "conditional", "num_classes", "sample_rate"} & set(config)
    assert Vocoder.from_config(as_json(config)).get_config() == config  # as read back from config.json
