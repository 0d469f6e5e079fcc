"""In-graph (fast) Griffin-Lim inversion of log-mel spectrograms."""
import keras
import numpy as np
import tensorflow as tf

from gan_audio.features import _checks
from gan_audio.features.spectral import hann_window, mel_weight_matrix


@keras.saving.register_keras_serializable(package="gan_audio")
class GriffinLim(keras.layers.Layer):
    """Log-mel dB spectrogram ``(B, T, M)`` to waveform ``(B, (T-1) H + N)``.

    Maths:
      1. ``mel = 10^(dB / 10)`` (mel power).
      2. ``P = max(mel @ pinv(W), 0)`` with the HTK filterbank ``W``
         (``(K // 2 + 1, M)``, see ``LogMelSpectrogram``) and its
         Moore-Penrose pseudo-inverse precomputed (``tf.linalg.pinv``);
         ``A = P^(1 / power)`` is the target STFT magnitude.
      3. Fast Griffin-Lim (Perraudin, Balazs & Sondergaard, 2013) from zero
         phase, ``c_0 = t_0 = A``:
         ``c_n = A * exp(i angle(STFT(ISTFT(t_{n-1}))))``,
         ``t_n = c_n + momentum (c_n - c_{n-1})``; ``momentum = 0`` is plain
         Griffin-Lim (Griffin & Lim, 1984). ``ISTFT`` is ``tf.signal.inverse_stft``
         with ``inverse_stft_window_fn`` of the periodic Hann window, so
         ``ISTFT(STFT(x)) = x`` away from the first/last ``N - H`` samples.
      4. Output ``clip(ISTFT(c_iterations), -1, 1)``; the scale is kept (no
         peak normalisation).

    Everything runs in-graph with a ``tf.while_loop`` and is deterministic, so
    it works eagerly, in ``tf.function`` with unknown batch/time dims, in
    ``tf.data`` and in SavedModels. Leading axes other than ``(T, M)`` are kept.

    Args:
        sample_rate (int): Sampling rate in Hz. Defaults to 16000.
        frame_length (int): Window length ``N``. Defaults to 1024.
        frame_step (int): Hop ``H <= N``. Defaults to 256.
        fft_length (int | None): FFT size; ``None`` means ``frame_length``.
        num_mel_bins (int): Number of mel bands ``M``. Defaults to 64.
        fmin (float): Lowest band edge in Hz. Defaults to 0.0.
        fmax (float | None): Highest band edge in Hz; ``None`` is Nyquist.
        power (float): Exponent the magnitude had before the filterbank.
            Defaults to 2.0.
        iterations (int): Griffin-Lim iterations (>= 0). Defaults to 32.
        momentum (float): Fast Griffin-Lim momentum in ``[0, 1)``.
            Defaults to 0.99.
        **kwargs: Base ``keras.layers.Layer`` arguments.

    Example:
        >>> gl = GriffinLim(frame_length=256, frame_step=64, num_mel_bins=16, iterations=4)
        >>> tuple(gl(tf.fill([2, 13, 16], -20.0)).shape)
        (2, 1024)
    """

    def __init__(self, sample_rate=16000, frame_length=1024, frame_step=256,
                 fft_length=None, num_mel_bins=64, fmin=0.0, fmax=None,
                 power=2.0, iterations=32, momentum=0.99, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.sample_rate = _checks.positive_int("sample_rate", sample_rate)
        self.frame_length = _checks.positive_int("frame_length", frame_length)
        self.frame_step = _checks.positive_int("frame_step", frame_step)
        if self.frame_step > self.frame_length:
            raise ValueError(
                f"`frame_step` ({frame_step}) must be <= `frame_length` "
                f"({frame_length}) for the inverse STFT."
            )
        self.fft_length = _checks.fft_length_for(fft_length, self.frame_length)
        self.num_mel_bins = _checks.positive_int("num_mel_bins", num_mel_bins)
        self.fmin, self.fmax = _checks.mel_band(self.sample_rate, fmin, fmax)
        self.power = _checks.positive_float("power", power)
        if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) \
                or iterations < 0:
            raise ValueError(f"`iterations` must be an integer >= 0, got {iterations!r}.")
        self.iterations = int(iterations)
        if not 0.0 <= float(momentum) < 1.0:
            raise ValueError(f"`momentum` must be in [0, 1), got {momentum!r}.")
        self.momentum = float(momentum)
        matrix = mel_weight_matrix(self.sample_rate, self.fft_length,
                                   self.num_mel_bins, self.fmin, self.fmax)
        with tf.init_scope():
            pinv = tf.linalg.pinv(tf.constant(matrix, tf.float64))
            self._mel_pinv = pinv.numpy().astype(np.float32)  # (M, K // 2 + 1)
        self.built = True

    def num_samples(self, num_frames):
        """Output length for ``num_frames`` frames: ``(T - 1) H + N``."""
        return (num_frames - 1) * self.frame_step + self.frame_length

    def _stft(self, waveform):
        return tf.signal.stft(waveform, self.frame_length, self.frame_step,
                              self.fft_length, window_fn=hann_window, pad_end=False)

    def _istft(self, stft):
        window_fn = tf.signal.inverse_stft_window_fn(self.frame_step, hann_window)
        return tf.signal.inverse_stft(stft, self.frame_length, self.frame_step,
                                      self.fft_length, window_fn=window_fn)

    def magnitude_from_db(self, log_mel):
        """Steps 1-2: dB ``(..., T, M)`` to STFT magnitude ``(..., T, K // 2 + 1)``."""
        mel_power = tf.pow(10.0, _checks.as_float32(log_mel) / 10.0)
        linear = tf.nn.relu(tf.tensordot(mel_power, tf.constant(self._mel_pinv), axes=1))
        if self.power == 1.0:
            return linear
        return tf.pow(linear, 1.0 / self.power)

    def reconstruct(self, magnitude):
        """Steps 3-4: STFT magnitude ``(..., T, K // 2 + 1)`` to waveform."""
        magnitude = _checks.as_float32(magnitude)
        if magnitude.shape.rank is not None and magnitude.shape.rank < 2:
            raise ValueError("`magnitude` must have shape (..., frames, bins).")
        target = tf.complex(magnitude, tf.zeros_like(magnitude))
        momentum = tf.constant(self.momentum, tf.complex64)

        def project(spectrum):
            rebuilt = self._stft(self._istft(spectrum))
            norm = tf.maximum(tf.abs(rebuilt), 1e-12)
            return target * (rebuilt / tf.complex(norm, tf.zeros_like(norm)))

        def body(step, accelerated, previous):
            current = project(accelerated)
            accelerated = current + momentum * (current - previous)
            return step + 1, accelerated, current

        _, _, final = tf.while_loop(
            lambda step, *_: step < self.iterations,
            body,
            (tf.constant(0), target, target),
        )
        return tf.clip_by_value(self._istft(final), -1.0, 1.0)

    def call(self, log_mel):
        return self.reconstruct(self.magnitude_from_db(log_mel))

    def get_config(self):
        config = super().get_config()
        config.update(
            sample_rate=self.sample_rate,
            frame_length=self.frame_length,
            frame_step=self.frame_step,
            fft_length=self.fft_length,
            num_mel_bins=self.num_mel_bins,
            fmin=self.fmin,
            fmax=self.fmax,
            power=self.power,
            iterations=self.iterations,
            momentum=self.momentum,
        )
        return config
