"""Reading audio files, finding them, and checking them before training.

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
import dataclasses
import glob
import logging
import os
import re
from typing import List, Optional

import numpy as np
import soundfile as sf
import soxr

from gan_audio.data.decoders import FFMPEG_EXTENSIONS, decode_with_ffmpeg, ffmpeg_backend
from gan_audio.data.errors import AudioFileError, AudioInfo
from gan_audio.data.real_speech import is_real_speech_name, real_speech_files

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
#: Text/metadata files silently ignored when scanning folders (anything else is reported).
IGNORED_EXTENSIONS = (".json", ".txt", ".md", ".csv", ".tsv", ".yaml", ".yml", ".lab")
SILENCE_PEAK = 1e-6
_BUNDLED_DIR = os.path.dirname(os.path.abspath(__file__))
BUNDLED_DATASETS = ("spoken_digits",)


@dataclasses.dataclass
class AudioFiles:
    """A list of audio files with optional integer labels.

    Args:
        paths: file paths.
        labels: one int per path (index into ``class_names``) or None if unlabelled.
        class_names: sorted label vocabulary, or None.
        source: what the files were found from (used in messages).
        infos: per-file :class:`AudioInfo`, filled by :func:`validate_audio_files`.

    Example:
        >>> f = AudioFiles(["a.wav", "b.wav"], [0, 1], ["cat", "dog"])
        >>> len(f), f.select([1]).paths
        (2, ['b.wav'])
    """

    paths: List[str]
    labels: Optional[List[int]] = None
    class_names: Optional[List[str]] = None
    source: str = ""
    infos: Optional[List[AudioInfo]] = None

    def __len__(self):
        return len(self.paths)

    def select(self, indices):
        """Return a new AudioFiles holding only ``indices`` (vocabulary unchanged)."""
        pick = lambda seq: None if seq is None else [seq[i] for i in indices]  # noqa: E731
        return AudioFiles(pick(self.paths), pick(self.labels), self.class_names,
                          self.source, pick(self.infos))


def bundled_path(name):
    """Folder of a data set bundled with the package, e.g. ``"spoken_digits"``.

    Args:
        name: one of ``BUNDLED_DATASETS``.

    Example:
        >>> os.path.basename(bundled_path("spoken_digits"))
        'spoken_digits'
    """
    if name not in BUNDLED_DATASETS:
        raise ValueError(f"unknown bundled data set {name!r}; available: {list(BUNDLED_DATASETS)}")
    path = os.path.join(_BUNDLED_DIR, name)
    if not os.path.isdir(path):
        raise AudioFileError(path, "bundled data set is missing from this installation; "
                             "regenerate it with scripts/make_spoken_digits.py")
    return path


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
        raise AudioFileError(path, f"not a readable {ext} audio file ({e.error_string})") from None
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


def _walk_files(folder):
    """All non-hidden, non-metadata files under ``folder``, sorted."""
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, n) for n in sorted(names)
                  if not n.startswith(".") and not n.lower().endswith(IGNORED_EXTENSIONS)]
    return found


def _scan_folder(folder, labels):
    """Return ``(paths, names, class_names)``: sub-folders are classes when labels are inferred."""
    subdirs = sorted(d for d in os.listdir(folder)
                     if os.path.isdir(os.path.join(folder, d)) and not d.startswith("."))
    if labels != "inferred" or not subdirs:
        return _walk_files(folder), None, None
    paths, names = [], []
    for d in subdirs:
        found = _walk_files(os.path.join(folder, d))
        if not found:
            logger.warning("skipping %s: empty folder (class %r keeps its label but has no "
                           "files)", os.path.join(folder, d), d)
        paths += found
        names += [d] * len(found)
    return paths, names, subdirs


def find_audio_files(source, labels="inferred"):
    """Find audio files and their labels.

    Args:
        source: a folder (one sub-folder per label, or flat = unlabelled), a glob
            pattern (``"data/*/*.wav"``), a list of file paths, the name of a
            bundled data set (``"spoken_digits"``, or its speaker split ``"spoken_digits:train"`` /
            ``"spoken_digits:test"``), a downloaded one (``"real_speech"``,
            ``"real_speech:test"``: `gan_audio.data.real_speech`), or an :class:`AudioFiles` (returned as is;
            with ``labels=None``, a copy without its labels). A list naming folders or data
            sets (``["real_speech", "spoken_digits:train"]``) combines their files, unlabelled.
        labels: ``"inferred"`` (folder: sub-folder names; glob/list: parent folder
            names when the files lie in more than one folder), ``None`` for
            unlabelled, or a list with one label (str or int) per file.

    Returns:
        :class:`AudioFiles`; ``class_names`` is sorted so the vocabulary is stable
        (an empty class folder keeps its name, with a warning). Non-audio files are
        kept, to be reported by :func:`validate_audio_files`, except hidden files
        and text/metadata files (``IGNORED_EXTENSIONS``).

    Example:
        >>> files = find_audio_files("spoken_digits")
        >>> files.class_names
        ['eight', 'five', 'four', 'nine', 'one', 'seven', 'six', 'three', 'two', 'zero']
    """
    if isinstance(source, AudioFiles):
        if labels is None and source.labels is not None:  # asked for unlabelled: drop them
            return dataclasses.replace(source, labels=None, class_names=None)
        return source
    if not (labels is None or labels == "inferred" or isinstance(labels, (list, tuple))):
        raise ValueError(f"labels must be 'inferred', None or a list, got {labels!r}")
    names, class_names, infer_from_parents = None, None, labels == "inferred"
    if isinstance(source, str) and source.split(":")[0] in BUNDLED_DATASETS and ":" in source:
        return _bundled_split(source, labels)
    if is_real_speech_name(source):  # a named, downloaded data set (gan_audio.data.real_speech)
        return find_audio_files(real_speech_files(source), labels=None if labels == "inferred" else labels)
    if isinstance(source, (str, os.PathLike)):
        source_name = os.fspath(source)
        if source_name in BUNDLED_DATASETS and not os.path.exists(source_name):
            source_name = bundled_path(source_name)
        if os.path.isdir(source_name):
            paths, names, class_names = _scan_folder(source_name, labels)
            infer_from_parents = False
        elif glob.has_magic(source_name):
            paths = sorted(p for p in glob.glob(source_name, recursive=True) if os.path.isfile(p))
        elif os.path.isfile(source_name):
            paths = [source_name]
        else:
            raise AudioFileError(source_name, "no such file, folder or bundled data set "
                                 f"(bundled: {list(BUNDLED_DATASETS)})")
    else:
        paths = [os.fspath(p) for p in source]
        source_name = f"list of {len(paths)} files"
        if any(_is_named_source(p) or os.path.isdir(p) for p in paths):  # sources to combine: unlabelled
            if isinstance(labels, (list, tuple)):
                raise ValueError(f"{source_name}: a list of folders or named data sets takes no label list")
            paths = [q for p in paths for q in find_audio_files(p, labels=None).paths]
            return AudioFiles(paths, None, None, " + ".join(os.fspath(p) for p in source))
    if not paths:
        raise AudioFileError(source_name, "no audio files found")
    if infer_from_parents:
        parents = [os.path.basename(os.path.dirname(os.path.abspath(p))) for p in paths]
        names = parents if len(set(parents)) > 1 else None
    if isinstance(labels, (list, tuple)):
        if len(labels) != len(paths):
            raise ValueError(f"{source_name}: got {len(labels)} labels for {len(paths)} files")
        if all(isinstance(v, (int, np.integer)) for v in labels):
            ints = [int(v) for v in labels]
            return AudioFiles(paths, ints, [str(i) for i in range(max(ints) + 1)], source_name)
        names = [str(v) for v in labels]
    if names is None:
        return AudioFiles(paths, None, None, source_name)
    class_names = class_names or sorted(set(names))
    index = {c: i for i, c in enumerate(class_names)}
    return AudioFiles(paths, [index[n] for n in names], class_names, source_name)


def _is_named_source(name):
    """A bundled data set, its split, or a downloaded data set's name (and no such file)."""
    return not os.path.exists(name) and (name.split(":")[0] in BUNDLED_DATASETS or is_real_speech_name(name))


#: The speaker splits of the bundled data: ``spoken_digits:train`` (21 voices), ``spoken_digits:test``
#: (the 9 voices of `SPOKEN_DIGITS_TEST_VARIANTS`, held out of the shipped models' training).
BUNDLED_SPLITS = ("train", "test")


def _bundled_split(source, labels):
    from gan_audio.data.splits import SPOKEN_DIGITS_TEST_VARIANTS, speaker_split, spoken_digits_variant

    name, part = source.split(":", 1)
    if part not in BUNDLED_SPLITS:
        raise ValueError(f"{source!r}: unknown split {part!r} of {name}; choose from {list(BUNDLED_SPLITS)}")
    train, test = speaker_split(find_audio_files(name, labels), SPOKEN_DIGITS_TEST_VARIANTS,
                                speaker_fn=spoken_digits_variant)
    return dataclasses.replace(train if part == "train" else test, source=source)


def validate_audio_files(files, strict=False):
    """Decode every file once and drop the bad ones.

    Args:
        files: :class:`AudioFiles` (or anything :func:`find_audio_files` accepts).
        strict: raise on the first bad file instead of skipping it.

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
    keep, infos, bad = [], [], 0
    for i, path in enumerate(files.paths):
        try:
            _, info = load_audio(path, return_info=True)
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
    return good
