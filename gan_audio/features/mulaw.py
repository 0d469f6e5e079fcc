"""WaveNet mu-law companding and quantisation as Keras layers."""
import keras
import numpy as np
import tensorflow as tf

from gan_audio.features import _checks


def _check_channels(quantization_channels):
    channels = _checks.positive_int("quantization_channels", quantization_channels)
    if channels < 2:
        raise ValueError(
            f"`quantization_channels` must be >= 2, got {quantization_channels!r}."
        )
    return channels


@keras.saving.register_keras_serializable(package="gan_audio")
class MuLawEncoding(keras.layers.Layer):
    """Float waveform in ``[-1, 1]`` to int32 mu-law codes in ``[0, Q - 1]``.

    Maths (WaveNet): with ``mu = Q - 1``, inputs are clipped to ``[-1, 1]``,
    companded by ``f(x) = sign(x) ln(1 + mu |x|) / ln(1 + mu)`` and quantised
    by ``q = floor((f + 1) / 2 * mu + 1/2)`` (round half up).

    Args:
        quantization_channels (int): Number of codes ``Q >= 2``. Defaults to 256.
        **kwargs: Base ``keras.layers.Layer`` arguments.

    Example:
        >>> encode = MuLawEncoding(quantization_channels=256)
        >>> encode(tf.constant([-1.0, 0.0, 1.0])).numpy().tolist()
        [0, 128, 255]
    """

    def __init__(self, quantization_channels=256, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.quantization_channels = _check_channels(quantization_channels)
        self.built = True

    def call(self, waveform):
        mu = float(self.quantization_channels - 1)
        x = tf.clip_by_value(_checks.as_float32(waveform), -1.0, 1.0)
        companded = tf.sign(x) * tf.math.log1p(mu * tf.abs(x)) / np.log1p(mu)
        codes = tf.floor((companded + 1.0) * 0.5 * mu + 0.5)
        return tf.cast(codes, tf.int32)

    def get_config(self):
        config = super().get_config()
        config.update(quantization_channels=self.quantization_channels)
        return config


@keras.saving.register_keras_serializable(package="gan_audio")
class MuLawDecoding(keras.layers.Layer):
    """Mu-law codes in ``[0, Q - 1]`` (any numeric dtype) to float32 waveform.

    Maths: the inverse of ``MuLawEncoding``: with ``mu = Q - 1``,
    ``f = 2 q / mu - 1`` and ``x = sign(f) ((1 + mu)^|f| - 1) / mu``. For
    ``|x| <= 1`` the round-trip error is at most
    ``ln(1 + mu) (1 + mu) / mu^2`` (half a code step times the largest slope
    of the expansion), about 0.022 for ``Q = 256``. Integer codes are read
    from a table of the ``Q`` values (computed once in float64), so a code
    decodes to the same float eagerly, in a graph, under XLA and in an
    export; integer codes outside ``[0, Q - 1]`` clip to the ends.

    Args:
        quantization_channels (int): Number of codes ``Q >= 2``. Defaults to 256.
        **kwargs: Base ``keras.layers.Layer`` arguments.

    Example:
        >>> decode = MuLawDecoding(quantization_channels=256)
        >>> [round(v, 4) for v in decode(tf.constant([0, 255])).numpy().tolist()]
        [-1.0, 1.0]
    """

    def __init__(self, quantization_channels=256, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.quantization_channels = _check_channels(quantization_channels)
        self.built = True

    def call(self, codes):
        mu = float(self.quantization_channels - 1)
        if codes.dtype.is_integer:  # one float per code, from a table: the same bits eagerly, in graphs, in XLA
            companded = 2.0 * np.arange(self.quantization_channels) / mu - 1.0
            table = np.sign(companded) * np.expm1(np.abs(companded) * np.log1p(mu)) / mu
            index = tf.clip_by_value(tf.cast(codes, tf.int32), 0, self.quantization_channels - 1)
            return tf.gather(tf.constant(table, tf.float32), index)
        companded = 2.0 * tf.cast(codes, tf.float32) / mu - 1.0
        magnitude = tf.math.expm1(tf.abs(companded) * np.log1p(mu)) / mu
        return tf.sign(companded) * magnitude

    def get_config(self):
        config = super().get_config()
        config.update(quantization_channels=self.quantization_channels)
        return config
