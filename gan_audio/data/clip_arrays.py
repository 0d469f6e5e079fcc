"""Every clip of a source at once, as numpy arrays (for scripts and benchmarks that fit whole sets in memory).

Example:
    >>> x, y = clip_arrays("spoken_digits:test")
    >>> x.shape, y.shape
    ((180, 16000), (180,))
"""
import numpy as np

from gan_audio.data.pipelines import audio_dataset


def clip_arrays(source, sample_rate=16000, clip_seconds=1.0):
    """`(waveforms (N, S), labels (N,) or None)`: every clip of `source` (anything `audio_dataset` takes),
    centred to `clip_seconds`, in file order; labels are the folder labels' indices (None when unlabelled)."""
    waves = audio_dataset(source, sample_rate=sample_rate, clip_seconds=clip_seconds, batch_size=100,
                          shuffle=False, training=False)
    batches = list(waves.as_numpy_iterator())
    if waves.class_names is None:
        return np.concatenate(batches), None
    return np.concatenate([x for x, _ in batches]), np.concatenate([y for _, y in batches])
