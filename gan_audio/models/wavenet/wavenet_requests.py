"""Python-side checks of a WaveNet generation request (`fast_generate`, `naive_generate`), with one-line errors."""
import numbers

import numpy as np
import tensorflow as tf

from gan_audio.argument_checks import clip_labels, integer


def check_request(model, num_samples, num, label, temperature, seed, mel=None):
    """Python-side checks of a generation request; returns the labels ``(num,)`` int32 or None."""
    if model.local_conditioning:
        shape = np.shape(mel) if mel is not None else None
        if shape is None or len(shape) != 3 or shape[0] != num or shape[2] != model.num_mel_bins or shape[1] < 1:
            raise ValueError(f"This WaveNet is conditioned on log-mel frames: pass `mel` of shape ({num}, frames >= 1, "
                             f"{model.num_mel_bins}) in dB, got {shape}.")
    elif mel is not None:
        raise ValueError("This WaveNet has no local conditioning: it takes no `mel`.")
    integer("num_samples", num_samples), integer("num", num)
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or not 0 < temperature < np.inf:
        raise ValueError(f"`temperature` must be a finite number > 0 (small values approach argmax), "
                         f"got {temperature!r}.")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(f"`seed` must be an integer, got {seed!r}.")
    if not model.conditional:
        if label is not None:
            raise ValueError("This WaveNet is not label-conditional: it takes no label.")
        return None
    return clip_labels(label, num, model.num_classes, "This WaveNet")


def request_inputs(model, num, labels, mel):
    """The checked labels and frames as tensors: zeros for a model that takes none (the loops' signatures)."""
    labels = tf.constant(np.zeros([num], np.int32) if labels is None else labels)
    mel = np.zeros([num, 1, model.num_mel_bins], np.float32) if mel is None else mel
    return labels, tf.cast(mel, tf.float32)
