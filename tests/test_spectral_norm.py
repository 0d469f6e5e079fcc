"""`gan_audio.layers.SpectralNormalization`: W / σ(W) on every call, the kernel left raw, the gradient through σ;
and the G update of an adversarial model leaves D's BatchNorm statistics and spectral-norm vectors alone."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.layers import SpectralNormalization
from gan_audio.models import SpecGAN


def _dense(seed=0):
    layer = SpectralNormalization(keras.layers.Dense(3, use_bias=False, kernel_initializer=keras.initializers.RandomNormal(
        stddev=2.0, seed=seed)))
    layer.build((None, 5))
    return layer


def test_every_call_uses_the_kernel_over_its_largest_singular_value_and_keeps_the_raw_kernel():
    layer = _dense()
    raw = np.array(layer.layer.kernel)
    x = np.random.default_rng(0).normal(size=(4, 5)).astype("float32")
    for _ in range(30):  # power iteration converges on σ
        y = layer(x, training=True)
    np.testing.assert_array_equal(np.array(layer.layer.kernel), raw)  # Keras 3.15's layer overwrites it with W/σ
    sigma = np.linalg.svd(raw, compute_uv=False)[0]
    np.testing.assert_allclose(np.asarray(y), x @ raw / sigma, rtol=1e-4)
    np.testing.assert_allclose(np.asarray(layer(x, training=False)), x @ raw / sigma, rtol=1e-4)
    u = np.array(layer.vector_u)
    layer(x, training=False)
    np.testing.assert_array_equal(np.array(layer.vector_u), u)  # u moves in training only


def test_the_gradient_flows_through_sigma():
    layer = _dense(seed=1)
    x = tf.constant(np.random.default_rng(1).normal(size=(4, 5)).astype("float32"))
    for _ in range(30):
        layer(x, training=True)
    u = tf.constant(np.array(layer.vector_u))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(layer(x, training=False)))
    grad = tape.gradient(loss, layer.layer.kernel)
    w = tf.Variable(np.array(layer.layer.kernel))
    with tf.GradientTape() as tape:  # by hand: σ = v W uᵀ with u, v from one power step, held constant
        v = tf.stop_gradient(tf.math.l2_normalize(u @ tf.transpose(w), axis=None))
        u2 = tf.stop_gradient(tf.math.l2_normalize(v @ w, axis=None))
        sigma = (v @ w @ tf.transpose(u2))[0, 0]
        by_hand = tf.reduce_sum(tf.square(x @ (w / sigma)))
    expected, bypass = tape.gradient(by_hand, w), 2.0 * tf.transpose(x) @ (x @ (w / sigma)) / sigma
    np.testing.assert_allclose(np.asarray(grad), np.asarray(expected), rtol=1e-3, atol=1e-5)
    # the σ path matters: without it (Keras 3.15's gradient) the update is another one
    assert float(tf.reduce_max(tf.abs(expected - bypass))) > 0.05 * float(tf.reduce_max(tf.abs(bypass)))


def test_unsupported_layers_and_iterations_are_refused():
    with pytest.raises(TypeError, match="supports Dense and ConvND"):
        SpectralNormalization(keras.layers.Conv2DTranspose(2, 3))
    with pytest.raises(ValueError, match="power_iterations"):
        SpectralNormalization(keras.layers.Dense(2), power_iterations=0)


def test_the_generator_update_leaves_the_discriminator_state_alone():
    model = SpecGAN.from_preset("tiny", spectral_norm=True, discriminator_batch_norm=True, seed=0)
    model.compile(**SpecGAN.compile_kwargs("tiny"))
    real = np.random.default_rng(0).uniform(-1, 1, (4, *model.generator.output_shape[1:])).astype("float32")
    state = model.discriminator_state()
    names = sorted(v.path.split("/")[-1] for v in state)
    assert "moving_mean" in names and "vector_u" in names, names
    before = [np.array(v) for v in state]
    g_state = [np.array(v) for v in model.generator.non_trainable_variables if "moving_mean" in v.path]
    model._update(model.generator, model.g_optimizer, {"real": real}, model.generator_losses, "generator")
    for variable, value in zip(state, before):
        np.testing.assert_array_equal(np.array(variable), value, err_msg=variable.path)
    moved = [np.array(v) for v in model.generator.non_trainable_variables if "moving_mean" in v.path]
    assert g_state and any(not np.array_equal(a, b) for a, b in zip(g_state, moved))  # G's own statistics move
    model._update(model.discriminator, model.d_optimizer, {"real": real}, model.discriminator_losses,
                  "discriminator")
    assert all(not np.array_equal(np.array(v), b) for v, b in zip(state, before))  # D's step moves all of them
