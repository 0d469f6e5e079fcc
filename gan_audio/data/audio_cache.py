"""Decoded audio saved on disk once and reused: a later run on the same files starts at once.

`saved_clips(files, sample_rate, cache_dir)` decodes and resamples every file
(in parallel, on every core), stores the clips as int16 in a
``tf.data.Dataset.save`` folder under `cache_dir`, and reads them back as
float32 clips of their own lengths. The folder is named by a key of the files
(paths, sizes, modification times), their labels and the rate: change a file
and the next run builds a new cache. It is written to a temporary folder and
renamed when complete, so an interrupted first run leaves nothing a later run
would trust. Files `load_audio` cannot use are skipped, each named in a warning.

The clips are stored in a random order (fixed when the cache is built) in
`NUM_SHARDS` shards; a run reads the shards in a seeded random order, each
iteration another, through a shuffle buffer of `SHUFFLE_BUFFER` clips, so
memory stays flat however many files there are.

Example:
    >>> import tempfile
    >>> from gan_audio.data import find_audio_files
    >>> files = find_audio_files("spoken_digits:test")
    >>> ds = saved_clips(files, 16000, tempfile.mkdtemp())
    >>> clip, label = next(iter(ds))
    >>> clip.dtype.name, label.dtype.name, len(os.listdir(cache_folder(files, 16000, ds.cache_dir)))
    ('float32', 'int32', 2)
"""
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time

import numpy as np
import tensorflow as tf

from gan_audio.data.audio_io import load_audio
from gan_audio.data.errors import AudioFileError

logger = logging.getLogger("gan_audio")
FORMAT_VERSION = 1
NUM_SHARDS = 16
SHUFFLE_BUFFER = 4096
_COMPLETE = "complete.json"
_INT16 = 32767.0


def cache_key(files, sample_rate):
    """A hex key of the files' paths, sizes and modification times, their labels and the rate."""
    digest = hashlib.sha256(json.dumps([FORMAT_VERSION, int(sample_rate), files.labels, files.class_names])
                            .encode())
    for path in files.paths:
        stat = os.stat(path)
        digest.update(f"{os.path.abspath(path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:20]


def cache_folder(files, sample_rate, cache_dir):
    """The folder under `cache_dir` that holds (or will hold) the decoded clips of `files` at `sample_rate`."""
    return os.path.join(os.fspath(cache_dir), f"{int(sample_rate)}hz_{len(files)}files_{cache_key(files, sample_rate)}")


class _Progress:
    """Counts decoded clips across tf.data's threads and logs about every tenth of the files."""

    def __init__(self, total):
        self.total, self.done, self.kept, self.samples = total, 0, 0, 0
        self.lock, self.start = threading.Lock(), time.perf_counter()
        self.next_log = max(1000, total // 10)  # quiet for small sets

    def add(self, samples):
        with self.lock:
            self.done += 1
            self.kept += samples > 0
            self.samples += samples
            if self.done >= self.next_log and self.done < self.total:
                self.next_log += max(1000, self.total // 10)
                logger.info("Decoded %d of %d files (%.0f files/s).", self.done, self.total,
                            self.done / (time.perf_counter() - self.start))


def _remove_abandoned(parent):
    """Removes the staging folders of builds whose process is gone (killed before it could clean up)."""
    for name in os.listdir(parent) if os.path.isdir(parent) else ():
        pid = name.split("_")[1] if name.startswith(".building_") and name.count("_") >= 2 else ""
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}") and os.path.exists("/proc/self"):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def _build(files, sample_rate, folder):
    """Decodes `files` into `folder` (via a temporary folder beside it); returns its summary."""
    labelled = files.labels is not None
    order = np.random.default_rng(0).permutation(len(files))  # stored in a random order: class folders mix
    progress = _Progress(len(files))

    failures = []  # Dataset.save hangs when its pipeline raises (TF 2.21): errors are kept and raised after it

    def decode_np(path):
        if failures:
            return np.zeros(0, np.int16)
        try:
            audio = load_audio(path.decode("utf-8"), sample_rate=sample_rate)
        except AudioFileError as error:
            logger.warning("skipping %s", error)
            progress.add(0)
            return np.zeros(0, np.int16)
        except Exception as error:  # noqa: BLE001 (raised below, once save has returned)
            failures.append(error)
            return np.zeros(0, np.int16)
        progress.add(len(audio))
        return np.round(np.clip(audio, -1.0, 1.0) * _INT16).astype(np.int16)

    columns = (np.asarray(files.paths)[order], np.arange(len(files), dtype=np.int64))
    columns += (np.asarray(files.labels, np.int32)[order],) if labelled else ()
    ds = tf.data.Dataset.from_tensor_slices(columns)
    ds = ds.map(lambda p, i, *y: (tf.reshape(tf.numpy_function(decode_np, [p], tf.int16, stateful=False), [-1]),
                                  i) + y, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    ds = ds.filter(lambda clip, i, *y: tf.size(clip) > 0)
    parent = os.path.dirname(folder)
    os.makedirs(parent, exist_ok=True)
    _remove_abandoned(parent)
    staging = tempfile.mkdtemp(prefix=f".building_{os.getpid()}_", dir=parent)
    logger.info("Saving the decoded audio of %d files from %s in %s (once; later runs reuse it).",
                len(files), files.source, folder)
    try:
        ds.save(os.path.join(staging, "clips"), shard_func=lambda clip, i, *y: i % NUM_SHARDS)
        if failures:
            raise failures[0]
        if not progress.kept:
            raise AudioFileError(files.source, f"none of the {len(files)} files is usable audio")
        summary = {"clips": progress.kept, "skipped": len(files) - progress.kept, "sample_rate": int(sample_rate),
                   "seconds": progress.samples / sample_rate, "source": files.source,
                   "build_seconds": round(time.perf_counter() - progress.start, 1), "format": FORMAT_VERSION}
        with open(os.path.join(staging, _COMPLETE), "w") as f:
            json.dump(summary, f, indent=1)
        try:
            os.replace(staging, folder)
        except OSError:  # another process finished the same cache first: keep theirs
            if not os.path.exists(os.path.join(folder, _COMPLETE)):
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info("Saved %d clips (%.1f minutes; %d files skipped) in %.0f s.", summary["clips"],
                summary["seconds"] / 60, summary["skipped"], summary["build_seconds"])
    return summary


def saved_clips(files, sample_rate, cache_dir, seed=0, shuffle=True):
    """The decoded clips of `files` at `sample_rate` from the cache in `cache_dir`, built first when missing.

    Args:
        files: checked :class:`~gan_audio.data.file_lists.AudioFiles`.
        sample_rate: the clips' rate (Hz); other rates are resampled with soxr when the cache is built.
        cache_dir: the folder holding caches (one sub-folder per files-and-rate key).
        seed: the order of the shards and of the shuffle buffer.
        shuffle: False reads the clips in their stored order (random, but the same every iteration).

    Returns:
        A dataset of float32 clips ``(samples,)``, or ``(clip, int32 label)`` when `files` are labelled;
        its ``cache_dir`` and ``summary`` (clips, skipped files, seconds) attributes say what it read.
    """
    folder = cache_folder(files, sample_rate, cache_dir)
    complete = os.path.join(folder, _COMPLETE)
    if os.path.exists(complete):
        with open(complete) as f:
            summary = json.load(f)
        logger.info("Reading %d decoded clips from %s.", summary["clips"], folder)
    else:
        summary = _build(files, sample_rate, folder)

    def reader(shards):
        shards = shards.shuffle(NUM_SHARDS, seed=seed, reshuffle_each_iteration=True) if shuffle else shards
        return shards.interleave(lambda shard: shard, cycle_length=NUM_SHARDS, num_parallel_calls=tf.data.AUTOTUNE,
                                 deterministic=True)

    ds = tf.data.Dataset.load(os.path.join(folder, "clips"), reader_func=reader)
    ds = ds.map(lambda clip, i, *y: (tf.cast(clip, tf.float32) / _INT16,) + tuple(y),
                num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    if shuffle:
        ds = ds.shuffle(min(SHUFFLE_BUFFER, summary["clips"]), seed=seed, reshuffle_each_iteration=True)
    ds.cache_dir, ds.summary = os.fspath(cache_dir), summary
    return ds
