"""Augmentation that moves voices and rooms: speed (pitch and vocal-tract length together) and reverberation.

Espeak voices share one synthesiser's formants; a real speaker's sit
elsewhere, and real recordings carry a room. `change_speed` resamples each
clip (a factor above 1 raises pitch and formants and shortens the word, as a
shorter vocal tract speaking faster would); `reverberate` convolves it with a
synthetic room response (exponentially decaying noise). Both are stateless
and per example; `gan_audio.data.augment.random_augment` draws them.

Example:
    >>> import tensorflow as tf
    >>> x = tf.constant([[0.0, 1.0, 2.0, 3.0, 4.0]])
    >>> change_speed(x, tf.constant([1.0])).numpy().tolist()
    [[0.0, 1.0, 2.0, 3.0, 4.0]]
    >>> change_speed(x, tf.constant([2.0])).numpy().tolist()  # twice as fast, about the centre
    [[0.0, 0.0, 2.0, 4.0, 0.0]]
"""
import math

import tensorflow as tf


def change_speed(waveform, factors):
    """Row b of ``(B, S)`` played ``factors[b]`` times as fast, about the clip's centre, same length S:
    ``y[t] = x[c + (t - c) * factor]`` (linear interpolation; zeros where that falls outside the clip)."""
    waveform = tf.cast(waveform, tf.float32)
    length = tf.shape(waveform)[1]
    centre = tf.cast(length - 1, tf.float32) / 2.0
    t = tf.cast(tf.range(length), tf.float32)[None, :]
    positions = centre + (t - centre) * tf.cast(factors, tf.float32)[:, None]
    valid = (positions >= 0.0) & (positions <= tf.cast(length - 1, tf.float32))
    lower = tf.clip_by_value(tf.floor(positions), 0.0, tf.cast(length - 1, tf.float32))
    fraction = positions - lower
    lower = tf.cast(lower, tf.int32)
    upper = tf.minimum(lower + 1, length - 1)
    value = ((1.0 - fraction) * tf.gather(waveform, lower, batch_dims=1)
             + fraction * tf.gather(waveform, upper, batch_dims=1))
    return tf.where(valid, value, tf.zeros_like(value))


def room_response(seed, batch, rt60, sample_rate=16000, seconds=0.4):
    """``(B, L)`` synthetic room impulse responses: a unit direct path, then Gaussian noise decaying by
    60 dB over ``rt60[b]`` seconds (scaled to a tenth of the direct path's energy at the start)."""
    length = int(seconds * sample_rate)
    t = tf.cast(tf.range(length), tf.float32)[None, :] / float(sample_rate)
    decay = tf.exp(-3.0 * math.log(10.0) * t / tf.cast(rt60, tf.float32)[:, None])
    tail = tf.random.stateless_normal([batch, length], seed) * decay * 0.1
    direct = tf.one_hot(tf.zeros([batch], tf.int32), length)
    return tf.where(direct > 0, direct, tail)


def reverberate(waveform, seed, rt60, sample_rate=16000):
    """Each row of ``(B, S)`` convolved with its `room_response` (FFT convolution, cut to S samples,
    rescaled to the dry clip's peak)."""
    waveform = tf.cast(waveform, tf.float32)
    batch, length = tf.shape(waveform)[0], tf.shape(waveform)[1]
    response = room_response(seed, batch, rt60, sample_rate)
    size = length + tf.shape(response)[1]
    wet = tf.signal.irfft(tf.signal.rfft(waveform, [size]) * tf.signal.rfft(response, [size]), [size])[:, :length]
    peak = tf.reduce_max(tf.abs(waveform), axis=1, keepdims=True)
    return wet * peak / (tf.reduce_max(tf.abs(wet), axis=1, keepdims=True) + 1e-9)
