"""GCDG's texture losses (info-NCE, mode seeking) against numpy."""
import doctest

import numpy as np
import pytest
import tensorflow as tf

from gan_audio import losses
from gan_audio.losses import texture


def numpy_info_nce(u, v, temperature, normalize=True):
    u, v = u.astype(np.float64), v.astype(np.float64)
    if normalize:
        u = u / np.linalg.norm(u, axis=1, keepdims=True)
        v = v / np.linalg.norm(v, axis=1, keepdims=True)
    logits = u @ v.T / temperature
    # −log(exp(s_ii) / Σ_j exp(s_ij)), row by row
    return np.array([np.log(np.sum(np.exp(row))) - row[i] for i, row in enumerate(logits)])


def numpy_directional(z1, z2, x1, x2, epsilon):
    l1 = lambda a: np.abs(a).reshape(len(a), -1).sum(axis=1)  # noqa: E731
    return l1(z1 - z2) / (l1(x1 - x2) + epsilon)


def test_docstring_examples_run():
    result = doctest.testmod(texture, extraglobs={"tf": tf})
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("normalize", [True, False])
def test_contrastive_loss_against_numpy(normalize):
    rng = np.random.default_rng(0)
    u, v = rng.standard_normal((5, 3)).astype("float32"), rng.standard_normal((5, 3)).astype("float32")
    expected = numpy_info_nce(u, v, 0.2, normalize)
    per_example = losses.contrastive_loss(u, v, temperature=0.2, normalize=normalize, reduction="none")
    np.testing.assert_allclose(per_example.numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(float(losses.contrastive_loss(u, v, 0.2, normalize)), expected.mean(), rtol=1e-5)


def test_contrastive_loss_rewards_matching_views_and_scales_with_temperature():
    rng = np.random.default_rng(1)
    u = rng.standard_normal((6, 4)).astype("float32")
    matched = float(losses.contrastive_loss(u, u + 0.01, temperature=0.1))
    shuffled = float(losses.contrastive_loss(u, np.roll(u, 1, axis=0), temperature=0.1))
    assert matched < 0.1 < np.log(6) < shuffled
    # the same embeddings up to a positive scale give the same loss (the projection normalises)
    np.testing.assert_allclose(float(losses.contrastive_loss(3 * u, u, 0.5)), float(losses.contrastive_loss(u, u, 0.5)),
                               rtol=1e-5)


def test_contrastive_loss_bad_arguments():
    u = tf.ones((2, 3))
    with pytest.raises(ValueError, match="temperature"):
        losses.contrastive_loss(u, u, temperature=0.0)
    with pytest.raises(ValueError, match="anchors"):
        losses.contrastive_loss(tf.ones((2, 3, 1)), tf.ones((2, 3, 1)))


def test_directional_loss_against_numpy():
    rng = np.random.default_rng(2)
    z1, z2 = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    x1, x2 = rng.standard_normal((4, 5, 2)), rng.standard_normal((4, 5, 2))  # any sample rank
    args = [a.astype("float32") for a in (z1, z2, x1, x2)]
    expected = numpy_directional(z1, z2, x1, x2, 1e-5)
    np.testing.assert_allclose(losses.directional_loss(*args, reduction="none").numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(float(losses.directional_loss(*args)), expected.mean(), rtol=1e-5)
    np.testing.assert_allclose(losses.directional_loss(*args, epsilon=0.5, reduction="none").numpy(),
                               numpy_directional(z1, z2, x1, x2, 0.5), rtol=1e-5)


def test_directional_loss_descent_pushes_samples_apart():
    rng = np.random.default_rng(3)
    z1, z2 = tf.constant(rng.standard_normal((3, 4)), tf.float32), tf.constant(rng.standard_normal((3, 4)), tf.float32)
    x1 = tf.Variable(rng.standard_normal((3, 8)).astype("float32"))
    x2 = tf.constant(rng.standard_normal((3, 8)).astype("float32"))
    distance = lambda: np.abs(x1.numpy() - x2.numpy()).sum(axis=1)  # noqa: E731
    before = distance()
    with tf.GradientTape() as tape:
        loss = losses.directional_loss(z1, z2, x1, x2)
    x1.assign_sub(0.1 * tape.gradient(loss, x1))
    assert np.all(distance() > before)


def test_texture_losses_are_float32_for_float16_inputs():
    u = tf.ones((2, 3), tf.float16) + tf.eye(2, 3, dtype=tf.float16)
    assert losses.contrastive_loss(u, u, reduction="none").dtype == tf.float32
    z, x = tf.eye(2, dtype=tf.float16), tf.ones((2, 5), tf.float16) * tf.constant([[1.0], [2.0]], tf.float16)
    assert losses.directional_loss(z, z[::-1], x, x[::-1]).dtype == tf.float32
    with pytest.raises(ValueError, match="epsilon"):
        losses.directional_loss(z, z, x, x, epsilon=-1.0)
