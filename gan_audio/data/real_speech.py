"""Real recorded speech: Debian's Asterisk voice prompts, split by speaker.

Seven professional speakers (five at 16 kHz G.722, two at 8 kHz GSM) and a
few pieces of music-on-hold, about 3,400 files. `build_real_speech` installs
the Debian packages when they are missing (as root), decodes every file to
16 kHz FLAC under ``<data root>/real_speech/<speaker>/...`` and writes
``manifest.csv`` (path, speaker, language, kind, source rate, codec,
seconds, package). The audio is never committed; `scripts/make_real_speech.py`
makes it on any machine.

Named sources (anywhere a data source is taken, e.g. ``--data real_speech``):

- ``real_speech``: the training speakers (`TRAIN_SPEAKERS`);
- ``real_speech:test``: the held-out speakers (`TEST_SPEAKERS`: one whole
  16 kHz speaker and both 8 kHz GSM speakers), never in a shipped training run;
- ``real_speech:all``, ``real_speech:music`` (the music, a real noise), or
  ``real_speech:SPEAKER[,SPEAKER...]``.

The data root is ``$GAN_AUDIO_DATA`` (default ``~/.cache/gan_audio``).

Credit and licences (see each package's ``/usr/share/doc/<package>/copyright``):
the Asterisk core sound prompts (Allison Smith for en/es, June Wallack for fr,
the it and ru voices of the same packages; Digium, Inc.) and the opsound
music-on-hold (Macroform, Manolo Camp, Reno Project) are CC BY-SA 3.0; the
French prompts (voice: Armelle Desjardins; (C) 2006 Michel Gutierrez) are under
a BSD-style licence; the Colombian Spanish prompts (Avatar Ltda. / July E.
Jiménez) are GPL-2. `LICENSES` holds this per package.

Example:
    >>> from gan_audio.data.real_speech import TEST_SPEAKERS, parse_selection
    >>> parse_selection("real_speech:test") == set(TEST_SPEAKERS)
    True
"""
import csv
import os

from gan_audio.data.errors import AudioFileError

NAME = "real_speech"
#: speaker → (Debian package, language, native rate, kind).
SOURCES = {
    "en_US_f_Allison": ("asterisk-core-sounds-en-g722", "en", 16000, "speech"),
    "es_MX_f_Allison": ("asterisk-core-sounds-es-g722", "es", 16000, "speech"),
    "fr_CA_f_June": ("asterisk-core-sounds-fr-g722", "fr", 16000, "speech"),
    "it_IT_m_Carlo": ("asterisk-core-sounds-it-g722", "it", 16000, "speech"),
    "ru_RU_f_IvrvoiceRU": ("asterisk-core-sounds-ru-g722", "ru", 16000, "speech"),
    "fr_FR_f_Armelle": ("asterisk-prompt-fr-armelle", "fr", 8000, "speech"),
    "es_CO": ("asterisk-prompt-es-co", "es", 8000, "speech"),
    "music": ("asterisk-moh-opsound-g722", "-", 16000, "music"),
}
LICENSES = {**{v[0]: "CC BY-SA 3.0" for v in SOURCES.values()},
            "asterisk-prompt-fr-armelle": "BSD-style (C) 2006 Michel Gutierrez", "asterisk-prompt-es-co": "GPL-2"}
#: Held out of every training run: a whole 16 kHz speaker and both 8 kHz GSM speakers.
TEST_SPEAKERS = ("fr_CA_f_June", "fr_FR_f_Armelle", "es_CO")
TRAIN_SPEAKERS = tuple(s for s, v in SOURCES.items() if v[3] == "speech" and s not in TEST_SPEAKERS)
MANIFEST_FIELDS = ("path", "speaker", "language", "kind", "source_rate", "codec", "seconds", "package")
BUILD_HINT = "not built yet: run `python scripts/make_real_speech.py` (Debian's Asterisk voice prompts)"


def data_root():
    """``$GAN_AUDIO_DATA`` or ``~/.cache/gan_audio``: where downloaded data sets are decoded to."""
    return os.path.expanduser(os.environ.get("GAN_AUDIO_DATA", os.path.join("~", ".cache", "gan_audio")))


def real_speech_dir(root=None):
    """The folder of the decoded recordings and their ``manifest.csv``."""
    return os.path.join(root or data_root(), NAME)


def is_real_speech_name(source):
    """Whether `source` is ``real_speech`` or ``real_speech:<selection>`` (and no such file exists)."""
    return (isinstance(source, str) and (source == NAME or source.startswith(NAME + ":"))
            and not os.path.exists(source))


def parse_selection(source):
    """The speakers a ``real_speech[:selection]`` name stands for (see the module docstring)."""
    selection = source.split(":", 1)[1] if ":" in source else "train"
    if selection == "train":
        return set(TRAIN_SPEAKERS)
    if selection == "test":
        return set(TEST_SPEAKERS)
    if selection == "all":
        return {s for s, v in SOURCES.items() if v[3] == "speech"}
    speakers = {s.strip() for s in selection.split(",") if s.strip()}
    unknown = sorted(speakers - set(SOURCES))
    if unknown or not speakers:
        raise ValueError(f"{source!r}: unknown speaker(s) {unknown or [selection]}; choose 'train', 'test', 'all', "
                         f"'music' or speakers among {sorted(SOURCES)}")
    return speakers


def read_manifest(root=None):
    """The manifest's rows (dicts of `MANIFEST_FIELDS`, ``seconds`` and ``source_rate`` as numbers)."""
    path = os.path.join(real_speech_dir(root), "manifest.csv")
    if not os.path.isfile(path):
        raise AudioFileError(real_speech_dir(root), BUILD_HINT)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["seconds"], row["source_rate"] = float(row["seconds"]), int(row["source_rate"])
    return rows


def real_speech_files(source=NAME, root=None, min_seconds=0.0):
    """`AudioFiles` (unlabelled) of the speakers `source` names, in manifest order.

    Args:
        source: ``real_speech`` or ``real_speech:<selection>``.
        root: the data root (default `data_root`).
        min_seconds: leave out recordings shorter than this.
    """
    from gan_audio.data.audio_io import AudioFiles

    speakers = parse_selection(source)
    folder = real_speech_dir(root)
    rows = [r for r in read_manifest(root) if r["speaker"] in speakers and r["seconds"] >= min_seconds]
    if not rows:
        raise AudioFileError(folder, f"no recordings of {sorted(speakers)} in manifest.csv")
    return AudioFiles([os.path.join(folder, r["path"]) for r in rows], None, None, source)


def real_speech_speaker(path):
    """The speaker of a decoded recording: the first folder under ``real_speech/``."""
    parts = os.path.normpath(os.path.abspath(path)).split(os.sep)
    if NAME not in parts[:-2]:
        raise ValueError(f"{path}: not under a {NAME}/ folder")
    return parts[len(parts) - 1 - parts[::-1].index(NAME) + 1]


#: The one English speaker: her recorded digits test the word classifiers, which never train on her.
DIGIT_SPEAKER = "en_US_f_Allison"
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def real_digit_files(speaker=DIGIT_SPEAKER, root=None):
    """`AudioFiles` of a speaker's ten recorded digits (``digits/0.flac`` … ``9.flac``), labelled by their
    English words, with the class names in sorted order (as in `spoken_digits`)."""
    from gan_audio.data.audio_io import AudioFiles

    folder = os.path.join(real_speech_dir(root), speaker, "digits")
    paths = [os.path.join(folder, f"{n}.flac") for n in range(10)]
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise AudioFileError(missing[0], f"no such recording ({BUILD_HINT})")
    class_names = sorted(DIGIT_WORDS)
    return AudioFiles(paths, [class_names.index(w) for w in DIGIT_WORDS], class_names, f"{NAME}:{speaker}/digits")
