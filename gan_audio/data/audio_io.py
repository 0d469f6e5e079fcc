"""Reading audio files and checking them before training (finding them: `gan_audio.data.file_lists`).

Everything here is plain numpy + soundfile + soxr (no TensorFlow), so it can be
used on its own. Every problem with a file is raised as :class:`AudioFileError`
whose message names the file and the reason.

Example:
    >>> from gan_audio.data import find_audio_files, validate_audio_files, load_audio
    >>> files = validate_audio_files(find_audio_files("spoken_digits"))
    >>> files.class_names[:3], len(files) > 0
    (['eight', 'five', 'four'], True)
    >>> load_audio(files.paths[0], sample_rate=8000).shape
    (8000,)
"""
import logging
import os
import re

import numpy as np
import soundfile as sf
import soxr

from gan_audio.data.decoders import FFMPEG_EXTENSIONS, decode_with_ffmpeg, ffmpeg_backend, probe_with_ffmpeg
from gan_audio.data.errors import AudioFileError, AudioInfo
from gan_audio.data.file_lists import (  # noqa: F401 (re-exported: the public names of gan_audio.data)
    BUNDLED_DATASETS, IGNORED_EXTENSIONS, AudioFiles, bundled_path, find_audio_files)

logger = logging.getLogger("gan_audio")

#: Extensions read by soundfile: those whose libsndfile format this soundfile build reads.
_EXTENSION_FORMATS = {".wav": "WAV", ".wave": "WAV", ".flac": "FLAC", ".ogg": "OGG", ".oga": "OGG",
                      ".opus": "OGG", ".mp3": "MP3", ".aif": "AIFF", ".aiff": "AIFF", ".au": "AU",
                      ".w64": "W64", ".caf": "CAF", ".rf64": "RF64"}
AUDIO_EXTENSIONS = tuple(sorted(e for e, f in _EXTENSION_FORMATS.items()
                                if f in sf.available_formats()))
#: Every extension `load_audio` reads: soundfile's, and FFmpeg's when PyAV or ffmpeg is installed.
READABLE_EXTENSIONS = tuple(sorted(set(AUDIO_EXTENSIONS) | (set(FFMPEG_EXTENSIONS) if ffmpeg_backend() else set())))
#: libsndfile's frame count for a stream that does not say its length (e.g. FLAC written to a pipe).
_UNKNOWN_FRAMES = 2**62
SILENCE_PEAK = 1e-6
#: `validate_audio_files(check="auto")` decodes up to this many files, and reads only headers above it.
DECODE_CHECK_LIMIT = 20000


def _truncation(info_text):
    """Return a reason if libsndfile's header log says the data chunk is cut short."""
    m = re.search(r"^(data|SSND)\s*:\s*(\d+)\s*\(should be (\d+)\)", info_text, re.M)
    if m and int(m.group(2)) not in (0, 0xFFFFFFFF) and int(m.group(3)) < int(m.group(2)):
        return (f"truncated file: header claims {m.group(2)} bytes of audio "
                f"but only {m.group(3)} are present")
    return None


def load_audio(path, sample_rate=None, return_info=False):
    """Load a file as mono float32 samples in [-1, 1], checking it on the way.

    WAV or any soundfile format (FLAC, OGG, ...). Stereo is mixed to mono (mean
    of the channels); with ``sample_rate`` the audio is resampled with soxr.

    Args:
        path: the file.
        sample_rate: target rate in Hz, or None to keep the file's rate.
        return_info: also return the file's :class:`AudioInfo` (native rate etc.).

    Returns:
        ``np.ndarray`` float32 of shape ``(samples,)``, or ``(samples, info)``.

    Raises:
        AudioFileError: empty, non-audio or truncated file, unsupported format,
            zero-length audio, NaN/inf samples, or all-silent audio.

    Example:
        >>> p = os.path.join(bundled_path("spoken_digits"), "two", "en-gb_f1_s190_p35.flac")
        >>> load_audio(p).shape, load_audio(p, sample_rate=22050).shape
        ((16000,), (22050,))
        >>> load_audio(p, return_info=True)[1].format
        'FLAC'
    """
    path, ext = _checked_path(path)
    audio, info = decode_with_ffmpeg(path) if ext in FFMPEG_EXTENSIONS else _read_soundfile(path, ext)
    if len(audio) == 0:
        raise AudioFileError(path, "zero-length audio (no samples)")
    if not np.all(np.isfinite(audio)):
        raise AudioFileError(path, "audio contains NaN or infinite samples")
    audio = audio.mean(axis=1, dtype=np.float32) if audio.shape[1] > 1 else audio[:, 0]
    peak = float(np.max(np.abs(audio)))
    if peak < SILENCE_PEAK:
        raise AudioFileError(path, f"all-silent audio (peak {peak:.1e} < {SILENCE_PEAK:.0e})")
    if sample_rate is not None and int(sample_rate) != info.sample_rate:
        audio = soxr.resample(audio, info.sample_rate, int(sample_rate), quality="HQ")
        audio = np.ascontiguousarray(audio, dtype=np.float32)
    return (audio, info) if return_info else audio


def _checked_path(path):
    """``(path, lower-case extension)`` of an existing, non-empty file of a readable format, or AudioFileError."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise AudioFileError(path, "no such file")
    ext = os.path.splitext(path)[1].lower()
    if ext not in READABLE_EXTENSIONS:
        hint = (f"; {' '.join(FFMPEG_EXTENSIONS)} need FFmpeg (`pip install av`)"
                if ext in FFMPEG_EXTENSIONS else "")
        raise AudioFileError(path, f"unsupported format {ext or '(no extension)'!r}; "
                             f"readable formats: {' '.join(READABLE_EXTENSIONS)}{hint}")
    if os.path.getsize(path) == 0:
        raise AudioFileError(path, "empty file (0 bytes)")
    return path, ext


def read_header(path):
    """What `path`'s headers say (`AudioInfo`), checked without decoding its audio: the file exists, is not
    empty, is of a readable format, has an audio stream, says it holds samples, and is not cut short before
    the length its header claims. What only decoding finds (corrupt data, NaN, silence) is left to
    `load_audio`. ``frames`` is -1 when the header does not say it.

    Raises:
        AudioFileError: naming the file and what is wrong with it.

    Example:
        >>> p = os.path.join(bundled_path("spoken_digits"), "two", "en-gb_f1_s190_p35.flac")
        >>> read_header(p).frames
        16000
    """
    path, ext = _checked_path(path)
    if ext in FFMPEG_EXTENSIONS:
        return probe_with_ffmpeg(path)
    try:
        with sf.SoundFile(path) as f:
            info = AudioInfo(f.samplerate, f.channels, f.frames, f.format, f.subtype)
            reason = _truncation(f.extra_info)
    except sf.LibsndfileError as e:
        if ffmpeg_backend():  # a WAV of a codec libsndfile lacks: FFmpeg's word on it
            return probe_with_ffmpeg(path)
        raise AudioFileError(path, f"not a readable {ext} audio file ({_libsndfile_reason(e)})") from None
    if reason:
        raise AudioFileError(path, reason)
    if info.frames == 0:
        raise AudioFileError(path, "zero-length audio (no samples)")
    if info.frames >= _UNKNOWN_FRAMES:
        if not ffmpeg_backend():
            raise AudioFileError(path, "no length in its header: reading it needs FFmpeg "
                                 "(`pip install av`, or the ffmpeg program)")
        return info._replace(frames=-1)
    return info


def _libsndfile_reason(error):
    """libsndfile's reason, except its "File does not exist or is not a regular file": it says that of an
    existing file whose bytes it cannot parse (the path was checked before)."""
    reason = error.error_string
    return "libsndfile cannot parse its contents" if "does not exist" in reason else reason


def _read_soundfile(path, ext):
    """``(samples (frames, channels), AudioInfo)`` by soundfile; a file it refuses goes to FFmpeg when
    available (a WAV of a codec libsndfile lacks), else its error is raised, naming the file."""
    try:
        with sf.SoundFile(path) as f:
            info = AudioInfo(f.samplerate, f.channels, f.frames, f.format, f.subtype)
            reason = _truncation(f.extra_info)
            if reason:
                raise AudioFileError(path, reason)
            if info.frames == 0:
                raise AudioFileError(path, "zero-length audio (no samples)")
            try:
                if info.frames >= _UNKNOWN_FRAMES:  # no length in the header (e.g. a FLAC written to a pipe):
                    # libsndfile cannot seek in it and soundfile seeks after every read, so FFmpeg decodes it.
                    if not ffmpeg_backend():
                        raise AudioFileError(path, "no length in its header: reading it needs FFmpeg "
                                             "(`pip install av`, or the ffmpeg program)")
                    audio, _ = decode_with_ffmpeg(path)
                    return audio, info._replace(frames=len(audio))
                audio = f.read(dtype="float32", always_2d=True)
            except (RuntimeError, EOFError, MemoryError) as e:
                raise AudioFileError(path, f"corrupt or truncated audio data ({e})") from None
    except sf.LibsndfileError as e:
        if ffmpeg_backend():
            try:
                return decode_with_ffmpeg(path)
            except AudioFileError:
                pass
        raise AudioFileError(path, f"not a readable {ext} audio file ({_libsndfile_reason(e)})") from None
    if len(audio) < info.frames:
        raise AudioFileError(path, f"truncated file: header claims {info.frames} frames, "
                             f"only {len(audio)} could be decoded")
    return audio, info


def readable_audio(paths, sample_rate=None):
    """Yields ``(path, audio)`` for each file `load_audio` can read; a file it
    cannot is skipped with one warning naming it. Raises ValueError when none
    of `paths` could be read (after the last one)."""
    read = 0
    for path in paths:
        try:
            audio = load_audio(path, sample_rate=sample_rate)
        except AudioFileError as error:
            logger.warning("skipping %s", error)
            continue
        read += 1
        yield path, audio
    if not read:
        raise ValueError(f"None of the {len(paths)} files could be read.")


def validate_audio_files(files, strict=False, check="auto"):
    """Check every file once and drop the bad ones.

    Args:
        files: :class:`AudioFiles` (or anything :func:`find_audio_files` accepts).
        strict: raise on the first bad file instead of skipping it.
        check: ``"decode"`` (decode every file: finds everything `load_audio` refuses), ``"header"``
            (`read_header` only: seconds for 100,000 files; a file whose audio turns out unusable is
            skipped when the pipeline meets it, with the same warning) or ``"auto"`` (``decode`` up to
            `DECODE_CHECK_LIMIT` files, ``header`` above).

    Returns:
        :class:`AudioFiles` with only the good files and ``infos`` filled in.
        Each dropped file is logged once (``logging.getLogger("gan_audio")``,
        WARNING, naming the file and reason), followed by one summary line.

    Raises:
        AudioFileError: with ``strict=True`` for the first bad file; or when no
            good file is left (naming the source).

    Example:
        >>> good = validate_audio_files(find_audio_files("spoken_digits"))
        >>> len(good) == len(good.infos)
        True
    """
    if not isinstance(files, AudioFiles):
        files = find_audio_files(files)
    if files.infos is not None and len(files.infos) == len(files):  # validated already (its own output)
        return files
    if check not in ("auto", "decode", "header"):
        raise ValueError(f"check must be 'auto', 'decode' or 'header', got {check!r}")
    if check == "auto":
        check = "decode" if len(files) <= DECODE_CHECK_LIMIT else "header"
        if check == "header":
            logger.info("%s: %d files, over %d: checking their headers only; a file whose audio is unusable "
                        "is skipped when it is read, named in a warning.", files.source, len(files),
                        DECODE_CHECK_LIMIT)
    keep, infos, bad = [], [], 0
    for i, path in enumerate(files.paths):
        try:
            info = read_header(path) if check == "header" else load_audio(path, return_info=True)[1]
        except AudioFileError as e:
            if strict:
                raise
            logger.warning("skipping %s", e)
            bad += 1
            continue
        keep.append(i)
        infos.append(info)
    if bad:
        logger.warning("skipped %d of %d files from %s (see warnings above)",
                       bad, len(files), files.source)
    if not keep:
        raise AudioFileError(files.source, f"none of the {len(files)} files is usable audio")
    good = files.select(keep)
    good.infos = infos
    good.checked = check
    return good
