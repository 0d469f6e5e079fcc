"""Shared Keras 3 building blocks for the audio GANs.

Contents:
    WeightNormalization: weight-norm wrapper (Salimans & Kingma 2016) for
        Dense, Conv1D/2D/3D and Conv1D/2D/3DTranspose layers.
    SpectralNormalization: spectral-norm wrapper (Miyato et al. 2018) for
        Dense and Conv1D/2D/3D layers, the gradient through sigma.
    ConvNeXtBlock: the 1-D ConvNeXt block of Vocos (Siuzdak 2023).
"""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

__all__ = ["ConvNeXtBlock", "SpectralNormalization", "WeightNormalization", "kernel_call"]

_CONV = (keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D)
_CONV_T = (keras.layers.Conv1DTranspose, keras.layers.Conv2DTranspose,
           keras.layers.Conv3DTranspose)


def kernel_call(layer, inputs, kernel):
    """What the built Dense, ConvND or ConvNDTranspose `layer` computes on `inputs`, with `kernel` in
    place of its own (its strides, padding, dilation, data_format, bias and activation)."""
    if isinstance(layer, keras.layers.Dense):
        y = ops.matmul(inputs, kernel)
    elif isinstance(layer, _CONV_T):
        y = ops.conv_transpose(
            inputs, kernel, strides=list(layer.strides), padding=layer.padding,
            output_padding=layer.output_padding,
            dilation_rate=layer.dilation_rate, data_format=layer.data_format)
    else:
        padding = layer.padding
        if padding == "causal":  # Conv1D only; mirrors Conv1D.call
            inputs = ops.pad(inputs, layer._compute_causal_padding())
            padding = "valid"
        y = ops.conv(inputs, kernel, strides=list(layer.strides), padding=padding,
                     dilation_rate=layer.dilation_rate, data_format=layer.data_format)
    if layer.bias is not None:
        bias = layer.bias
        if getattr(layer, "data_format", None) == "channels_first":
            bias = ops.reshape(bias, (-1,) + (1,) * (len(y.shape) - 2))
        y = ops.add(y, bias)
    return layer.activation(y) if layer.activation is not None else y


@keras.saving.register_keras_serializable(package="gan_audio")
class WeightNormalization(keras.layers.Wrapper):
    """Weight normalisation of a layer's kernel (Salimans & Kingma 2016).

    The wrapped kernel is reparametrised as ``w = g * v / ||v||`` where the
    norm is taken per output channel over every other axis.  Dense and
    ``ConvND`` kernels are laid out ``(..., in, out)`` (output axis -1);
    ``ConvNDTranspose`` kernels are ``(..., out, in)`` (output axis -2).
    ``v`` *is* the wrapped layer's kernel variable (no copy), ``g`` has shape
    ``(out,)`` and is initialised to ``||v||`` so that the wrapper initially
    computes exactly what the bare layer computes.  The forward pass calls
    the backend op (``ops.matmul`` / ``ops.conv`` / ``ops.conv_transpose``)
    with ``w`` and the wrapped layer's strides, padding, dilation,
    data_format, bias and activation.

    Args:
        layer: an unbuilt (or built) Dense, ConvND or ConvNDTranspose layer.
        **kwargs: base ``keras.layers.Layer`` arguments (name, ...).

    Example:
        >>> wn = WeightNormalization(keras.layers.Conv1D(4, 3, padding="same"))
        >>> x = np.random.default_rng(0).normal(size=(2, 8, 3)).astype("float32")
        >>> y = wn(x)
        >>> tuple(y.shape)
        (2, 8, 4)
        >>> [w.name for w in wn.trainable_weights]
        ['g', 'kernel', 'bias']
        >>> bool(np.allclose(wn.remove()(x), y, atol=1e-5))
        True
    """

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        if not isinstance(layer, (keras.layers.Dense,) + _CONV + _CONV_T):
            raise TypeError("WeightNormalization supports Dense, ConvND and "
                            f"ConvNDTranspose layers, got {type(layer)}.")
        self._transposed = isinstance(layer, _CONV_T)
        self._out_axis = -2 if self._transposed else -1

    @property
    def v(self):
        """The direction variable (the wrapped layer's own kernel)."""
        lyr = self.layer
        return lyr._kernel if hasattr(lyr, "_kernel") else lyr.kernel

    def _norm(self, v):
        rank = len(v.shape)
        axes = [i for i in range(rank) if i != rank + self._out_axis]
        return ops.sqrt(ops.sum(ops.square(v), axis=axes))

    def build(self, input_shape):
        if getattr(self.layer, "lora_enabled", False):
            raise ValueError("WeightNormalization does not support LoRA.")
        self._wn_input_shape = tuple(input_shape)
        # Create v and g eagerly even when first called inside a tf.function,
        # so that v already holds its value when g = ||v|| is computed.
        with tf.init_scope():
            super().build(input_shape)
            out = self.v.shape[self._out_axis]
            self.g = self.add_weight(
                name="g", shape=(out,),
                initializer=lambda shape, dtype=None: ops.cast(
                    self._norm(ops.convert_to_tensor(self.v)),
                    dtype or "float32"))

    def normalized_kernel(self):
        """The effective kernel ``g * v / ||v||`` (same shape as ``v``)."""
        v = ops.convert_to_tensor(self.v)
        scale = self.g / ops.maximum(self._norm(v), 1e-12)
        if self._transposed:
            scale = ops.expand_dims(scale, -1)
        return v * scale

    def call(self, inputs):
        return kernel_call(self.layer, inputs, self.normalized_kernel())

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def remove(self):
        """Return a plain, built copy of the wrapped layer using ``w``."""
        lyr = self.layer
        plain = lyr.__class__.from_config(lyr.get_config())
        plain.build(self._wn_input_shape)
        weights = [ops.convert_to_numpy(self.normalized_kernel())]
        if lyr.bias is not None:
            weights.append(ops.convert_to_numpy(lyr.bias))
        plain.set_weights(weights)
        return plain


@keras.saving.register_keras_serializable(package="gan_audio")
class SpectralNormalization(keras.layers.Wrapper):
    """Spectral normalisation of a layer's kernel (Miyato et al. 2018), the gradient through σ.

    Every call uses ``W / σ(W)``, σ the largest singular value of the kernel
    reshaped to ``(-1, out)``, estimated by `power_iterations` steps of power
    iteration from a stored vector ``u`` (``u`` and ``v`` held constant in
    the gradient, as in the paper); ``u`` moves only in training. The kernel
    variable stays ``W``. (Keras 3.15's `keras.layers.SpectralNormalization`
    instead writes ``W / σ`` back into the kernel on every training call, so
    the optimiser's gradient is taken at the normalised kernel and never sees
    σ.)

    Args:
        layer: an unbuilt (or built) Dense or ConvND layer.
        power_iterations: int ≥ 1, per call. Defaults to 1.
        **kwargs: base ``keras.layers.Layer`` arguments (name, ...).

    Example:
        >>> sn = SpectralNormalization(keras.layers.Dense(3))
        >>> x = np.random.default_rng(0).normal(size=(2, 5)).astype("float32")
        >>> tuple(sn(x, training=True).shape)
        (2, 3)
        >>> [w.name for w in sn.weights]
        ['vector_u', 'kernel', 'bias']
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if not isinstance(layer, (keras.layers.Dense,) + _CONV):
            raise TypeError(f"SpectralNormalization supports Dense and ConvND layers, got {type(layer)}.")
        if int(power_iterations) < 1:
            raise ValueError(f"`power_iterations` must be >= 1, got {power_iterations}.")
        self.power_iterations = int(power_iterations)

    def build(self, input_shape):
        super().build(input_shape)
        self.vector_u = self.add_weight(name="vector_u", shape=(1, self.layer.kernel.shape[-1]),
                                        initializer=keras.initializers.TruncatedNormal(stddev=0.02),
                                        trainable=False)

    def normalized_kernel(self, training=False):
        """``W / σ(W)``; with `training`, the power iteration's ``u`` is stored for the next call."""
        kernel = ops.convert_to_tensor(self.layer.kernel)
        matrix = ops.reshape(kernel, (-1, kernel.shape[-1]))
        u = ops.convert_to_tensor(self.vector_u)
        for _ in range(self.power_iterations):
            v = _unit(ops.matmul(u, ops.transpose(matrix)))
            u = _unit(ops.matmul(v, matrix))
        u, v = ops.stop_gradient(u), ops.stop_gradient(v)
        if training:
            self.vector_u.assign(u)
        sigma = ops.matmul(ops.matmul(v, matrix), ops.transpose(u))[0, 0]
        return kernel / sigma

    def call(self, inputs, training=False):
        return kernel_call(self.layer, inputs, self.normalized_kernel(training))

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}


def _unit(x):
    return x / ops.maximum(ops.sqrt(ops.sum(ops.square(x))), 1e-12)


@keras.saving.register_keras_serializable(package="gan_audio")
class ConvNeXtBlock(keras.layers.Layer):
    """1-D ConvNeXt block of Vocos (Siuzdak 2023) on ``(B, T, dim)`` inputs.

    ``y = x + gamma * Dense_dim(gelu(Dense_{e*dim}(LN(DWConv_k(x)))))``

    where ``DWConv_k`` is a depthwise (one filter per channel, i.e. a Conv1D
    with ``groups=dim``; implemented as ``DepthwiseConv1D``, which avoids the
    XLA path TensorFlow needs for grouped convolutions on CPU) 'same'-padded
    convolution, ``LN`` is LayerNormalization (epsilon 1e-6), ``gelu`` is the
    exact erf GELU and ``gamma`` a learnable per-channel layer scale.

    Args:
        dim: number of channels (last input axis).
        kernel_size: depthwise convolution width.
        expansion: hidden width multiplier of the pointwise MLP.
        layer_scale_init: initial value of ``gamma``; ``None`` disables it.
        dilation: dilation rate of the depthwise convolution.
        **kwargs: base ``keras.layers.Layer`` arguments.

    Example:
        >>> block = ConvNeXtBlock(4, kernel_size=3, expansion=2)
        >>> x = np.ones((2, 5, 4), "float32")
        >>> tuple(block(x).shape)
        (2, 5, 4)
        >>> _ = block.gamma.assign(np.zeros(4, "float32"))
        >>> bool(np.allclose(block(x), x))
        True
    """

    def __init__(self, dim, kernel_size=7, expansion=3, layer_scale_init=0.1,
                 dilation=1, **kwargs):
        super().__init__(**kwargs)
        self.dim, self.kernel_size, self.expansion = dim, kernel_size, expansion
        self.layer_scale_init, self.dilation = layer_scale_init, dilation
        self.dwconv = keras.layers.DepthwiseConv1D(
            kernel_size, padding="same", dilation_rate=dilation, name="dwconv")
        self.norm = keras.layers.LayerNormalization(epsilon=1e-6, name="norm")
        self.pwconv1 = keras.layers.Dense(expansion * dim, name="pwconv1")
        self.pwconv2 = keras.layers.Dense(dim, name="pwconv2")

    def build(self, input_shape):
        if input_shape[-1] != self.dim:
            raise ValueError(f"Expected {self.dim} channels, got {input_shape}.")
        shape = (None, None, self.dim)
        self.dwconv.build(shape)
        self.norm.build(shape)
        self.pwconv1.build(shape)
        self.pwconv2.build((None, None, self.expansion * self.dim))
        self.gamma = None
        if self.layer_scale_init is not None:
            self.gamma = self.add_weight(
                name="gamma", shape=(self.dim,),
                initializer=keras.initializers.Constant(self.layer_scale_init))

    def call(self, inputs):
        x = self.norm(self.dwconv(inputs))
        x = self.pwconv2(keras.activations.gelu(self.pwconv1(x)))
        if self.gamma is not None:
            x = x * self.gamma
        return inputs + x

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "dim": self.dim,
                "kernel_size": self.kernel_size, "expansion": self.expansion,
                "layer_scale_init": self.layer_scale_init,
                "dilation": self.dilation}
