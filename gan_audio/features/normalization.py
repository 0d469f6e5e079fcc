"""Affine min/max normalisation of features to ``[-1, 1]`` with robust ``adapt``."""
import keras
import numpy as np
import tensorflow as tf

from gan_audio.features import _checks


def _first(element):
    """Features of a dataset element: the element, or item 0 of a tuple/list."""
    if isinstance(element, (tuple, list)):
        return element[0]
    return element


def _sample_values(data, max_values, steps):
    """Collects at most ``max_values`` feature values (float64) from ``data``."""
    if isinstance(data, tf.data.Dataset):
        iterator = data.as_numpy_iterator()
    else:
        iterator = [np.asarray(_first(data))]
    chunks, total = [], 0
    for step, element in enumerate(iterator):
        if steps is not None and step >= steps:
            break
        values = np.asarray(_first(element), dtype=np.float64).ravel()
        chunks.append(values[: max_values - total])
        total += chunks[-1].size
        if total >= max_values:
            break
    if total == 0:
        raise ValueError("`data` is empty: no values to adapt to.")
    return np.concatenate(chunks)


@keras.saving.register_keras_serializable(package="gan_audio")
class MinMaxNormalization(keras.layers.Layer):
    """Maps ``[low, high]`` affinely to ``[-1, 1]`` and clips.

    Maths: ``y = clip(2 (x - low) / (high - low) - 1, -1, 1)`` and
    ``invert(y) = (y + 1) / 2 (high - low) + low`` (exact inverse inside
    the range). ``adapt`` sets ``low``/``high`` to the ``quantiles`` (default
    0.5 % and 99.5 %) of at most ``max_values`` values of the data, computed
    with numpy. ``low``/``high`` are non-trainable weights (saved in ``.keras``
    files and SavedModels) and ``get_config`` reports their current values.

    Args:
        low (float): Value mapped to -1. Defaults to -50.0.
        high (float): Value mapped to +1, must exceed ``low``. Defaults to 50.0.
        **kwargs: Base ``keras.layers.Layer`` arguments (``dtype`` defaults
            to ``"float32"``).

    Example:
        >>> layer = MinMaxNormalization(low=-50.0, high=50.0)
        >>> layer(tf.constant([-60.0, -50.0, 0.0, 25.0])).numpy().tolist()
        [-1.0, -1.0, 0.0, 0.5]
        >>> layer.invert(tf.constant([0.5])).numpy().tolist()
        [25.0]
        >>> layer.adapt(np.linspace(0.0, 10.0, 1001))
        >>> round(layer.low, 2), round(layer.high, 2)
        (0.05, 9.95)
    """

    def __init__(self, low=-50.0, high=50.0, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        low, high = self._check_range(low, high)
        self._low = self.add_weight(
            shape=(), name="low", trainable=False,
            initializer=keras.initializers.Constant(low),
        )
        self._high = self.add_weight(
            shape=(), name="high", trainable=False,
            initializer=keras.initializers.Constant(high),
        )
        self.built = True

    @staticmethod
    def _check_range(low, high):
        low = float(low)
        high = float(high)
        if not np.isfinite(low):
            raise ValueError(f"`low` must be finite, got {low!r}.")
        if not (np.isfinite(high) and high > low):
            raise ValueError(f"`high` ({high!r}) must be finite and > `low` ({low!r}).")
        return low, high

    @property
    def low(self):
        """Current ``low`` as a Python float."""
        return float(keras.ops.convert_to_numpy(self._low))

    @property
    def high(self):
        """Current ``high`` as a Python float."""
        return float(keras.ops.convert_to_numpy(self._high))

    def set_range(self, low, high):
        """Assigns new ``low``/``high`` values (checked: ``high > low``)."""
        low, high = self._check_range(low, high)
        self._low.assign(low)
        self._high.assign(high)

    def adapt(self, data, quantiles=(0.5, 99.5), max_values=1_000_000, steps=None):
        """Sets ``low``/``high`` to robust percentiles of ``data``.

        Args:
            data: A ``tf.data.Dataset`` of features or of ``(features, ...)``
                tuples, or an array (or ``(array, ...)`` tuple).
            quantiles (tuple[float, float]): Percentiles (0-100) used for
                ``low`` and ``high``. Defaults to ``(0.5, 99.5)``.
            max_values (int): At most this many values are read, in dataset
                order, so infinite datasets terminate. Defaults to 1e6.
            steps (int | None): At most this many dataset elements are read.
        """
        max_values = _checks.positive_int("max_values", max_values)
        lower, upper = (float(q) for q in quantiles)
        if not 0.0 <= lower < upper <= 100.0:
            raise ValueError(f"`quantiles` must satisfy 0 <= lo < hi <= 100, got {quantiles!r}.")
        values = _sample_values(data, max_values, steps)
        values = values[np.isfinite(values)]
        if values.size == 0:
            raise ValueError("`data` has no finite values to adapt to.")
        low, high = np.percentile(values, [lower, upper])
        if not high > low:
            raise ValueError(
                f"`data` is (nearly) constant: percentiles {quantiles} are both {low}."
            )
        self.set_range(low, high)

    def call(self, inputs):
        inputs = _checks.as_float32(inputs)
        low = tf.convert_to_tensor(self._low)
        high = tf.convert_to_tensor(self._high)
        scaled = 2.0 * (inputs - low) / (high - low) - 1.0
        return tf.clip_by_value(scaled, -1.0, 1.0)

    def invert(self, normalized):
        """Maps values in ``[-1, 1]`` back to ``[low, high]``."""
        normalized = _checks.as_float32(normalized)
        low = tf.convert_to_tensor(self._low)
        high = tf.convert_to_tensor(self._high)
        return (normalized + 1.0) * 0.5 * (high - low) + low

    def get_config(self):
        config = super().get_config()
        config.update(low=self.low, high=self.high)
        return config


@keras.saving.register_keras_serializable(package="gan_audio")
class PeakNormalization(keras.layers.Layer):
    """Decibels relative to each example's peak, mapped to ``[-1, 1]``: gain-invariant.

    Maths: for an example ``x`` (dB, any shape after the batch axis),
    ``y = 2 clip((x - max(x)) / range_db, -1, 0) + 1``: the loudest bin is 1,
    anything ``range_db`` or more below it is -1. The level of a recording
    (its gain, or the dB range a generator was trained on) does not change
    ``y``; a classifier that sees ``y`` judges spectral shape only.

    Args:
        range_db (float): dynamic range kept below the peak. Defaults to 80.0.
        **kwargs: Base ``keras.layers.Layer`` arguments (``dtype`` float32).

    Example:
        >>> PeakNormalization(range_db=40.0)(tf.constant([[0.0, -20.0, -60.0]])).numpy().tolist()
        [[1.0, 0.0, -1.0]]
    """

    def __init__(self, range_db=80.0, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.range_db = _checks.positive_float("range_db", range_db)
        self.built = True

    def call(self, inputs):
        inputs = _checks.as_float32(inputs)
        axes = list(range(1, inputs.shape.rank))
        peak = tf.reduce_max(inputs, axis=axes, keepdims=True)
        return 2.0 * tf.clip_by_value((inputs - peak) / self.range_db, -1.0, 0.0) + 1.0

    def get_config(self):
        return {**super().get_config(), "range_db": self.range_db}
