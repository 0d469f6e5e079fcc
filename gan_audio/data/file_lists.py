"""Finding audio files: folders, globs, lists, bundled and downloaded data sets, their labels.

Example:
    >>> files = find_audio_files("spoken_digits:test")
    >>> len(files), files.class_names[:2]
    (180, ['eight', 'five'])
"""
import dataclasses
import glob
import logging
import os
from typing import List, Optional

import numpy as np

from gan_audio.data.errors import AudioFileError, AudioInfo
from gan_audio.data.real_speech import is_real_speech_name, real_speech_files

logger = logging.getLogger("gan_audio")

#: Text/metadata files silently ignored when scanning folders (anything else is reported).
IGNORED_EXTENSIONS = (".json", ".txt", ".md", ".csv", ".tsv", ".yaml", ".yml", ".lab")
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
        checked: how `validate_audio_files` checked them: ``"decode"`` (every file decoded) or
            ``"header"`` (headers only: the pipeline skips, with a warning, a file whose audio is unusable).

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
    checked: Optional[str] = None

    def __len__(self):
        return len(self.paths)

    def select(self, indices):
        """Return a new AudioFiles holding only ``indices`` (vocabulary unchanged)."""
        pick = lambda seq: None if seq is None else [seq[i] for i in indices]  # noqa: E731
        return AudioFiles(pick(self.paths), pick(self.labels), self.class_names,
                          self.source, pick(self.infos), self.checked)


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
