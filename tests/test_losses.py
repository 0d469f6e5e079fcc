"""GAN losses against values computed by hand in numpy."""
import doctest

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_audio import losses
from gan_audio.losses import penalties, reconstruction, semi_supervised

REAL = np.array([[2.0], [-1.0]], np.float32)   # discriminator logits on real data
FAKE = np.array([[0.5], [-3.0]], np.float32)   # discriminator logits on fake data


def softplus(x):
    return np.log1p(np.exp(x))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def check(fn, args, per_example, **kwargs):
    """Both reductions: "none" gives ``per_example`` (B,), "mean" its mean."""
    np.testing.assert_allclose(fn(*args, reduction="none", **kwargs).numpy(), per_example,
                               rtol=1e-6)
    mean = fn(*args, **kwargs)
    assert mean.shape == ()
    np.testing.assert_allclose(float(mean), np.mean(per_example), rtol=1e-6)


@pytest.mark.parametrize("module", [losses, penalties, reconstruction, semi_supervised], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, extraglobs={"tf": tf})
    assert result.failed == 0 and result.attempted > 0


def test_minimax_generator_loss():
    # log(1 - sigmoid(l)) = -log(1 + e^l)
    expected = np.array([-np.log1p(np.exp(0.5)), -np.log1p(np.exp(-3.0))])
    check(losses.minimax_generator_loss, (FAKE,), expected)


def test_minimax_discriminator_loss():
    # -log sigmoid(l_real) - log(1 - sigmoid(l_fake))
    expected = (np.array([np.log1p(np.exp(-2.0)), np.log1p(np.exp(1.0))])
                + np.array([np.log1p(np.exp(0.5)), np.log1p(np.exp(-3.0))]))
    check(losses.minimax_discriminator_loss, (REAL, FAKE), expected)
    assert losses.non_saturating_discriminator_loss is losses.minimax_discriminator_loss


def test_minimax_discriminator_label_smoothing():
    s = 0.1  # real target 0.9: -(0.9 log D(x) + 0.1 log(1 - D(x)))
    real = 0.9 * softplus(-REAL[:, 0]) + 0.1 * softplus(REAL[:, 0])
    expected = real + softplus(FAKE[:, 0])
    check(losses.minimax_discriminator_loss, (REAL, FAKE), expected, label_smoothing=s)
    from_probs = losses.minimax_discriminator_loss(sigmoid(REAL), sigmoid(FAKE),
                                                   from_logits=False, label_smoothing=s)
    np.testing.assert_allclose(float(from_probs), np.mean(expected), rtol=1e-5)
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.minimax_discriminator_loss(REAL, FAKE, label_smoothing=1.0)


def test_non_saturating_generator_loss():
    # -log sigmoid(l) = log(1 + e^-l)
    expected = np.array([np.log1p(np.exp(-0.5)), np.log1p(np.exp(3.0))])
    check(losses.non_saturating_generator_loss, (FAKE,), expected)


@pytest.mark.parametrize("name", ["minimax", "non_saturating"])
def test_probabilities_agree_with_logits(name):
    generator_loss, discriminator_loss = losses.get(name)
    np.testing.assert_allclose(
        generator_loss(sigmoid(FAKE), from_logits=False, reduction="none").numpy(),
        generator_loss(FAKE, reduction="none").numpy(), rtol=1e-5)
    np.testing.assert_allclose(
        float(discriminator_loss(sigmoid(REAL), sigmoid(FAKE), from_logits=False)),
        float(discriminator_loss(REAL, FAKE)), rtol=1e-5)


def test_probabilities_are_clipped_like_keras():
    probs = np.array([[1.0], [0.0]], np.float32)
    value = float(losses.non_saturating_generator_loss(probs, from_logits=False))
    expected = float(keras.losses.binary_crossentropy(np.ones((2, 1)), probs).numpy().mean())
    np.testing.assert_allclose(value, expected, rtol=1e-4)
    assert np.isfinite(value) and np.isfinite(
        float(losses.minimax_generator_loss(probs, from_logits=False)))


def test_least_squares_losses():
    check(losses.least_squares_generator_loss, (FAKE,),
          np.array([0.5 * (0.5 - 1.0) ** 2, 0.5 * (-3.0 - 1.0) ** 2]))
    check(losses.least_squares_discriminator_loss, (REAL, FAKE),
          np.array([0.5 * (2.0 - 1.0) ** 2 + 0.5 * 0.5 ** 2,
                    0.5 * (-1.0 - 1.0) ** 2 + 0.5 * (-3.0) ** 2]))


def test_hinge_losses():
    check(losses.hinge_generator_loss, (FAKE,), np.array([-0.5, 3.0]))
    check(losses.hinge_discriminator_loss, (REAL, FAKE),
          np.array([max(0.0, 1 - 2.0) + max(0.0, 1 + 0.5),
                    max(0.0, 1 + 1.0) + max(0.0, 1 - 3.0)]))


def test_wasserstein_losses():
    check(losses.wasserstein_generator_loss, (FAKE,), np.array([-0.5, 3.0]))
    check(losses.wasserstein_discriminator_loss, (REAL, FAKE),
          np.array([0.5 - 2.0, -3.0 - (-1.0)]))


def test_reductions_on_higher_rank_outputs():
    patches = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 10.0 - 1.0  # PatchGAN-like
    per_example = losses.hinge_generator_loss(patches, reduction="none")
    np.testing.assert_allclose(per_example.numpy(), -patches.mean(axis=(1, 2)), rtol=1e-6)
    np.testing.assert_allclose(float(losses.hinge_generator_loss(patches)), -patches.mean(),
                               rtol=1e-6)
    np.testing.assert_allclose(
        losses.wasserstein_generator_loss(np.array([1.0, -2.0]), reduction="none").numpy(),
        [-1.0, 2.0])
    with pytest.raises(ValueError, match="reduction"):
        losses.hinge_generator_loss(FAKE, reduction="sum")


def test_none_reduction_works_in_tf_function_with_unknown_shape():
    fn = tf.function(lambda x: losses.minimax_generator_loss(x, reduction="none"),
                     input_signature=[tf.TensorSpec(None, tf.float32)])
    np.testing.assert_allclose(fn(tf.zeros([3, 2, 5])).numpy(), [-np.log(2.0)] * 3, rtol=1e-6)


def linear_discriminator(w):
    w = tf.constant(w, tf.float32)
    return lambda x: tf.reduce_sum(w * x, axis=list(range(1, len(w.shape) + 1)))


@pytest.mark.parametrize("shape", [(4, 6), (4, 5, 3), (4, 3, 5, 2)])
def test_gradient_penalty_of_linear_discriminator(shape):
    rng = np.random.default_rng(0)
    w = rng.normal(size=shape[1:]).astype(np.float32)
    real = rng.normal(size=shape).astype(np.float32)
    fake = rng.normal(size=shape).astype(np.float32)
    expected = (np.sqrt(np.sum(w ** 2)) - 1.0) ** 2  # |grad| = |w| for every eps
    penalty = losses.gradient_penalty(linear_discriminator(w), real, fake, seed=3)
    np.testing.assert_allclose(float(penalty), expected, rtol=1e-5)
    per_example = losses.gradient_penalty(linear_discriminator(w), real, fake, seed=3,
                                          target=0.5, reduction="none")
    np.testing.assert_allclose(per_example.numpy(), [(np.sqrt(np.sum(w ** 2)) - 0.5) ** 2] * 4,
                               rtol=1e-5)


def test_gradient_penalty_interpolates_on_the_segment_uniformly():
    batch = 20000
    real = np.ones((batch, 2, 3), np.float32)
    fake = np.full((batch, 2, 3), -1.0, np.float32)
    seen = []

    def discriminator(x):
        seen.append(x)
        return tf.reduce_sum(x, axis=[1, 2])

    losses.gradient_penalty(discriminator, real, fake, seed=keras.random.SeedGenerator(7))
    x_hat = seen[0].numpy()
    eps = (x_hat[:, 0, 0] + 1.0) / 2.0  # x_hat = eps * 1 + (1 - eps) * (-1)
    np.testing.assert_allclose(x_hat, np.broadcast_to(2.0 * eps[:, None, None] - 1.0,
                                                      x_hat.shape), atol=1e-6)
    assert eps.min() >= 0.0 and eps.max() <= 1.0
    assert abs(eps.mean() - 0.5) < 0.01 and abs(eps.var() - 1.0 / 12.0) < 0.005
    assert len(np.unique(eps)) > batch // 2  # one weight per example


def test_gradient_penalty_seeds_and_graph_mode():
    rng = np.random.default_rng(1)
    real, fake = rng.normal(size=(3, 4)).astype(np.float32), np.zeros((3, 4), np.float32)
    d = lambda x: tf.reduce_sum(tf.square(x), axis=1)  # noqa: E731, gradient 2x
    a = losses.gradient_penalty(d, real, fake, seed=5, reduction="none")
    b = losses.gradient_penalty(d, real, fake, seed=5, reduction="none")
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    generator = keras.random.SeedGenerator(11)
    fn = tf.function(lambda r, f: losses.gradient_penalty(d, r, f, seed=generator),
                     input_signature=[tf.TensorSpec([None, 4])] * 2)
    first, second = float(fn(real, fake)), float(fn(real, fake))
    assert np.isfinite(first) and first != second  # the generator advances


def test_get_returns_pairs_and_rejects_unknown_names():
    assert losses.get("hinge") == (losses.hinge_generator_loss,
                                   losses.hinge_discriminator_loss)
    for name in ["minimax", "non_saturating", "least_squares", "hinge", "wasserstein"]:
        generator_loss, discriminator_loss = losses.get(name)
        assert np.isfinite(float(generator_loss(FAKE)))
        assert np.isfinite(float(discriminator_loss(REAL, FAKE)))
    with pytest.raises(ValueError, match="least_squares.*wasserstein|hinge"):
        losses.get("lsgan")


# --- lists of outputs (multi-discriminators) -------------------------------------------

OTHER_REAL = np.array([[0.3, -0.2], [1.5, 0.0]], np.float32)  # a second sub-discriminator,
OTHER_FAKE = np.array([[-1.0, 2.0], [0.1, 0.4]], np.float32)  # with 2 outputs per example


@pytest.mark.parametrize("name", ["minimax", "non_saturating", "least_squares", "hinge", "wasserstein"])
def test_lists_of_outputs_sum_per_example_over_sub_discriminators(name):
    generator_loss, discriminator_loss = losses.get(name)
    for reduction in ("none", "mean"):
        expected = (generator_loss(FAKE, reduction=reduction)
                    + generator_loss(OTHER_FAKE, reduction=reduction))
        actual = generator_loss([FAKE, OTHER_FAKE], reduction=reduction)
        np.testing.assert_allclose(actual.numpy(), expected.numpy(), rtol=1e-6)
        expected = (discriminator_loss(REAL, FAKE, reduction=reduction)
                    + discriminator_loss(OTHER_REAL, OTHER_FAKE, reduction=reduction))
        actual = discriminator_loss([REAL, OTHER_REAL], (FAKE, OTHER_FAKE), reduction=reduction)
        np.testing.assert_allclose(actual.numpy(), expected.numpy(), rtol=1e-6)
    assert generator_loss([FAKE, OTHER_FAKE], reduction="none").shape == (2,)


def test_a_two_output_discriminator_is_not_read_as_the_batch():
    # Three examples, two sub-discriminators: stacking the list would make the
    # per-example result have 2 entries (the sub-discriminator index). It has 3.
    first, second = np.array([[1.0], [2.0], [3.0]], np.float32), np.zeros((3, 1), np.float32)
    per_example = losses.hinge_generator_loss([first, second], reduction="none")
    np.testing.assert_allclose(per_example.numpy(), [-1.0, -2.0, -3.0])


def test_mixed_or_uneven_lists_are_refused():
    with pytest.raises(TypeError, match="lists"):
        losses.hinge_discriminator_loss([REAL], FAKE)
    with pytest.raises(ValueError, match="equal length"):
        losses.hinge_discriminator_loss([REAL, REAL], [FAKE])
    with pytest.raises(ValueError, match="non-empty"):
        losses.hinge_generator_loss([])


def test_float16_outputs_give_float32_losses():
    half = tf.constant(FAKE, tf.float16)
    value = losses.non_saturating_generator_loss(half, reduction="none")
    assert value.dtype == tf.float32
    np.testing.assert_allclose(value.numpy(), softplus(-FAKE[:, 0]), rtol=1e-3)


# --- R1 ------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(3, 5), (3, 4, 2)])
def test_r1_penalty_of_a_linear_discriminator(shape):
    rng = np.random.default_rng(2)
    w = rng.normal(size=shape[1:]).astype(np.float32)
    real = rng.normal(size=shape).astype(np.float32)
    expected = np.sum(w ** 2)  # grad_x (w . x) = w for every x
    np.testing.assert_allclose(float(losses.r1_penalty(linear_discriminator(w), real)), expected, rtol=1e-5)
    per_example = losses.r1_penalty(linear_discriminator(w), real, reduction="none")
    np.testing.assert_allclose(per_example.numpy(), [expected] * shape[0], rtol=1e-5)


def test_r1_penalty_of_a_quadratic_list_discriminator():
    # D(x) = [sum x^2, sum 3 x]: grad = 2x + 3 per element; R1 = sum (2x + 3)^2 per example.
    real = np.array([[1.0, -2.0], [0.5, 0.0]], np.float32)
    d = lambda x: [tf.reduce_sum(tf.square(x), axis=1), 3.0 * tf.reduce_sum(x, axis=1)]  # noqa: E731
    expected = np.sum((2 * real + 3) ** 2, axis=1)
    np.testing.assert_allclose(losses.r1_penalty(d, real, reduction="none").numpy(), expected, rtol=1e-6)


# --- the semi-supervised GAN's implicit fake class ---------------------------------------

def test_implicit_fake_losses_against_numpy():
    rng = np.random.default_rng(5)
    real, fake = rng.normal(size=(4, 10)) * 3, rng.normal(size=(4, 10)) * 3 - 2
    z_real, z_fake = np.exp(real).sum(axis=1), np.exp(fake).sum(axis=1)
    d_real, d_fake = z_real / (z_real + 1), z_fake / (z_fake + 1)  # the fake logit is 0
    expected = -np.log(d_real) - np.log(1 - d_fake)
    check(losses.implicit_fake_discriminator_loss, (real.astype("float32"), fake.astype("float32")), expected)
    log_d, log_not_d = losses.implicit_fake_log_probabilities(np.array([[80.0, 79.0], [-80.0, -90.0]], "float32"))
    assert np.all(np.isfinite(log_d.numpy())) and np.all(np.isfinite(log_not_d.numpy()))  # stable at extremes
    lse = np.logaddexp(-80.0, -90.0)  # D = Z/(Z+1) ~ Z when Z is tiny: log D ~ log Z
    np.testing.assert_allclose(log_d.numpy()[1], lse, rtol=1e-6)
    np.testing.assert_allclose(log_not_d.numpy()[0], -np.logaddexp(80.0, 79.0), rtol=1e-6)  # log(1-D) ~ -log Z


def test_supervised_class_loss_is_cross_entropy_over_real_classes():
    logits = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 0.5]], np.float32)
    labels = np.array([0, 2])
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    check(losses.supervised_class_loss, (logits, labels), -np.log(softmax[[0, 1], labels]))


def test_mean_feature_matching_loss_by_hand():
    real = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)  # mean (2, 3)
    fake = np.array([[0.0, 0.0], [0.0, 2.0], [3.0, 1.0]], np.float32)  # mean (1, 1)
    assert float(losses.mean_feature_matching_loss(real, fake)) == pytest.approx(1.0 + 4.0)
    assert float(losses.mean_feature_matching_loss([real, real], [fake, real])) == pytest.approx(5.0)
    with pytest.raises(ValueError, match="differ"):
        losses.mean_feature_matching_loss([real], [fake, fake])
