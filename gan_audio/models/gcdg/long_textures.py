"""Textures longer than a generator's clip: crossfaded segments from independent latents.

``n`` segments ``s_k`` of ``L`` samples, overlapping by ``C`` (hop ``H = L - C``),
are windowed and overlap-added:

    y[t] = sum_k w_k[t - kH] s_k[t - kH],
    w_k[j] = rise[j]^[k > 0] · fall[j]^[k < n - 1],
    rise[j] = sin(pi/2 (j + 1/2) / C) for j < C (else 1),
    fall[j] = cos(pi/2 (j - (L - C) + 1/2) / C) for j >= L - C (else 1).

In an overlap, ``fall² + rise² = 1`` sample by sample (an equal-power
crossfade): two uncorrelated textures of equal power keep that power through
the seam, so there is no dip or bump in energy; outside the overlaps every
segment is played as generated (the first ``L - C`` samples are the first
segment untouched).
"""
import math

import tensorflow as tf


def segment_count(total, length, overlap):
    """Segments of `length` overlapping by `overlap` needed for `total` samples:
    ``max(1, ceil((total - overlap) / (length - overlap)))`` (works on ints and tensors)."""
    if isinstance(total, int):
        return max(1, math.ceil((total - overlap) / (length - overlap)))
    hop = length - overlap
    return tf.maximum(1, (tf.cast(total, tf.int32) - overlap + hop - 1) // hop)


def crossfade_windows(count, length, overlap):
    """``(count, length)`` float32 windows ``w_k`` of the module docstring."""
    j = tf.range(length, dtype=tf.float32)
    quarter = 0.5 * math.pi / overlap
    rise = tf.where(j < overlap, tf.sin(quarter * (j + 0.5)), 1.0)
    fall = tf.where(j >= length - overlap, tf.cos(quarter * (j - (length - overlap) + 0.5)), 1.0)
    k = tf.range(count)[:, None]
    return tf.where(k > 0, rise[None, :], 1.0) * tf.where(k < count - 1, fall[None, :], 1.0)


def crossfade_segments(segments, overlap, total=None):
    """``(B, n, L)`` segments → ``(B, total)`` audio, equal-power crossfaded.

    Args:
        segments: float tensor ``(B, n, L)``, segment k of each clip in row k.
        overlap: int ``C``, ``0 < C < L``: samples shared by neighbouring segments.
        total: int or scalar tensor, samples kept (default all ``(n - 1)(L - C) + L``).

    Example:
    ```python
    noise = tf.random.normal((1, 3, 1000))
    crossfade_segments(noise, 250).shape  # (1, 2500)
    ```
    """
    segments = tf.convert_to_tensor(segments, tf.float32)
    length = segments.shape[-1]
    if length is None or not 0 < int(overlap) < length:
        raise ValueError(f"`overlap` must be in (0, {length}) (the segment length), got {overlap}.")
    windows = crossfade_windows(tf.shape(segments)[1], length, int(overlap))
    audio = tf.signal.overlap_and_add(segments * windows[None], length - int(overlap))
    return audio if total is None else audio[:, :total]
