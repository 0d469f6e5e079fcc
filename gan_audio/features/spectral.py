"""Power spectrograms and log-mel spectrograms as Keras layers (``tf.signal``)."""
import functools

import keras
import numpy as np
import tensorflow as tf

from gan_audio.features import _checks

#: Periodic Hann window: ``w[n] = 0.5 - 0.5 cos(2 pi n / N)`` (librosa's "hann").
hann_window = functools.partial(tf.signal.hann_window, periodic=True)


def mel_weight_matrix(sample_rate, fft_length, num_mel_bins, fmin=0.0, fmax=None):
    """HTK mel filterbank from ``tf.signal.linear_to_mel_weight_matrix``.

    Computed eagerly (also when called while a graph is being traced), in
    float64, and returned as a float32 numpy array of shape
    ``(fft_length // 2 + 1, num_mel_bins)`` so ``mel = spectrogram @ matrix``.
    The mel scale is ``m(f) = 2595 log10(1 + f / 700)``; each band is a
    triangle with corners at consecutive points equally spaced in ``m``.

    Args:
        sample_rate (int): Sampling rate in Hz.
        fft_length (int): FFT size; the spectrogram has ``fft_length // 2 + 1`` bins.
        num_mel_bins (int): Number of mel bands ``M``.
        fmin (float): Lower edge of the lowest band in Hz. Defaults to 0.
        fmax (float | None): Upper edge of the highest band in Hz; ``None``
            means ``sample_rate / 2``.
    """
    sample_rate = _checks.positive_int("sample_rate", sample_rate)
    num_mel_bins = _checks.positive_int("num_mel_bins", num_mel_bins)
    fmin, fmax = _checks.mel_band(sample_rate, fmin, fmax)
    with tf.init_scope():
        matrix = tf.signal.linear_to_mel_weight_matrix(
            num_mel_bins=num_mel_bins,
            num_spectrogram_bins=fft_length // 2 + 1,
            sample_rate=sample_rate,
            lower_edge_hertz=fmin,
            upper_edge_hertz=fmax,
            dtype=tf.float64,
        )
        return matrix.numpy().astype(np.float32)


@keras.saving.register_keras_serializable(package="gan_audio")
class Spectrogram(keras.layers.Layer):
    """``|STFT|^power`` of waveforms, frames taken without centre padding.

    Maths: with the periodic Hann window ``w`` of length ``N = frame_length``,
    hop ``H = frame_step`` and FFT size ``K = fft_length`` (frames zero-padded
    at the end to ``K``),
    ``X[t, k] = sum_n w[n] x[t H + n] exp(-2 pi i k n / K)`` for
    ``t = 0 .. T-1``, ``T = 1 + (S - N) // H``, ``k = 0 .. K // 2``, and the
    output is ``|X[t, k]|^power``. This equals
    ``np.abs(librosa.stft(x, n_fft=N, hop_length=H, center=False)) ** power``
    transposed, when ``fft_length`` is ``None``.

    Shapes: ``(B, S) -> (B, T, K // 2 + 1)``; any leading axes are kept, so an
    unbatched ``(S,)`` waveform (e.g. in ``tf.data.Dataset.map``) works too.

    Args:
        frame_length (int): Window length ``N`` in samples. Defaults to 1024.
        frame_step (int): Hop ``H`` in samples. Defaults to 256.
        fft_length (int | None): FFT size ``K >= N``; ``None`` means ``N``.
        power (float): Exponent applied to the magnitude (1: magnitude,
            2: power). Defaults to 2.0.
        **kwargs: Base ``keras.layers.Layer`` arguments (``name``, ``dtype``
            defaults to ``"float32"``).

    Example:
        >>> layer = Spectrogram(frame_length=256, frame_step=64)
        >>> tuple(layer(tf.zeros([2, 1024])).shape)
        (2, 13, 129)
    """

    def __init__(self, frame_length=1024, frame_step=256, fft_length=None,
                 power=2.0, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.frame_length = _checks.positive_int("frame_length", frame_length)
        self.frame_step = _checks.positive_int("frame_step", frame_step)
        self.fft_length = _checks.fft_length_for(fft_length, self.frame_length)
        self.power = _checks.positive_float("power", power)
        self.built = True

    @property
    def num_bins(self):
        """Number of frequency bins ``fft_length // 2 + 1``."""
        return self.fft_length // 2 + 1

    def num_frames(self, num_samples):
        """Frames produced from ``num_samples`` samples: ``1 + (S - N) // H``."""
        return 1 + (num_samples - self.frame_length) // self.frame_step

    def stft(self, waveform):
        """Complex STFT ``X`` of shape ``(..., T, fft_length // 2 + 1)``."""
        waveform = _checks.as_float32(waveform)
        _checks.static_waveform_length(waveform, self.frame_length)
        return tf.signal.stft(
            waveform,
            frame_length=self.frame_length,
            frame_step=self.frame_step,
            fft_length=self.fft_length,
            window_fn=hann_window,
            pad_end=False,
        )

    def call(self, waveform):
        stft = self.stft(waveform)
        power_spectrum = tf.square(tf.math.real(stft)) + tf.square(tf.math.imag(stft))
        if self.power == 2.0:
            return power_spectrum
        return tf.pow(power_spectrum, self.power / 2.0)

    def get_config(self):
        config = super().get_config()
        config.update(
            frame_length=self.frame_length,
            frame_step=self.frame_step,
            fft_length=self.fft_length,
            power=self.power,
        )
        return config


@keras.saving.register_keras_serializable(package="gan_audio")
class LogMelSpectrogram(Spectrogram):
    """Log-mel spectrogram in decibels.

    Maths: ``P = |STFT|^power`` (see ``Spectrogram``), ``mel = P @ W`` with the
    HTK filterbank ``W`` of ``tf.signal.linear_to_mel_weight_matrix``
    (shape ``(K // 2 + 1, M)``, exposed as ``mel_matrix``), and
    ``dB = 10 log10(max(mel, amin))``. This matches
    ``librosa.power_to_db(librosa.feature.melspectrogram(y, center=False,
    htk=True, norm=None), ref=1.0, amin=amin, top_db=None)`` up to the
    filterbank: TF interpolates each triangle linearly in mel, librosa in Hz
    (entries differ by < 0.5 % of the peak weight).

    Shapes: ``(B, S) -> (B, T, M)``, leading axes kept as in ``Spectrogram``.

    Args:
        sample_rate (int): Sampling rate in Hz. Defaults to 16000.
        frame_length (int): Window length in samples. Defaults to 1024.
        frame_step (int): Hop in samples. Defaults to 256.
        fft_length (int | None): FFT size; ``None`` means ``frame_length``.
        num_mel_bins (int): Number of mel bands ``M``. Defaults to 64.
        fmin (float): Lowest band edge in Hz. Defaults to 0.0.
        fmax (float | None): Highest band edge in Hz, at most
            ``sample_rate / 2`` (the default when ``None``).
        power (float): Exponent of the magnitude before the filterbank.
            Defaults to 2.0.
        amin (float): Floor applied before the logarithm. Defaults to 1e-5
            (so outputs are >= -50 dB).
        **kwargs: Base ``keras.layers.Layer`` arguments.

    Example:
        >>> layer = LogMelSpectrogram(frame_length=256, frame_step=64, num_mel_bins=16)
        >>> tuple(layer(tf.zeros([2, 1024])).shape), tuple(layer.mel_matrix.shape)
        ((2, 13, 16), (129, 16))
        >>> float(tf.reduce_min(layer(tf.zeros([1, 256]))))
        -50.0
    """

    def __init__(self, sample_rate=16000, frame_length=1024, frame_step=256,
                 fft_length=None, num_mel_bins=64, fmin=0.0, fmax=None,
                 power=2.0, amin=1e-5, **kwargs):
        super().__init__(frame_length=frame_length, frame_step=frame_step,
                         fft_length=fft_length, power=power, **kwargs)
        self.sample_rate = _checks.positive_int("sample_rate", sample_rate)
        self.num_mel_bins = _checks.positive_int("num_mel_bins", num_mel_bins)
        self.fmin, self.fmax = _checks.mel_band(self.sample_rate, fmin, fmax)
        self.amin = _checks.positive_float("amin", amin)
        self._mel_matrix = mel_weight_matrix(
            self.sample_rate, self.fft_length, self.num_mel_bins, self.fmin, self.fmax
        )

    @property
    def mel_matrix(self):
        """The filterbank ``W`` as a float32 tensor ``(fft_length // 2 + 1, M)``."""
        return tf.constant(self._mel_matrix)

    def call(self, waveform):
        spectrogram = super().call(waveform)
        mel = tf.tensordot(spectrogram, self.mel_matrix, axes=1)
        return 10.0 * tf.math.log(tf.maximum(mel, self.amin)) / np.log(10.0)

    def get_config(self):
        config = super().get_config()
        config.update(
            sample_rate=self.sample_rate,
            num_mel_bins=self.num_mel_bins,
            fmin=self.fmin,
            fmax=self.fmax,
            amin=self.amin,
        )
        return config
