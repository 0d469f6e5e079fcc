"""Waveform augmentation for training (a separate step: feature layers never randomise).

Example:
    >>> import tensorflow as tf
    >>> time_shift(tf.constant([[1.0, 2.0, 3.0, 4.0]]), tf.constant([1])).numpy().tolist()
    [[0.0, 1.0, 2.0, 3.0]]
    >>> time_shift(tf.constant([[1.0, 2.0, 3.0, 4.0]]), tf.constant([-2])).numpy().tolist()
    [[3.0, 4.0, 0.0, 0.0]]
"""
import math

import tensorflow as tf

from gan_audio.data.voice_augment import change_speed, reverberate


def time_shift(waveform, shifts):
    """Shifts each row of ``(B, S)`` by ``shifts[b]`` samples (later if positive),
    filling with zeros: ``y[b, t] = x[b, t - shifts[b]]`` where that index exists."""
    waveform = tf.convert_to_tensor(waveform)
    length = tf.shape(waveform)[1]
    positions = tf.range(length)[None, :] - tf.cast(shifts, tf.int32)[:, None]
    valid = (positions >= 0) & (positions < length)
    gathered = tf.gather(waveform, tf.clip_by_value(positions, 0, length - 1), batch_dims=1)
    return tf.where(valid, gathered, tf.zeros_like(gathered))


def low_pass(waveform, cutoff_hz, sample_rate, transition_hz=200.0):
    """Each row of ``(B, S)`` without what lies above its ``cutoff_hz[b]`` (FFT mask with a raised-cosine
    edge `transition_hz` wide): the band of telephone speech (GSM, G.711: 8 kHz, up to 3.4-4 kHz)."""
    waveform = tf.cast(waveform, tf.float32)
    length = tf.shape(waveform)[1]
    spectrum = tf.signal.rfft(waveform)
    bins = tf.cast(tf.range(tf.shape(spectrum)[1]), tf.float32) * float(sample_rate) / tf.cast(length, tf.float32)
    edge = tf.clip_by_value((bins[None, :] - (cutoff_hz[:, None] - transition_hz)) / transition_hz, 0.0, 1.0)
    mask = 0.5 * (1.0 + tf.cos(edge * 3.141592653589793))
    return tf.signal.irfft(spectrum * tf.cast(mask, spectrum.dtype), fft_length=[length])


def random_augment(waveform, seed, max_shift=0, max_gain_db=0.0, noise_db=None, band_limit=0.0,
                   sample_rate=16000, cutoff_hz=(3400.0, 4000.0), speed=None, reverb=0.0, rt60=(0.1, 0.6)):
    """One random draw of shift, gain and noise per example of ``(B, S)``.

    - a shift uniform in ``[-max_shift, max_shift]`` samples (`time_shift`),
    - a gain uniform in ``[-max_gain_db, max_gain_db]`` dB,
    - with `noise_db` ``(low, high)``: white noise whose level is uniform in
      that range of dB *below the clip's RMS* (e.g. ``(20, 40)``),
    - with probability `band_limit`, the telephone band: `low_pass` at a
      cutoff uniform in `cutoff_hz` (at `sample_rate`), as 8 kHz recordings
      played at 16 kHz are,
    - with `speed` ``(low, high)``: `change_speed` by a factor log-uniform in
      that range (pitch, formants and duration move together; first, so the
      noise and the band limit are not resampled),
    - with probability `reverb`, `reverberate` with an RT60 uniform in `rt60` s.

    Args:
        seed: int32/int64 tensor of shape ``(2,)`` (stateless draws: the same
            seed gives the same augmentation).
    """
    waveform = tf.cast(waveform, tf.float32)
    batch = tf.shape(waveform)[0]
    seeds = tf.random.experimental.stateless_split(tf.cast(seed, tf.int64), 4)
    voice_seeds = tf.random.experimental.stateless_split(tf.cast(seed, tf.int64) + [0, 2], 4)  # others unchanged
    if speed is not None:
        log_factor = tf.random.stateless_uniform([batch], voice_seeds[0], math.log(speed[0]), math.log(speed[1]))
        waveform = change_speed(waveform, tf.exp(log_factor))
    if reverb:
        rt60_draw = tf.random.stateless_uniform([batch], voice_seeds[1], float(rt60[0]), float(rt60[1]))
        chosen = tf.random.stateless_uniform([batch, 1], voice_seeds[2]) < float(reverb)
        waveform = tf.where(chosen, reverberate(waveform, voice_seeds[3], rt60_draw, sample_rate), waveform)
    if max_shift:
        shifts = tf.random.stateless_uniform([batch], seeds[0], -int(max_shift), int(max_shift) + 1, tf.int32)
        waveform = time_shift(waveform, shifts)
    if max_gain_db:
        gain_db = tf.random.stateless_uniform([batch, 1], seeds[1], -max_gain_db, max_gain_db)
        waveform = waveform * tf.pow(10.0, gain_db / 20.0)
    if noise_db is not None:
        low, high = noise_db
        rms = tf.sqrt(tf.reduce_mean(tf.square(waveform), axis=1, keepdims=True) + 1e-12)
        below = tf.random.stateless_uniform([batch, 1], seeds[2], float(low), float(high))
        noise = tf.random.stateless_normal(tf.shape(waveform), seeds[3])
        waveform = waveform + noise * rms * tf.pow(10.0, -below / 20.0)
    if band_limit:
        band_seeds = tf.random.experimental.stateless_split(tf.cast(seed, tf.int64) + [0, 1], 2)  # others unchanged
        cutoff = tf.random.stateless_uniform([batch], band_seeds[0], float(cutoff_hz[0]), float(cutoff_hz[1]))
        chosen = tf.random.stateless_uniform([batch, 1], band_seeds[1]) < float(band_limit)
        waveform = tf.where(chosen, low_pass(waveform, cutoff, sample_rate), waveform)
    return waveform


def augmented(dataset, seed=0, **kwargs):
    """Maps `random_augment` over a dataset of ``(waveform, label)`` or waveform
    batches, with a new (seeded) draw for every batch of every epoch."""
    seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)

    def apply(seed_pair, element):
        if isinstance(element, tuple):
            return (random_augment(element[0], seed_pair, **kwargs),) + element[1:]
        return random_augment(element, seed_pair, **kwargs)

    return tf.data.Dataset.zip((seeds, dataset)).map(apply, num_parallel_calls=tf.data.AUTOTUNE)
