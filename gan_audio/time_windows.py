"""Windows and lengths along time: the one gather behind random crops, phase shuffle and translation
(`windows`), centred zero padding of a batch (`centre_pad`) and a numpy clip padded or cut at its end
(`pad_or_trim`).

Example:
    >>> import tensorflow as tf
    >>> x = tf.reshape(tf.range(8.0), (2, 4))
    >>> windows(x, [1, 0], 2).numpy().tolist()
    [[1.0, 2.0], [4.0, 5.0]]
    >>> windows(x, [-1, 3], 2, fill=-1.0).numpy().tolist()
    [[-1.0, 0.0], [7.0, -1.0]]
    >>> centre_pad(tf.ones((1, 2)), 5).numpy().tolist()
    [[0.0, 1.0, 1.0, 0.0, 0.0]]
    >>> pad_or_trim(np.arange(3.0), 5).tolist(), pad_or_trim(np.arange(3.0), 2).tolist()
    ([0.0, 1.0, 2.0, 0.0, 0.0], [0.0, 1.0])
"""
import numpy as np
import tensorflow as tf


def windows(x, starts, length, fill=None):
    """``out[b, t] = x[b, starts[b] + t]`` for ``t < length``: `x` ``(B, T, ...)``, `starts` ``(B,)`` ints.

    With `fill` None every position must lie in ``[0, T)``; else positions outside it give `fill`.
    Differentiable in `x`."""
    positions = tf.cast(starts, tf.int32)[:, None] + tf.range(length)[None, :]
    if fill is None:
        return tf.gather(x, positions, batch_dims=1)
    total = tf.shape(x)[1]
    moved = tf.gather(x, tf.clip_by_value(positions, 0, total - 1), batch_dims=1)
    inside = (positions >= 0) & (positions < total)
    inside = tf.reshape(inside, tf.concat([tf.shape(inside), tf.ones([tf.rank(x) - 2], tf.int32)], axis=0))
    return tf.where(inside, moved, tf.cast(fill, x.dtype) * tf.ones_like(moved))


def centre_pad(waveform, minimum):
    """``(B, S)`` float32 zero-padded on both sides (the odd sample after) to at least `minimum` samples."""
    waveform = tf.cast(waveform, tf.float32)
    shortfall = tf.maximum(minimum - tf.shape(waveform)[1], 0)
    return tf.pad(waveform, [[0, 0], [shortfall // 2, shortfall - shortfall // 2]])


def pad_or_trim(audio, length):
    """A 1-D numpy clip zero-padded or cut at its end to exactly `length` samples."""
    return np.pad(audio, (0, max(0, length - len(audio))))[:length]
