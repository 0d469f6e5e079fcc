"""WaveNet conditions: the label (global) and log-mel frames (local), as one condition vector.

The condition ``c`` a `GatedResidualBlock` adds to its gates (``V c``) is
the concatenation of the label embedding ``h`` (when the model is
label-conditional) and, with local conditioning, the log-mel frame of the
sample being predicted, scaled to about [-1, 1]::

    c_i = [h, (mel_dB[⌊i / frame_step⌋] + MEL_OFFSET_DB) / MEL_SCALE_DB]

Audio sample ``i`` is conditioned on frame ``⌊i / frame_step⌋``, the frame
starting at or before it (frames are taken without centre padding: frame
``f`` covers samples ``f·frame_step … f·frame_step + frame_length - 1``);
frames past the last given one repeat it. Training, naive and fast
generation all index frames this way, so they agree.
"""
import tensorflow as tf

#: The log-mel's dB (floor -50) → about [-1, 1]: ``(dB + 25) / 25``.
MEL_OFFSET_DB, MEL_SCALE_DB = 25.0, 25.0


def frame_conditions(model, label=None, mel=None):
    """``(B, F, E)`` per-frame conditions (local), ``(B, 1, E)`` (label only) or None."""
    parts = []
    if model.conditional:
        parts.append(model.label_condition(label)[:, None, :])
    if model.local_conditioning:
        if mel is None:
            raise ValueError("This WaveNet is conditioned on log-mel frames: pass `mel` (B, frames, "
                             f"{model.num_mel_bins}) in dB.")
        mel = (tf.cast(mel, model.compute_dtype) + MEL_OFFSET_DB) / MEL_SCALE_DB
        if parts:
            parts[0] = tf.broadcast_to(parts[0], tf.concat([tf.shape(mel)[:2], tf.shape(parts[0])[2:]], 0))
        parts.append(mel)
    if not parts:
        return None
    return tf.concat([tf.cast(p, model.compute_dtype) for p in parts], axis=-1)


def sample_conditions(model, frames, start, length):
    """The conditions of audio samples ``start … start + length - 1``: ``(B, length, E)``
    (frame ``⌊i / frame_step⌋`` for sample ``i``, the last frame past the end), or `frames`
    itself when it is one vector per clip ``(B, 1, E)`` (or None)."""
    if frames is None or not model.local_conditioning:
        return frames
    index = (tf.range(length) + start) // model.frame_step
    return tf.gather(frames, tf.minimum(index, tf.shape(frames)[1] - 1), axis=1)


def mel_of(model, waveform):
    """The model's log-mel (dB) of waveforms ``(B, S)`` → ``(B, F, num_mel_bins)``,
    at least one frame (short audio is zero-padded to one frame)."""
    short = tf.maximum(model.mel_frame_length - tf.shape(waveform)[1], 0)
    return model.log_mel(tf.pad(waveform, [[0, 0], [0, short]]))
