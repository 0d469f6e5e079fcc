"""Classifying audio files with any classifier of the zoo (run, export or the judge)."""
import logging

import numpy as np

from gan_audio.data import readable_audio
from gan_audio.serving import SERVING_DEFAULT
from gan_audio.serving_tasks import require_task, tasks_of
from gan_audio.sources import open_source

logger = logging.getLogger("gan_audio")


def classifies(target):
    """Whether `target` declares the ``classify`` task (`gan_audio.serving_tasks`): its ``serving_default``
    takes a ``waveform`` and gives class ``probabilities`` (a WaveNet's, which also takes a waveform alone,
    scores its likelihood instead)."""
    return "classify" in tasks_of(target)


def check_classifier(target, source):
    """A clear error unless `target` classifies (``waveform`` → class ``probabilities``)."""
    require_task(target, "classify", source)


def predict_waveforms(target, waveforms, batch_size=64):
    """``(N, S)`` clips → ``(probabilities (N, K), embeddings (N, E) or None)``."""
    probabilities, embeddings = [], []
    for start in range(0, len(waveforms), batch_size):
        out = target.run_endpoint(SERVING_DEFAULT, waveform=np.asarray(waveforms[start:start + batch_size], "float32"))
        probabilities.append(out["probabilities"])
        embeddings.append(out.get("embedding"))
    return np.concatenate(probabilities), (None if embeddings[0] is None else np.concatenate(embeddings))


def classify_files(source, paths):
    """``[(path, label name, probability)]`` for each readable file.

    Any length, format and sample rate (resampled to the model's); a file
    that cannot be read is skipped with one warning naming it, and a file
    longer than the window a model classifies (its ``window_seconds``, e.g.
    the SGAN's centred 1 s) gets a warning that only that part is heard.

    Raises:
        ValueError: the source is not a classifier, or no file could be read.
    """
    target, class_names = open_source(source)
    check_classifier(target, source)
    metadata = target.serving_metadata()
    rate, window = metadata["sample_rate"], metadata.get("window_seconds")
    results = []
    for path, audio in readable_audio(paths, sample_rate=rate):
        if window and len(audio) > 1.05 * window * rate:
            logger.warning("%s: %.2f s; this classifier sees the centred %.2f s only (one word per file).",
                           path, len(audio) / rate, window)
        out = target.run_endpoint(SERVING_DEFAULT, waveform=audio[None])
        index = int(out["label"][0])
        name = class_names[index] if class_names else str(index)
        results.append((path, name, float(out["probabilities"][0, index])))
    return results
