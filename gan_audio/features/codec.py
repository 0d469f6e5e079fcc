"""Waveform <-> normalised log-mel codec for GANs that work on log-mels."""
import keras
import tensorflow as tf

from gan_audio.features.griffin_lim import GriffinLim
from gan_audio.features.normalization import MinMaxNormalization
from gan_audio.features.spectral import LogMelSpectrogram


@keras.saving.register_keras_serializable(package="gan_audio")
class LogMelCodec(keras.layers.Layer):
    """Encodes waveforms to log-mels in ``[-1, 1]`` and decodes them back.

    Maths: ``encode(x) = clip(2 (L(x) - low) / (high - low) - 1, -1, 1)``
    where ``L`` is ``LogMelSpectrogram`` (power 2, ``amin = 1e-5``, so dB
    ``>= -50``); ``to_db(y) = (y + 1) / 2 (high - low) + low``;
    ``decode(y) = GriffinLim(to_db(y))``. ``call`` is ``encode``.
    ``adapt`` sets ``low``/``high`` to the 0.5 % / 99.5 % percentiles of the
    log-mels of a data set (see ``MinMaxNormalization.adapt``); the config is
    flat and reports the adapted ``low``/``high``, and they are also weights,
    so a model holding the codec saves and reloads with the same numbers.

    Shapes: ``encode: (B, S) -> (B, T, M)`` with ``T = 1 + (S - N) // H``;
    ``decode: (B, T, M) -> (B, (T - 1) H + N)``.

    Args:
        sample_rate (int): Sampling rate in Hz. Defaults to 16000.
        frame_length (int): Window length ``N``. Defaults to 1024.
        frame_step (int): Hop ``H``. Defaults to 256.
        fft_length (int | None): FFT size; ``None`` means ``frame_length``.
        num_mel_bins (int): Number of mel bands ``M``. Defaults to 64.
        fmin (float): Lowest band edge in Hz. Defaults to 0.0.
        fmax (float | None): Highest band edge in Hz; ``None`` is Nyquist.
        low (float): dB value mapped to -1. Defaults to -50.0.
        high (float): dB value mapped to +1. Defaults to 50.0.
        griffin_lim_iterations (int): Iterations of ``decode``. Defaults to 32.
        **kwargs: Base ``keras.layers.Layer`` arguments.

    Example:
        >>> codec = LogMelCodec(frame_length=256, frame_step=64, num_mel_bins=16,
        ...                     griffin_lim_iterations=2)
        >>> features = codec.encode(tf.random.stateless_normal([2, 1024], seed=[1, 2]) * 0.1)
        >>> tuple(features.shape), codec.num_frames(1024)
        ((2, 13, 16), 13)
        >>> tuple(codec.decode(features).shape)
        (2, 1024)
    """

    #: The analysis settings shared by the log-mel layer and Griffin-Lim.
    ANALYSIS_KEYS = ("sample_rate", "frame_length", "frame_step", "fft_length", "num_mel_bins", "fmin", "fmax")

    def __init__(self, sample_rate=16000, frame_length=1024, frame_step=256,
                 fft_length=None, num_mel_bins=64, fmin=0.0, fmax=None,
                 low=-50.0, high=50.0, griffin_lim_iterations=32, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        analysis = dict(zip(self.ANALYSIS_KEYS, (sample_rate, frame_length, frame_step, fft_length,
                                                 num_mel_bins, fmin, fmax)))
        self.log_mel = LogMelSpectrogram(**analysis, name="log_mel")
        self.normalizer = MinMaxNormalization(low=low, high=high, name="normalizer")
        self.griffin_lim = GriffinLim(**analysis, iterations=griffin_lim_iterations, name="griffin_lim")
        self.built = True

    @property
    def sample_rate(self):
        return self.log_mel.sample_rate

    @property
    def frame_length(self):
        return self.log_mel.frame_length

    @property
    def frame_step(self):
        return self.log_mel.frame_step

    @property
    def num_mel_bins(self):
        return self.log_mel.num_mel_bins

    def num_frames(self, num_samples):
        """Frames ``T = 1 + (S - N) // H`` encoded from ``num_samples`` samples."""
        return self.log_mel.num_frames(num_samples)

    def num_samples(self, num_frames):
        """Samples ``(T - 1) H + N`` decoded from ``num_frames`` frames."""
        return self.griffin_lim.num_samples(num_frames)

    def encode(self, waveform):
        """Waveform ``(..., S)`` to normalised log-mel ``(..., T, M)`` in [-1, 1]."""
        return self.normalizer(self.log_mel(waveform))

    def to_db(self, normalized):
        """Normalised log-mel to dB (``[-1, 1] -> [low, high]``)."""
        return self.normalizer.invert(normalized)

    def decode(self, normalized):
        """Normalised log-mel ``(..., T, M)`` to waveform via Griffin-Lim."""
        return self.griffin_lim(self.to_db(normalized))

    def call(self, waveform):
        return self.encode(waveform)

    def adapt(self, data, quantiles=(0.5, 99.5), max_values=1_000_000, steps=None):
        """Sets ``low``/``high`` from the log-mels of ``data``.

        Args:
            data: A ``tf.data.Dataset`` of waveforms or ``(waveform, label)``
                tuples (batched or not), or a waveform array ``(B, S)``.
            quantiles, max_values, steps: As ``MinMaxNormalization.adapt``.
        """
        if isinstance(data, tf.data.Dataset):
            features = data.map(lambda *element: self.log_mel(element[0]))
        else:
            if isinstance(data, (tuple, list)):
                data = data[0]
            features = tf.data.Dataset.from_tensor_slices(
                tf.convert_to_tensor(data, tf.float32)).batch(64).map(self.log_mel)
        self.normalizer.adapt(features, quantiles=quantiles,
                              max_values=max_values, steps=steps)

    def get_config(self):
        config = super().get_config()
        config.update({key: getattr(self.log_mel, key) for key in self.ANALYSIS_KEYS})
        config.update(low=self.normalizer.low, high=self.normalizer.high,
                      griffin_lim_iterations=self.griffin_lim.iterations)
        return config


def get_codec(codec=None):
    """A `LogMelCodec` from an instance, a dict of its keywords, its serialised
    config (``{"class_name": ..., "config": ...}``), or None (the default)."""
    if codec is None:
        return LogMelCodec()
    if isinstance(codec, LogMelCodec):
        return codec
    if isinstance(codec, dict) and "class_name" in codec:
        codec = keras.saving.deserialize_keras_object(codec)
        if isinstance(codec, LogMelCodec):
            return codec
    elif isinstance(codec, dict):
        return LogMelCodec(**codec)
    raise TypeError(f"`codec` must be a LogMelCodec, a dict of its keywords or None, got {type(codec).__name__}.")
