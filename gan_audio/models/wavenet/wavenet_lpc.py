"""A WaveNet of the LPC residual (``lpc_order > 0``, LPCNet's split): its codes are the excitation's.

The log-mel frames' envelope becomes an all-pole filter and their level the excitation's standard
deviation ``σ`` (`gan_audio.features.lpc`). The WaveNet models the μ-law codes of the prediction residual
``e = A(z) x`` divided by ``EXCITATION_SCALE · σ`` (so its codes spread alike in loud and quiet frames,
and a silent start does not pull every draw to the middle code); its audio is the decoded residual times
``EXCITATION_SCALE · σ`` through ``1 / A(z)``. Training, scoring and every generation path encode and
decode here, so they agree.
"""
import weakref

import tensorflow as tf

from gan_audio.argument_checks import integer
from gan_audio.features.lpc import framed_synthesis, lpc_from_log_mel, lpc_residual, mel_pseudo_inverse, per_sample
from gan_audio.features.spectral import mel_weight_matrix

#: The residual is coded in units of this many standard deviations (99.9 % of speech's fall within 4.3).
EXCITATION_SCALE = 8.0

_PSEUDO_INVERSES = weakref.WeakKeyDictionary()  # model -> its filterbank's pseudo-inverse (a tf.Variable)


def lpc_settings(lpc_order, dither, local_conditioning):
    """A WaveNet's checked ``(lpc_order, dither)``: an LPC WaveNet needs log-mel frames for its filters."""
    lpc_order = integer("lpc_order", lpc_order, 0)
    if lpc_order and not local_conditioning:
        raise ValueError("`lpc_order` > 0 needs `local_conditioning=True`: the predictor comes from the log-mel.")
    if not float(dither) >= 0:
        raise ValueError(f"`dither` must be >= 0, got {dither!r}.")
    return lpc_order, float(dither)


def pseudo_inverse(model):
    """The model's mel filterbank pseudo-inverse as one non-trainable variable, made once: every endpoint
    captures the same variable, so an export writes its 131 kB once instead of a constant per graph
    (it is not among `model.weights`: runs' checkpoints stay as they were)."""
    if model not in _PSEUDO_INVERSES:
        analysis = model.log_mel
        matrix = mel_weight_matrix(model.sample_rate, analysis.fft_length, model.num_mel_bins, analysis.fmin,
                                   analysis.fmax)
        with tf.init_scope():
            _PSEUDO_INVERSES[model] = tf.Variable(mel_pseudo_inverse(matrix), trainable=False, name="lpc_mel_pinv")
    return _PSEUDO_INVERSES[model]


def frame_filters(model, mel):
    """Log-mel frames ``(B, F, M)`` dB → each frame's predictor ``(B, F, lpc_order)`` and residual scale
    ``EXCITATION_SCALE · σ`` ``(B, F)``."""
    a, variance = lpc_from_log_mel(mel, pseudo_inverse(model), model.lpc_order, model.sample_rate)
    return a, EXCITATION_SCALE * tf.sqrt(variance) + 1e-6


def _per_sample(model, frames, num_samples):
    return per_sample(frames, num_samples, model.frame_step, model.mel_frame_length)


def encode_residual(model, waveform, mel):
    """Waveforms ``(B, S)`` and their log-mel → the scaled residual's μ-law codes ``(B, S)``."""
    waveform = tf.convert_to_tensor(waveform, tf.float32)
    a, scale = frame_filters(model, mel)
    length = tf.shape(waveform)[1]
    return model.encoder(lpc_residual(waveform, _per_sample(model, a, length)) / _per_sample(model, scale, length))


def decode_residual(model, codes, mel):
    """Residual codes ``(B, S)`` → audio ``(B, S)`` in [-1, 1] by the frames' all-pole filter."""
    if mel is None:
        raise ValueError("This WaveNet codes the LPC residual: decoding needs the log-mel frames (`mel`).")
    a, scale = frame_filters(model, mel)
    excitation = model.decoder(codes) * _per_sample(model, scale, tf.shape(codes)[1])
    return tf.clip_by_value(framed_synthesis(excitation, a, model.frame_step, model.mel_frame_length), -1.0, 1.0)
