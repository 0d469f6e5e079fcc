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


def _logits_and_features(outputs):
    """D: x → its logit and a feature map, as `outputs` says ("dict" or "list")."""
    x = keras.Input((2,))
    features = keras.layers.Dense(3, activation="relu", name="features")(x)
    logit = keras.layers.Dense(1, name="logit")(features)
    return keras.Model(x, {"logits": logit, "features": features} if outputs == "dict" else [logit, features],
                       name=f"{outputs}_discriminator")


def test_only_the_named_logits_reach_the_adversarial_loss_and_a_list_is_refused():
    real = np.random.default_rng(1).normal(size=(8, 2)).astype("float32")

    class Fed(AdversarialModel):  # G fed the mirrored real batch
        def generator_inputs(self, batch):
            return -batch["real"]

    g = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    model = Fed(g, _logits_and_features("dict"), seed=0)
    model.compile(loss="non_saturating")
    fake = g(-real)
    terms = model.discriminator_losses({"real": real}, fake)
    logit = lambda x: np.asarray(model.discriminator(x)["logits"], np.float64)[:, 0]
    softplus = lambda v: np.log1p(np.exp(v))
    # by hand: −log σ(l(x)) − log(1 − σ(l(G(z)))) per example, from the logit alone
    np.testing.assert_allclose(np.asarray(terms["d_adversarial"]), softplus(-logit(real)) + softplus(logit(fake)),
                               rtol=1e-5)
    np.testing.assert_allclose(np.asarray(model.generator_losses({"real": real}, fake)["g_adversarial"]),
                               softplus(-logit(fake)), rtol=1e-5)
    assert model.fit(real, batch_size=4, epochs=1, verbose=0).history["d_loss"]

    listed = Fed(keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)]), _logits_and_features("list"))
    listed.compile()
    with pytest.raises(TypeError, match="list_discriminator returned a list of 2 outputs"):
        listed.discriminator_losses({"real": real}, fake)
    x = keras.Input((2,))
    typo = Fed(g, keras.Model(x, {"logit": keras.layers.Dense(1)(x)}, name="typo_discriminator"))
    typo.compile()
    with pytest.raises(ValueError, match="typo_discriminator returned a dict with \\['logit'\\]"):
        typo.fit(real, batch_size=4, epochs=1, verbose=0)
