"""Argument validation shared by the feature layers (every error names its argument)."""
import numbers

import tensorflow as tf

from gan_audio.argument_checks import integer, number


def positive_int(name, value):
    """Returns ``value`` as an ``int`` or raises ``ValueError`` naming ``name``."""
    return integer(name, value)


def positive_float(name, value):
    """Returns ``value`` as a ``float`` or raises ``ValueError`` naming ``name``."""
    return number(name, value, positive=True)


def fft_length_for(fft_length, frame_length):
    """Resolves ``fft_length`` (``None`` means ``frame_length``) and checks it."""
    if fft_length is None:
        return frame_length
    fft_length = positive_int("fft_length", fft_length)
    if fft_length < frame_length:
        raise ValueError(
            f"`fft_length` ({fft_length}) must be >= `frame_length` ({frame_length})."
        )
    return fft_length


def mel_band(sample_rate, fmin, fmax):
    """Checks ``0 <= fmin < fmax <= sample_rate / 2``; ``fmax=None`` means Nyquist."""
    nyquist = sample_rate / 2.0
    if isinstance(fmin, bool) or not isinstance(fmin, numbers.Real) or fmin < 0:
        raise ValueError(f"`fmin` must be a number >= 0, got {fmin!r}.")
    if fmax is None:
        fmax = nyquist
    if isinstance(fmax, bool) or not isinstance(fmax, numbers.Real):
        raise ValueError(f"`fmax` must be a number or None, got {fmax!r}.")
    if fmax > nyquist:
        raise ValueError(
            f"`fmax` ({fmax}) must be <= sample_rate / 2 ({nyquist})."
        )
    if not fmin < fmax:
        raise ValueError(f"`fmin` ({fmin}) must be < `fmax` ({fmax}).")
    return float(fmin), float(fmax)


def static_waveform_length(waveform, frame_length):
    """Raises ``ValueError`` if the static number of samples is < ``frame_length``."""
    if waveform.shape.rank == 0:
        raise ValueError("`waveform` must have at least one axis (samples last).")
    num_samples = waveform.shape[-1] if waveform.shape.rank is not None else None
    if num_samples is not None and num_samples < frame_length:
        raise ValueError(
            f"`waveform` has {num_samples} samples, fewer than "
            f"`frame_length` ({frame_length})."
        )


def as_float32(x):
    """Converts ``x`` to a float32 tensor."""
    x = tf.convert_to_tensor(x)
    return x if x.dtype == tf.float32 else tf.cast(x, tf.float32)
