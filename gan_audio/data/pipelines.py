"""The tf.data input pipeline for audio: files -> fixed-length waveform batches.

Files are found and checked up front (:func:`~gan_audio.data.audio_io.validate_audio_files`:
decoded, or above 20,000 files only their headers, and then a file whose audio is unusable is
skipped, named in a warning, when it is read). 16-bit PCM WAV files at the target rate are decoded
in-graph with ``tf.audio.decode_wav`` (decode-checked sets only); everything else goes through
soundfile + soxr inside ``tf.numpy_function``.

Example:
    >>> from gan_audio.data import audio_dataset
    >>> ds = audio_dataset("spoken_digits", batch_size=8)
    >>> wave, label = next(iter(ds))
    >>> wave.shape, label.dtype.name, len(ds.class_names)
    (TensorShape([8, 16000]), 'int32', 10)
"""
import logging
import os

import numpy as np
import tensorflow as tf

from gan_audio.data.audio_io import find_audio_files, load_audio, validate_audio_files
from gan_audio.data.errors import AudioFileError

AUTOTUNE = tf.data.AUTOTUNE
logger = logging.getLogger("gan_audio")


def _check_args(sample_rate, clip_seconds, batch_size):
    if not isinstance(sample_rate, (int, np.integer)) or sample_rate <= 0:
        raise ValueError(f"sample_rate must be a positive int (Hz), got {sample_rate!r}")
    if not clip_seconds or clip_seconds <= 0:
        raise ValueError(f"clip_seconds must be > 0, got {clip_seconds!r}")
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer))
                                   or batch_size <= 0):
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")


def _decode_np(path, sample_rate, skip_bad=False):
    """Decode one checked file (soundfile, or FFmpeg for G.722, AAC, ...; + soxr) to mono float32. With
    `skip_bad` (files whose headers only were checked) an unusable one gives None and a warning naming it."""
    try:
        return load_audio(path, sample_rate=sample_rate)
    except AudioFileError as error:
        if not skip_bad:
            raise
        logger.warning("skipping %s", error)
        return None


def _fit_np(audio, num_samples, seed):
    """numpy twin of :func:`fit_length` (same pad/crop positions)."""
    if len(audio) <= num_samples:
        out = np.zeros(num_samples, np.float32)
        left = (num_samples - len(audio)) // 2
        out[left:left + len(audio)] = audio
        return out
    excess = len(audio) - num_samples
    start = excess // 2 if seed is None else int(seed) % (excess + 1)
    return audio[start:start + num_samples]


def _decode_wav(path):
    audio, _ = tf.audio.decode_wav(tf.io.read_file(path))
    return tf.reduce_mean(audio, axis=1)


def fit_length(audio, num_samples, offset_seed=None):
    """Pad (zeros, centred) or crop a 1-D waveform to exactly ``num_samples``.

    Args:
        audio: float tensor ``(samples,)``.
        num_samples: output length.
        offset_seed: int64 scalar: random crop starting at ``offset_seed mod (excess + 1)``;
            None for a centre crop.

    Example:
        >>> fit_length(tf.range(5.0), 3).numpy().tolist()
        [1.0, 2.0, 3.0]
        >>> fit_length(tf.range(5.0), 3, offset_seed=tf.constant(-1, tf.int64)).numpy().tolist()
        [2.0, 3.0, 4.0]
        >>> fit_length(tf.ones(2), 4).numpy().tolist()
        [0.0, 1.0, 1.0, 0.0]
    """
    length = tf.shape(audio)[0]
    pad = tf.maximum(num_samples - length, 0)
    audio = tf.pad(audio, [[pad // 2, pad - pad // 2]])
    excess = tf.shape(audio)[0] - num_samples
    if offset_seed is None:
        start = excess // 2
    else:
        start = tf.cast(tf.math.floormod(tf.cast(offset_seed, tf.int64),
                                         tf.cast(excess + 1, tf.int64)), tf.int32)
    return tf.ensure_shape(audio[start:start + num_samples], [num_samples])


def _batch_decoder(sample_rate, num_samples, random_crop, in_graph_any, skip_bad=False):
    """``(seeds, paths, flags) -> ((B, num_samples), usable (B,))``: one numpy call per batch for the
    soundfile files (little per-file overhead), in-graph decoding for flagged WAVs; `usable` is False
    for a file skipped as unusable (`skip_bad`)."""

    def decode_np(seeds, paths, flags):
        out = np.zeros((len(paths), num_samples), np.float32)
        usable = np.ones(len(paths), bool)
        for i, (path, skip) in enumerate(zip(paths, flags)):
            if not skip:
                audio = _decode_np(path.decode("utf-8"), sample_rate, skip_bad)
                if audio is None:
                    usable[i] = False
                    continue
                out[i] = _fit_np(audio, num_samples, seeds[i] if random_crop else None)
        return out, usable

    def decode(seeds, paths, flags):
        clips, usable = tf.numpy_function(decode_np, [seeds, paths, flags], (tf.float32, tf.bool),
                                          stateful=False)
        clips = tf.ensure_shape(clips, [None, num_samples])
        usable = tf.ensure_shape(usable, [None])
        if in_graph_any:
            idx = tf.where(flags)[:, 0]
            wavs = tf.map_fn(
                lambda a: fit_length(_decode_wav(a[0]), num_samples, a[1] if random_crop else None),
                (tf.gather(paths, idx), tf.gather(seeds, idx)),
                fn_output_signature=tf.TensorSpec([num_samples], tf.float32))
            clips = tf.tensor_scatter_nd_update(clips, idx[:, None], wavs)
        return clips, usable

    return decode


def _usable(clip, usable, *labels):
    return usable


def _element_decoder(sample_rate, skip_bad=False):
    """``(path, flag) -> (samples,)`` per file, for the cached (uncropped) pipeline; an unusable file
    (`skip_bad`) gives no samples."""

    def decode_np(path):
        audio = _decode_np(path.decode("utf-8"), sample_rate, skip_bad)
        return np.zeros(0, np.float32) if audio is None else audio

    def decode(path, flag):
        def other():
            audio = tf.numpy_function(decode_np, [path], tf.float32, stateful=False)
            return tf.reshape(audio, [-1])

        return tf.cond(flag, lambda: _decode_wav(path), other)

    return decode


def audio_dataset(source, sample_rate=16000, clip_seconds=1.0, labels="inferred",
                  batch_size=32, shuffle=True, seed=0, cache=False, features=None,
                  training=True, strict=False, drop_remainder=False, repeat=False, check="auto"):
    """Build a ``tf.data.Dataset`` of fixed-length waveform batches.

    Args:
        source: folder (sub-folder per label or flat), glob, list of files, or a
            bundled name such as ``"spoken_digits"`` (see ``find_audio_files``).
        sample_rate: output rate in Hz; other rates are resampled with soxr.
        clip_seconds: clip length; ``samples = round(sample_rate * clip_seconds)``.
        labels: ``"inferred"``, None (unlabelled) or a list, as in ``find_audio_files``.
        batch_size: batch size, or None for unbatched clips.
        shuffle: shuffle the files (reshuffled every iteration, seeded).
        seed: seed for shuffling and random crops: the same seed (and the same
            TensorFlow global seed, if one is set) gives the same batches.
        cache: True keeps decoded (resampled, uncropped) audio in memory after the
            first pass; a folder saves it there (`gan_audio.data.audio_cache`: int16, written
            once, atomically, and reused by every later run on the same files and rate).
            Random crops still differ per epoch.
        features: optional callable / Keras layer mapping a waveform batch
            ``(B, S)`` to features, applied after batching.
        training: random crops if True, centre crops if False. Short clips are
            zero-padded, centred, in both cases.
        strict: raise :class:`AudioFileError` on the first bad file instead of
            skipping it with a warning.
        drop_remainder: drop the last smaller batch.
        repeat: repeat forever.
        check: how the files are checked up front (`validate_audio_files`): ``"auto"``
            decodes up to 20,000 files and reads only the headers of more; with headers
            only, a file whose audio is unusable is skipped, named in a warning, when read.

    Returns:
        A dataset yielding ``waveform`` float32 ``(batch, samples)`` or
        ``(waveform, label)`` with int32 labels ``(batch,)``. It has attributes
        ``class_names`` (list of str, None when unlabelled) and ``files``
        (the validated :class:`~gan_audio.data.audio_io.AudioFiles`).

    Raises:
        AudioFileError: no usable file, or (``strict=True``) the first bad file.

    Example:
        >>> ds = audio_dataset("spoken_digits", labels=None, batch_size=4,
        ...                    clip_seconds=0.5, training=False)
        >>> next(iter(ds)).shape
        TensorShape([4, 8000])
    """
    _check_args(sample_rate, clip_seconds, batch_size)
    num_samples = int(round(sample_rate * clip_seconds))
    files = validate_audio_files(find_audio_files(source, labels), strict=strict, check=check)
    skip_bad = files.checked == "header"  # unusable audio is met (and skipped, named) while reading
    in_graph = [i.format == "WAV" and i.subtype == "PCM_16" and i.sample_rate == sample_rate and not skip_bad
                for i in files.infos]
    labelled = files.labels is not None
    label_column = (np.asarray(files.labels, np.int32),) if labelled else ()
    ds = tf.data.Dataset.from_tensor_slices((files.paths, in_graph) + label_column)
    seed = int(seed)
    pack = (lambda audio, label: (audio,) + label) if labelled else (lambda audio, _: audio)

    def add_seeds(d):  # -> (seed, element); new seeds every iteration when training
        seeds = (tf.data.Dataset.random(seed=seed + 1, rerandomize_each_iteration=True)
                 if training else tf.data.Dataset.from_tensors(tf.constant(0, tf.int64)).repeat())
        return tf.data.Dataset.zip((seeds, d))

    def shuffled(d):
        return d.shuffle(len(files), seed=seed, reshuffle_each_iteration=True) if shuffle else d

    def batched(d, size):
        d = d.repeat() if repeat else d
        return d if size is None else d.batch(size, drop_remainder=drop_remainder,
                                              num_parallel_calls=AUTOTUNE, deterministic=True)

    par = dict(num_parallel_calls=AUTOTUNE, deterministic=True)
    def crop_seed(s):  # a def, not two lambdas on one line: AutoGraph must parse it
        return s if training else None

    if isinstance(cache, (str, os.PathLike)):  # decoded clips saved on disk, reused by later runs
        from gan_audio.data.audio_cache import saved_clips

        ds = saved_clips(files, sample_rate, cache, seed=seed, shuffle=shuffle)
        ds = add_seeds(ds).map(
            lambda s, e: pack(fit_length(e[0], num_samples, crop_seed(s)), e[1:]), **par)
        ds = batched(ds, batch_size)
    elif cache:  # decode -> cache -> shuffle -> crop, so crops still vary per epoch
        decode = _element_decoder(sample_rate, skip_bad)
        ds = ds.map(lambda p, f, *y: (decode(p, f),) + y, **par)
        ds = shuffled((ds.filter(lambda a, *_: tf.size(a) > 0) if skip_bad else ds).cache())
        ds = add_seeds(ds).map(
            lambda s, e: pack(fit_length(e[0], num_samples, crop_seed(s)), e[1:]), **par)
        ds = batched(ds, batch_size)
    elif all(in_graph):  # pure TensorFlow: decode_wav per file, then batch
        ds = add_seeds(shuffled(ds)).map(
            lambda s, e: pack(fit_length(_decode_wav(e[0]), num_samples, crop_seed(s)), e[2:]),
            **par)
        ds = batched(ds, batch_size)
    else:  # soundfile/soxr files: decode a whole batch per numpy call
        decode = _batch_decoder(sample_rate, num_samples, training, any(in_graph), skip_bad)
        if skip_bad:  # decode in groups, drop the unusable clips, then batch what is left
            ds = add_seeds(shuffled(ds)).repeat() if repeat else add_seeds(shuffled(ds))
            ds = ds.batch(batch_size or 16).map(lambda s, e: decode(s, e[0], e[1]) + tuple(e[2:]), **par)
            ds = ds.unbatch().filter(_usable).map(lambda clip, usable, *y: pack(clip, y))
            ds = ds if batch_size is None else ds.batch(batch_size, drop_remainder=drop_remainder)
        else:
            ds = batched(add_seeds(shuffled(ds)), batch_size or 16)
            ds = ds.map(lambda s, e: pack(decode(s, e[0], e[1])[0], e[2:]), **par)
            ds = ds.unbatch() if batch_size is None else ds
    if features is not None:
        ds = ds.map((lambda w, y: (features(w), y)) if labelled else features, **par)
    ds = ds.prefetch(AUTOTUNE)
    ds.class_names = list(files.class_names) if labelled else None
    ds.files = files
    return ds
