"""Audio feature layers (TensorFlow ops, Keras 3 layers, usable in ``tf.data``).

* ``Spectrogram``, ``LogMelSpectrogram``, ``mel_weight_matrix`` (``spectral``)
* ``MinMaxNormalization``, ``PeakNormalization`` (``normalization``)
* ``MuLawEncoding``, ``MuLawDecoding`` (``mulaw``)
* ``GriffinLim`` (``griffin_lim``)
* ``LogMelCodec`` (``codec``)
* ``WordAlignment`` (``alignment``)
"""
from gan_audio.features.alignment import WordAlignment
from gan_audio.features.codec import LogMelCodec, get_codec
from gan_audio.features.griffin_lim import GriffinLim
from gan_audio.features.mulaw import MuLawDecoding, MuLawEncoding
from gan_audio.features.normalization import MinMaxNormalization, PeakNormalization
from gan_audio.features.spectral import (
    LogMelSpectrogram,
    Spectrogram,
    hann_window,
    mel_weight_matrix,
)

__all__ = [
    "GriffinLim",
    "LogMelCodec",
    "get_codec",
    "LogMelSpectrogram",
    "MinMaxNormalization",
    "PeakNormalization",
    "MuLawDecoding",
    "MuLawEncoding",
    "Spectrogram",
    "WordAlignment",
    "hann_window",
    "mel_weight_matrix",
]
