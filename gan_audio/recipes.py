"""Data recipes: what each registered family trains on (see `gan_audio.registry`).

A recipe is ``recipe(model, data, batch_size, seed, labelled, adapt=True,
strict=False)`` → `TrainingData`.
"""
import collections
import logging
import os

import tensorflow as tf

from gan_audio.data import audio_dataset, find_audio_files

logger = logging.getLogger("gan_audio")
CACHE_LIMIT_BYTES = 512 * 2**20  # encoded audio; decoded float32 is a few times larger

#: What a recipe returns: an endless dataset for `fit`, the label vocabulary
#: (None when unlabelled), the batches in one pass over the files, and, for
#: models that transform audio rather than generate it, fixed
#: ``serving_default`` inputs the sample writer runs after each epoch.
TrainingData = collections.namedtuple(
    "TrainingData", ["dataset", "class_names", "steps_per_pass", "sample_inputs"], defaults=[None])


def fits_in_memory(data, limit=CACHE_LIMIT_BYTES):
    """Whether the decoded clips of `data` may be cached in RAM."""
    size = sum(os.path.getsize(p) for p in find_audio_files(data).paths)
    if size > limit:
        logger.info("Not caching decoded audio: %.0f MB of files is over %.0f MB.", size / 2**20, limit / 2**20)
    return size <= limit


def spectrogram_gan_dataset(model, data, batch_size=32, seed=0, labelled=False, adapt=True, strict=False):
    """Training data for a `SpectrogramGAN`: clips → normalised log-mels.

    Returns `TrainingData`: an endless dataset of features (or
    `(features, label)`), the label vocabulary, and the number of batches in
    one pass over the files. With `adapt`, the model's codec first learns
    its dB range from the data.
    """
    waves = audio_dataset(
        data,
        sample_rate=model.sample_rate,
        clip_seconds=model.clip_seconds,
        labels="inferred" if labelled else None,
        batch_size=batch_size,
        seed=seed,
        training=True,
        strict=strict,
        drop_remainder=True,
        cache=fits_in_memory(data),
    )
    if adapt:
        model.adapt(waves)
    steps = max(1, len(waves.files) // batch_size)
    features = waves.map(model.features, num_parallel_calls=tf.data.AUTOTUNE)
    return TrainingData(features.repeat().prefetch(tf.data.AUTOTUNE), waves.class_names, steps)
