"""A pitch-excited LPC WaveNet (``pitch_source=True``): a pulse train tells the WaveNet where pulses go.

The LPC WaveNet (`wavenet_lpc`) draws the excitation sample by sample, and voiced speech's excitation is a
train of glottal pulses one pitch period apart. Left to find the period in the log-mel, a small WaveNet
trained for minutes draws noise instead. So each sample also gets a two-channel *source*, added to the
input embedding (``source_embedding``, zeros at first, so a model warm-started from one without it starts
as that model):

- ``pulses · voicing``: during training, 1 at the recording's own pitch marks (its LPC residual's largest
  peak within half a period, `pitch_marks`); when generating, a pulse train free-running at the period the
  log-mel gives (`pulse_train`), so the WaveNet places pulses where the train does;
- ``voicing``: from the log-mel's autocorrelation (`gan_audio.features.pitch`), the same in both.

Both are computed from the log-mel (and in training the recording), never passed by a caller, so the
endpoints and the CLI are those of every vocoder.
"""
import tensorflow as tf

from gan_audio.features.lpc import lpc_residual, per_sample
from gan_audio.features.pitch import pitch_from_log_mel, pitch_marks, pulse_train, voicing
from gan_audio.models.wavenet.wavenet_lpc import frame_filters, pseudo_inverse

#: Channels of the per-sample source: pulses times voicing, and voicing.
SOURCE_CHANNELS = 2


def pitch_settings(pitch_source, lpc_order):
    """A WaveNet's checked ``pitch_source``: it excites an LPC WaveNet (``lpc_order > 0``)."""
    if not isinstance(pitch_source, bool):
        raise ValueError(f"`pitch_source` must be True or False, got {pitch_source!r}.")
    if pitch_source and not lpc_order:
        raise ValueError("`pitch_source=True` needs `lpc_order` > 0: the pulses mark the LPC excitation.")
    return pitch_source


def _frames_per_sample(model, frames, num_samples):
    return per_sample(frames[..., None], num_samples, model.frame_step, model.mel_frame_length)[..., 0]


def excitation_source(model, mel, num_samples, waveform=None):
    """The per-sample source ``(B, num_samples, SOURCE_CHANNELS)`` of log-mel frames `mel` ``(B, F, M)`` dB:
    at `waveform`'s pitch marks (training and scoring), or a free-running pulse train (generation)."""
    lag, correlation = pitch_from_log_mel(mel, pseudo_inverse(model), model.sample_rate)
    lag = _frames_per_sample(model, lag, num_samples)
    voiced = _frames_per_sample(model, voicing(correlation), num_samples)
    if waveform is None:
        pulses = pulse_train(lag)
    else:
        a, _ = frame_filters(model, mel)
        residual = lpc_residual(waveform, per_sample(a, num_samples, model.frame_step, model.mel_frame_length))
        pulses = pitch_marks(residual, lag, model.sample_rate)
    return tf.stack([pulses * voiced, voiced], axis=-1)


def source_term(model, source):
    """What the source adds to the input embedding: ``(..., SOURCE_CHANNELS)`` → ``(..., residual_channels)``."""
    return model.source_embedding(tf.cast(source, model.compute_dtype))
