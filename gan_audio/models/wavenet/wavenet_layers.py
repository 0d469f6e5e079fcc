"""WaveNet building blocks: a causal embedding of μ-law codes and the gated residual block.

Both layers compute a whole sequence (`call`, training and scoring) and one
time step from the few past inputs their taps read (`step`, fast generation
with per-layer queues, Paine et al. 2016). The two use the same weights and
the same arithmetic (taps concatenated, one matmul), so a step reproduces
the sequence's value at that position.
"""
import keras
import tensorflow as tf


def dense(x, kernel):
    """``(..., C) @ (C, D)`` → ``(..., D)``."""
    return tf.tensordot(x, kernel, axes=1)


def shift_right(x, shift):
    """``(B, T, ...)`` → the same sequence delayed by `shift` steps (zeros first)."""
    if shift == 0:
        return x
    paddings = [[0, 0], [shift, 0]] + [[0, 0]] * (x.shape.rank - 2)
    return tf.pad(x, paddings)[:, : tf.shape(x)[1]]


@keras.saving.register_keras_serializable(package="gan_audio")
class CausalEmbedding(keras.layers.Layer):
    """μ-law codes ``(B, T)`` → ``(B, T, channels)``: one-hot then a causal Conv1D.

    Maths: ``y[t] = b + Σ_{j<K} E_j[q[t - (K-1) + j]]``, i.e. a causal
    convolution of width ``K = kernel_size`` over the one-hot codes, computed
    as table look-ups (``E`` has shape ``(K, Q, channels)``, the layout of a
    Conv1D kernel over ``Q`` one-hot channels). Positions before the start
    (and the code ``-1``) contribute nothing, as the zero padding of a
    causal Conv1D.

    Args:
        quantization_channels: int, Q. Defaults to 256.
        channels: int, output width. Defaults to 64.
        kernel_size: int >= 1, taps (1 is a plain embedding). Defaults to 2.

    Example:
    ```python
    embed = CausalEmbedding(256, 8, kernel_size=2)
    embed(tf.constant([[128, 130, 127]])).shape  # (1, 3, 8)
    ```
    """

    def __init__(self, quantization_channels=256, channels=64, kernel_size=2, **kwargs):
        super().__init__(**kwargs)
        self.quantization_channels, self.channels = int(quantization_channels), int(channels)
        self.kernel_size = int(kernel_size)

    def build(self, input_shape=None):
        self.embeddings = self.add_weight((self.kernel_size, self.quantization_channels, self.channels),
                                          initializer="glorot_uniform", name="embeddings")
        self.bias = self.add_weight((self.channels,), initializer="zeros", name="bias")
        self.built = True

    def _lookup(self, tap, codes):
        table = tf.cast(self.embeddings[tap], self.compute_dtype)
        present = tf.cast(codes >= 0, self.compute_dtype)[..., None]
        return tf.gather(table, tf.maximum(codes, 0)) * present

    def call(self, codes):
        codes = tf.cast(codes, tf.int32)
        total = tf.cast(self.bias, self.compute_dtype)
        for tap in range(self.kernel_size):
            delayed = shift_right(codes + 1, self.kernel_size - 1 - tap) - 1  # -1 before the start
            total = total + self._lookup(tap, delayed)
        return total

    def step(self, taps):
        """``taps (B, K)`` codes at ``t-K+1 … t`` (``-1``: none) → ``(B, channels)``."""
        total = tf.cast(self.bias, self.compute_dtype)
        for tap in range(self.kernel_size):
            total = total + self._lookup(tap, taps[:, tap])
        return total

    def get_config(self):
        return {**super().get_config(), "quantization_channels": self.quantization_channels,
                "channels": self.channels, "kernel_size": self.kernel_size}


@keras.saving.register_keras_serializable(package="gan_audio")
class GatedResidualBlock(keras.layers.Layer):
    """One WaveNet layer: dilated causal conv, gated unit, 1×1 skip and residual paths.

    Maths (van den Oord et al. 2016), with ``x`` the block input, ``*_d`` a
    causal convolution of width K and dilation d, and ``c`` an optional
    condition (a label embedding ``(B, 1, E)`` or frames ``(B, T, E)``)::

        a, g = split(W *_d x + b + V c)              # 2 × gate_channels
        z = tanh(a) ⊙ σ(g)
        skip = W_s z + b_s                          # skip_channels
        out  = x + W_r z + b_r                      # residual_channels

    The causal conv is computed as the K delayed copies
    ``x[t-(K-1)d], …, x[t]`` concatenated and multiplied by the kernel
    ``(K, residual_channels, 2 gate_channels)`` (a Conv1D kernel's layout).
    With ``residual=False`` (the last block, whose residual output nothing
    reads) there are no residual weights and `call` returns ``(x, skip)``.

    Args:
        residual_channels, gate_channels, skip_channels: ints.
        kernel_size: int >= 2. dilation: int >= 1.
        condition_channels: int, width E of the condition (0: none).
        residual: bool. Defaults to True.
    """

    def __init__(self, residual_channels, gate_channels, skip_channels, kernel_size=2, dilation=1,
                 condition_channels=0, residual=True, **kwargs):
        super().__init__(**kwargs)
        self.residual_channels, self.gate_channels = int(residual_channels), int(gate_channels)
        self.skip_channels, self.kernel_size, self.dilation = int(skip_channels), int(kernel_size), int(dilation)
        self.condition_channels, self.residual = int(condition_channels), bool(residual)

    def build(self, input_shape=None):
        width, gates = self.residual_channels, 2 * self.gate_channels
        self.kernel = self.add_weight((self.kernel_size, width, gates), initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight((gates,), initializer="zeros", name="bias")
        if self.condition_channels:
            self.condition_kernel = self.add_weight((self.condition_channels, gates), initializer="glorot_uniform",
                                                    name="condition_kernel")
        self.skip_kernel = self.add_weight((self.gate_channels, self.skip_channels), initializer="glorot_uniform",
                                           name="skip_kernel")
        self.skip_bias = self.add_weight((self.skip_channels,), initializer="zeros", name="skip_bias")
        if self.residual:
            self.residual_kernel = self.add_weight((self.gate_channels, width), initializer="glorot_uniform",
                                                   name="residual_kernel")
            self.residual_bias = self.add_weight((width,), initializer="zeros", name="residual_bias")
        self.built = True

    @property
    def queue_size(self):
        """Past inputs a step reads: ``(K - 1) · d``."""
        return (self.kernel_size - 1) * self.dilation

    def _w(self, variable):
        return tf.cast(variable, self.compute_dtype)

    def project_condition(self, condition):
        """``(..., E)`` → the condition's term of the pre-activation ``(..., 2 gate_channels)``."""
        return dense(tf.cast(condition, self.compute_dtype), self._w(self.condition_kernel))

    def _gate_and_outputs(self, x, stacked, conditioned):
        kernel = tf.reshape(self._w(self.kernel), [self.kernel_size * self.residual_channels, -1])
        pre = dense(stacked, kernel) + self._w(self.bias)
        if conditioned is not None:
            pre = pre + conditioned
        filters, gates = tf.split(pre, 2, axis=-1)
        z = tf.tanh(filters) * tf.sigmoid(gates)
        skip = dense(z, self._w(self.skip_kernel)) + self._w(self.skip_bias)
        if not self.residual:
            return x, skip
        return x + dense(z, self._w(self.residual_kernel)) + self._w(self.residual_bias), skip

    def call(self, x, condition=None):
        """``x (B, T, R)`` [+ condition ``(B, 1 or T, E)``] → ``(out (B, T, R), skip (B, T, S))``."""
        x = tf.cast(x, self.compute_dtype)
        delays = [(self.kernel_size - 1 - tap) * self.dilation for tap in range(self.kernel_size)]
        stacked = tf.concat([shift_right(x, delay) for delay in delays], axis=-1)
        conditioned = None if condition is None else self.project_condition(condition)
        return self._gate_and_outputs(x, stacked, conditioned)

    def step(self, taps, conditioned=None):
        """``taps (B, K, R)`` (inputs at ``t-(K-1)d … t``) [+ `project_condition` of the
        condition ``(B, 2 gate_channels)``] → ``(out (B, R), skip (B, S))``."""
        taps = tf.cast(taps, self.compute_dtype)
        stacked = tf.reshape(taps, [-1, self.kernel_size * self.residual_channels])
        return self._gate_and_outputs(taps[:, -1], stacked, conditioned)

    def get_config(self):
        return {**super().get_config(), "residual_channels": self.residual_channels,
                "gate_channels": self.gate_channels, "skip_channels": self.skip_channels,
                "kernel_size": self.kernel_size, "dilation": self.dilation,
                "condition_channels": self.condition_channels, "residual": self.residual}
