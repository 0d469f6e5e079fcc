"""Tests for gan_audio.layers (WeightNormalization, ConvNeXtBlock)."""

import doctest
import inspect
import math

import keras
import numpy as np
import pytest
import tensorflow as tf

import gan_audio.layers as layers_module
from gan_audio.layers import ConvNeXtBlock, WeightNormalization

RNG = np.random.default_rng(1234)

# name -> (layer factory(in==out channels 3), input shape, output-channel axis)
CASES = {
    "conv1d": (lambda: keras.layers.Conv1D(3, 3, padding="same"), (2, 7, 3), -1),
    "conv1d_causal": (lambda: keras.layers.Conv1D(
        3, 3, padding="causal", dilation_rate=2), (2, 9, 3), -1),
    "dense": (lambda: keras.layers.Dense(3, activation="tanh"), (2, 4, 3), -1),
    "conv1d_t": (lambda: keras.layers.Conv1DTranspose(
        3, 4, strides=2, padding="same"), (2, 5, 3), -2),
    "conv2d_t": (lambda: keras.layers.Conv2DTranspose(
        3, 3, strides=2, padding="valid"), (2, 4, 4, 3), -2),
}


def _rand(*shape):
    return RNG.normal(size=shape).astype("float32")


def _np_weight_norm(v, g, out_axis):
    axes = tuple(i for i in range(v.ndim) if i != v.ndim + out_axis)
    norm = np.sqrt(np.sum(v.astype("float64") ** 2, axis=axes, keepdims=True))
    g_shape = [1] * v.ndim
    g_shape[out_axis] = -1
    return (g.reshape(g_shape) * v / norm).astype("float32")


def _built(name):
    factory, shape, out_axis = CASES[name]
    wn = WeightNormalization(factory())
    x = _rand(*shape)
    wn(x)
    return wn, x, out_axis


def _plain_copy(wn, kernel):
    plain = wn.layer.__class__.from_config(wn.layer.get_config())
    plain.build(wn._wn_input_shape)
    plain.set_weights([kernel, wn.layer.bias.numpy()])
    return plain


def test_doctests():
    result = doctest.testmod(
        layers_module, extraglobs={"tf": tf, "keras": keras, "np": np})
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("name", list(CASES))
def test_initial_output_matches_unwrapped(name):
    wn, x, out_axis = _built(name)
    v = wn.v.numpy()
    axes = tuple(i for i in range(v.ndim) if i != v.ndim + out_axis)
    np.testing.assert_allclose(
        wn.g.numpy(), np.sqrt((v ** 2).sum(axis=axes)), rtol=1e-5)
    plain = _plain_copy(wn, v)
    np.testing.assert_allclose(wn(x), plain(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", list(CASES))
def test_kernel_is_g_v_over_norm_per_output_channel(name):
    wn, x, out_axis = _built(name)
    v = _rand(*wn.v.shape)
    g = RNG.uniform(0.5, 2.0, size=3).astype("float32")
    wn.v.assign(v)
    wn.g.assign(g)
    expected = _np_weight_norm(v, g, out_axis)
    wrong = _np_weight_norm(v, g, -1 if out_axis == -2 else -2)
    kernel = keras.ops.convert_to_numpy(wn.normalized_kernel())
    np.testing.assert_allclose(kernel, expected, rtol=1e-5, atol=1e-6)
    assert not np.allclose(expected, wrong, atol=1e-3)
    assert not np.allclose(kernel, wrong, atol=1e-3)
    # each output channel of the effective kernel has norm g
    axes = tuple(i for i in range(v.ndim) if i != v.ndim + out_axis)
    np.testing.assert_allclose(
        np.sqrt((kernel ** 2).sum(axis=axes)), g, rtol=1e-5)
    wn.layer.bias.assign(_rand(3))
    plain = _plain_copy(wn, expected)
    np.testing.assert_allclose(wn(x), plain(x), rtol=1e-5, atol=1e-5)
    # remove() yields the same class/config and the same outputs
    removed = wn.remove()
    assert type(removed) is type(wn.layer)
    assert removed.get_config() == wn.layer.get_config()
    np.testing.assert_allclose(removed(x), wn(x), rtol=1e-5, atol=1e-5)


def test_conv1d_transpose_matches_numpy():
    layer = keras.layers.Conv1DTranspose(3, 4, strides=2, padding="valid")
    wn = WeightNormalization(layer)
    x = _rand(2, 5, 2)
    wn(x)
    v, g, b = _rand(4, 3, 2), RNG.uniform(0.5, 2, 3).astype("float32"), _rand(3)
    wn.v.assign(v)
    wn.g.assign(g)
    layer.bias.assign(b)
    w = _np_weight_norm(v, g, -2)  # (k, out, in)
    y = np.zeros((2, (5 - 1) * 2 + 4, 3), "float64")
    for t in range(5):
        for j in range(4):
            y[:, 2 * t + j, :] += x[:, t, :] @ w[j].T
    y += b
    np.testing.assert_allclose(wn(x), y, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name,in_shape,kernel_shape", [
    ("conv1d", (2, 7, 2), (3, 2, 5)),
    ("conv1d_t", (2, 7, 2), (4, 5, 2)),
    ("dense", (2, 2), (2, 5)),
])
def test_trainable_weights_and_gradients(name, in_shape, kernel_shape):
    layer = {"conv1d": lambda: keras.layers.Conv1D(5, 3),
             "conv1d_t": lambda: keras.layers.Conv1DTranspose(5, 4, 2),
             "dense": lambda: keras.layers.Dense(5)}[name]()
    wn = WeightNormalization(layer)
    x = _rand(*in_shape)
    wn(x)
    tw = wn.trainable_weights
    assert [w.name for w in tw] == ["g", "kernel", "bias"]
    assert [tuple(w.shape) for w in tw] == [(5,), kernel_shape, (5,)]
    assert tw[0] is wn.g and tw[1] is wn.v and tw[2] is layer.bias
    assert len(wn.weights) == 3 and not wn.non_trainable_weights
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(wn(x) * _rand(*wn(x).shape))
    grads = tape.gradient(loss, tw)
    for grad in grads:
        assert grad is not None and np.abs(grad.numpy()).sum() > 0


def test_tf_function_first_call_and_fit():
    wn = WeightNormalization(keras.layers.Conv1D(3, 3, padding="same"))
    x = _rand(4, 8, 2)
    y_graph = tf.function(lambda t: wn(t))(tf.constant(x))
    np.testing.assert_allclose(y_graph, wn(x), rtol=1e-5, atol=1e-6)
    model = keras.Sequential([keras.Input((8, 2)), wn])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    g0, v0 = wn.g.numpy().copy(), wn.v.numpy().copy()
    model.fit(x, _rand(4, 8, 3), batch_size=4, epochs=1, verbose=0)
    assert not np.allclose(wn.g.numpy(), g0)
    assert not np.allclose(wn.v.numpy(), v0)


def test_keras_save_load_round_trip(tmp_path):
    inputs = keras.Input((6, 2))
    h = WeightNormalization(
        keras.layers.Conv1DTranspose(4, 4, strides=2, padding="same"))(inputs)
    h = ConvNeXtBlock(4, kernel_size=3, expansion=2)(h)
    outputs = WeightNormalization(keras.layers.Dense(3))(h)
    model = keras.Model(inputs, outputs)
    for layer in model.layers:
        if isinstance(layer, WeightNormalization):
            layer.g.assign(RNG.uniform(0.5, 2, layer.g.shape).astype("float32"))
    x = _rand(2, 6, 2)
    path = tmp_path / "wn.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.layers[1], WeightNormalization)
    assert isinstance(loaded.layers[2], ConvNeXtBlock)
    np.testing.assert_allclose(loaded.layers[1].g.numpy(),
                               model.layers[1].g.numpy())
    np.testing.assert_allclose(loaded(x), model(x), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("t", [1, 5, 17])
def test_convnext_shape_and_identity(t):
    block = ConvNeXtBlock(4, kernel_size=7, expansion=3)
    x = _rand(3, t, 4)
    y = block(x)
    assert tuple(y.shape) == (3, t, 4)
    assert not np.allclose(y, x, atol=1e-6)
    np.testing.assert_allclose(block.gamma.numpy(), np.full(4, 0.1))
    block.gamma.assign(np.zeros(4, "float32"))
    np.testing.assert_allclose(block(x), x, atol=1e-7)
    assert tuple(block(x[:1]).shape) == (1, t, 4)


def _np_gelu(x):
    return 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


@pytest.mark.parametrize("dilation", [1, 2])
def test_convnext_matches_numpy(dilation):
    assert inspect.signature(
        keras.activations.gelu).parameters["approximate"].default is False
    block = ConvNeXtBlock(2, kernel_size=3, expansion=1,
                          layer_scale_init=0.5, dilation=dilation)
    x = _rand(2, 6, 2)
    block(x)
    dw_k, dw_b = _rand(3, 2, 1), _rand(2)
    ln_g, ln_b = _rand(2), _rand(2)
    w1, b1, w2, b2, gam = _rand(2, 2), _rand(2), _rand(2, 2), _rand(2), _rand(2)
    block.dwconv.set_weights([dw_k, dw_b])
    block.norm.set_weights([ln_g, ln_b])
    block.pwconv1.set_weights([w1, b1])
    block.pwconv2.set_weights([w2, b2])
    block.gamma.assign(gam)
    pad = dilation
    xp = np.pad(x.astype("float64"), ((0, 0), (pad, pad), (0, 0)))
    h = sum(xp[:, j * dilation:j * dilation + 6, :] * dw_k[j, :, 0]
            for j in range(3)) + dw_b
    mu, var = h.mean(-1, keepdims=True), h.var(-1, keepdims=True)
    h = (h - mu) / np.sqrt(var + 1e-6) * ln_g + ln_b
    h = _np_gelu(h @ w1 + b1) @ w2 + b2
    expected = x + gam * h
    np.testing.assert_allclose(block(x), expected, rtol=1e-4, atol=1e-5)


def test_convnext_config_round_trip():
    block = ConvNeXtBlock(4, kernel_size=5, expansion=2,
                          layer_scale_init=0.25, dilation=3, name="cnx")
    config = block.get_config()
    for key, value in dict(dim=4, kernel_size=5, expansion=2,
                           layer_scale_init=0.25, dilation=3).items():
        assert config[key] == value
    clone = ConvNeXtBlock.from_config(config)
    assert clone.get_config() == config
    x = _rand(2, 9, 4)
    block(x)
    clone(x)
    clone.set_weights(block.get_weights())
    np.testing.assert_allclose(clone(x), block(x), rtol=1e-6)
    ser = keras.saving.serialize_keras_object(block)
    again = keras.saving.deserialize_keras_object(ser)
    assert isinstance(again, ConvNeXtBlock) and again.get_config() == config
