"""Tests for gan_audio.data.real_speech: the named real-speech sources, on a small fake folder."""
import csv
import importlib.util
import os

import numpy as np
import pytest
import soundfile as sf

from gan_audio.data import AudioFileError, audio_dataset, find_audio_files, load_audio
from gan_audio.data.real_speech import (
    MANIFEST_FIELDS,
    SOURCES,
    TEST_SPEAKERS,
    TRAIN_SPEAKERS,
    parse_selection,
    read_manifest,
    real_speech_dir,
    real_speech_speaker,
)

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts", "make_real_speech.py")
RATE, SECONDS = 16000, 0.3
SPEAKERS = (TRAIN_SPEAKERS[0], TRAIN_SPEAKERS[1], TEST_SPEAKERS[0], "music")


def fake_real_speech(root, files_per_speaker=2):
    """``<root>/real_speech/<speaker>/digits/<i>.flac`` (a tone per file) and its manifest; returns
    {speaker: [absolute paths]}."""
    folder = real_speech_dir(str(root))
    rows, paths = [], {}
    for s, speaker in enumerate(SPEAKERS):
        package, language, source_rate, kind = SOURCES[speaker]
        for i in range(files_per_speaker):
            name = os.path.join(speaker, "digits", f"{i}.flac")
            t = np.arange(int(RATE * SECONDS)) / RATE
            audio = 0.3 * np.sin(2 * np.pi * (200 + 100 * s + 25 * i) * t)
            os.makedirs(os.path.dirname(os.path.join(folder, name)), exist_ok=True)
            sf.write(os.path.join(folder, name), audio, RATE, subtype="PCM_16")
            rows.append({"path": name, "speaker": speaker, "language": language, "kind": kind,
                         "source_rate": source_rate, "codec": "g722" if source_rate == 16000 else "gsm",
                         "seconds": f"{SECONDS:.3f}", "package": package})
            paths.setdefault(speaker, []).append(os.path.join(folder, name))
    with open(os.path.join(folder, "manifest.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, MANIFEST_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return paths


@pytest.fixture
def fake(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_AUDIO_DATA", str(tmp_path / "data"))
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")  # no ./real_speech here, which the name would stand for
    return fake_real_speech(tmp_path / "data")


def test_speaker_sets_are_disjoint_and_hold_out_both_8khz_speakers():
    assert not set(TRAIN_SPEAKERS) & set(TEST_SPEAKERS)
    eight_khz = [s for s, (_, _, rate, _) in SOURCES.items() if rate == 8000]
    assert len(eight_khz) == 2 and set(eight_khz) <= set(TEST_SPEAKERS)
    speech = {s for s, v in SOURCES.items() if v[3] == "speech"}
    assert set(TRAIN_SPEAKERS) | set(TEST_SPEAKERS) == speech and "music" not in speech
    assert parse_selection("real_speech") == set(TRAIN_SPEAKERS)
    assert parse_selection("real_speech:all") == speech


def test_default_name_gives_only_training_speakers(fake):
    files = find_audio_files("real_speech")
    assert files.paths == fake[TRAIN_SPEAKERS[0]] + fake[TRAIN_SPEAKERS[1]]  # manifest order
    assert files.labels is None and files.class_names is None and files.source == "real_speech"
    assert {real_speech_speaker(p) for p in files.paths} <= set(TRAIN_SPEAKERS)


def test_test_all_music_and_speaker_lists(fake):
    assert find_audio_files("real_speech:test").paths == fake[TEST_SPEAKERS[0]]
    assert find_audio_files("real_speech:music").paths == fake["music"]
    everything = find_audio_files("real_speech:all").paths
    assert len(everything) == 6 and not set(everything) & set(fake["music"])
    picked = find_audio_files(f"real_speech:{TRAIN_SPEAKERS[1]}, {TEST_SPEAKERS[0]}")
    assert picked.paths == fake[TRAIN_SPEAKERS[1]] + fake[TEST_SPEAKERS[0]]
    assert find_audio_files("real_speech", labels=None).labels is None


def test_selecting_a_speaker_with_no_recordings_names_it(fake):
    absent = TEST_SPEAKERS[1]  # a known speaker, but not in the fake manifest
    with pytest.raises(AudioFileError, match=absent) as error:
        find_audio_files(f"real_speech:{absent}")
    assert error.value.path == real_speech_dir()


def test_unknown_speaker_raises_naming_it(fake):
    with pytest.raises(ValueError, match="nobody") as error:
        find_audio_files(f"real_speech:{TRAIN_SPEAKERS[0]},nobody")
    assert not isinstance(error.value, AudioFileError)
    assert TRAIN_SPEAKERS[0] not in str(error.value).split("unknown speaker(s)")[1].split(";")[0]
    with pytest.raises(ValueError, match="unknown speaker"):
        parse_selection("real_speech:")


def test_missing_folder_says_to_run_the_script(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_AUDIO_DATA", str(tmp_path / "nothing here"))
    monkeypatch.chdir(tmp_path)
    for name in ("real_speech", "real_speech:test"):
        with pytest.raises(AudioFileError) as error:
            find_audio_files(name)
        assert error.value.path == os.path.join(str(tmp_path / "nothing here"), "real_speech")
        assert "scripts/make_real_speech.py" in str(error.value)


def test_manifest_numbers_and_speaker_of_a_path(fake):
    rows = read_manifest()
    assert len(rows) == 8 and rows[0]["seconds"] == pytest.approx(SECONDS) and rows[0]["source_rate"] == 16000
    assert [r["speaker"] for r in rows[::2]] == list(SPEAKERS)
    for speaker, paths in fake.items():
        assert all(real_speech_speaker(p) == speaker for p in paths)
    assert real_speech_speaker("/data/real_speech/real_speech/es_CO/a/b.flac") == "es_CO"  # the innermost
    with pytest.raises(ValueError, match="not under a real_speech"):
        real_speech_speaker("/data/speech/en_US_f_Allison/1.flac")


def test_audio_dataset_reads_the_named_source(fake):
    ds = audio_dataset("real_speech", batch_size=2, clip_seconds=0.25, labels=None, training=False,
                       shuffle=False)
    batches = [b.numpy() for b in ds]
    assert [b.shape for b in batches] == [(2, 4000), (2, 4000)] and ds.class_names is None
    paths = fake[TRAIN_SPEAKERS[0]] + fake[TRAIN_SPEAKERS[1]]
    assert ds.files.paths == paths
    start = (int(RATE * SECONDS) - 4000) // 2  # centre crops
    expected = np.stack([load_audio(p)[start:start + 4000] for p in paths])
    np.testing.assert_allclose(np.concatenate(batches), expected, atol=1e-6)


# ---------------------------------------------------------------- scripts/make_real_speech.py

def load_script():
    spec = importlib.util.spec_from_file_location("make_real_speech", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path,speaker,expected", [
    ("/usr/share/asterisk/sounds/en_US_f_Allison/digits/7.g722", "en_US_f_Allison", "digits/7.flac"),
    ("/usr/share/asterisk/sounds/fr/digits/7.gsm", "fr_FR_f_Armelle", "digits/7.flac"),
    ("/usr/share/asterisk/sounds/es_CO/dir-intro.gsm", "es_CO", "dir-intro.flac"),
    ("/usr/share/asterisk/moh/reno_project-system.g722", "music", "reno_project-system.flac"),
    ("/elsewhere/hello.gsm", "es_CO", "hello.flac"),
])
def test_relative_name(path, speaker, expected):
    assert load_script().relative_name(path, speaker) == expected
