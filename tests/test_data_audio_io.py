"""Tests for gan_audio.data.audio_io: loading, finding and validating audio files."""
import logging
import os

import numpy as np
import pytest
import soundfile as sf

from gan_audio.data import (
    AudioFileError,
    AudioFiles,
    bundled_path,
    find_audio_files,
    load_audio,
    validate_audio_files,
)


def sine(freq, rate, seconds=1.0, amp=0.5):
    t = np.arange(int(round(rate * seconds))) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def write(path, audio, rate=16000, subtype="PCM_16"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    sf.write(path, audio, rate, subtype=subtype)
    return str(path)


def make_bad_files(folder):
    """Write one file of each broken kind into ``folder``; return {name: reason fragment}."""
    os.makedirs(folder, exist_ok=True)
    open(os.path.join(folder, "empty.wav"), "wb").close()
    with open(os.path.join(folder, "text.wav"), "w") as f:
        f.write("this is not audio\n" * 20)
    good = write(os.path.join(folder, "tmp_good.wav"), sine(440, 16000))
    data = open(good, "rb").read()
    os.remove(good)
    with open(os.path.join(folder, "truncated.wav"), "wb") as f:
        f.write(data[: len(data) // 2])
    bad_nan = sine(440, 16000)
    bad_nan[100] = np.nan
    write(os.path.join(folder, "nan.wav"), bad_nan, subtype="FLOAT")
    write(os.path.join(folder, "zeros.wav"), np.zeros(16000, np.float32))
    with open(os.path.join(folder, "notes.xyz"), "wb") as f:
        f.write(b"\x00\x01" * 100)
    return {"empty.wav": "empty file", "text.wav": "not a readable", "truncated.wav": "truncated",
            "nan.wav": "NaN", "zeros.wav": "silent", "notes.xyz": "unsupported format"}


# ---------------------------------------------------------------- load_audio

def test_wav_and_flac_give_identical_samples(tmp_path):
    pcm = np.round(sine(300, 16000) * 32767).astype(np.int16)  # same integers in both files
    w = load_audio(write(tmp_path / "a.wav", pcm))
    f = load_audio(write(tmp_path / "a.flac", pcm))
    assert w.dtype == np.float32 and w.shape == (16000,)
    np.testing.assert_array_equal(w, f)
    np.testing.assert_array_equal(w, pcm / np.float32(32768))


def test_stereo_is_mixed_to_the_mean(tmp_path):
    left, right = sine(300, 16000), sine(700, 16000, amp=0.25)
    path = write(tmp_path / "st.wav", np.stack([left, right], axis=1), subtype="FLOAT")
    np.testing.assert_allclose(load_audio(path), (left + right) / 2, atol=1e-7)


@pytest.mark.parametrize("rate", [44100, 22050, 8000])
def test_resampling_keeps_frequency_and_length(tmp_path, rate):
    path = write(tmp_path / f"s{rate}.wav", sine(1000, rate), rate)
    y = load_audio(path, sample_rate=16000)
    assert y.shape == (16000,) and y.dtype == np.float32
    spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    assert np.argmax(spectrum) * 16000 / len(y) == pytest.approx(1000, abs=1.5)
    assert np.max(np.abs(y)) == pytest.approx(0.5, abs=0.02)


def test_load_without_rate_keeps_native_rate(tmp_path):
    assert load_audio(write(tmp_path / "a.wav", sine(440, 22050), 22050)).shape == (22050,)


def test_each_bad_file_raises_naming_file_and_reason(tmp_path):
    reasons = make_bad_files(tmp_path)
    for name, reason in reasons.items():
        with pytest.raises(AudioFileError) as info:
            load_audio(tmp_path / name)
        assert name in str(info.value) and reason in str(info.value), str(info.value)
        assert info.value.path.endswith(name)


def test_zero_length_audio(tmp_path):
    path = write(tmp_path / "none.wav", np.zeros(0, np.float32))
    with pytest.raises(AudioFileError, match="none.wav.*zero-length"):
        load_audio(path)


def test_missing_file(tmp_path):
    with pytest.raises(AudioFileError, match="nope.wav: no such file"):
        load_audio(tmp_path / "nope.wav")


# ---------------------------------------------------------------- find_audio_files

def test_labels_from_folders_sorted_and_stable(tmp_path):
    for word in ["zulu", "alpha", "mike"]:  # created out of order on purpose
        for i in range(2):
            write(tmp_path / word / f"{i}.wav", sine(200 + i, 16000))
    (tmp_path / "README.md").write_text("ignored")
    files = find_audio_files(str(tmp_path))
    assert files.class_names == ["alpha", "mike", "zulu"]
    for path, label in zip(files.paths, files.labels):
        assert os.path.basename(os.path.dirname(path)) == files.class_names[label]
    assert files.labels == [0, 0, 1, 1, 2, 2]
    assert find_audio_files(str(tmp_path)) == files


def test_flat_glob_list_and_unlabelled(tmp_path):
    for i in range(3):
        write(tmp_path / "flat" / f"{i}.wav", sine(200, 16000))
        write(tmp_path / "a" / f"{i}.flac", sine(200, 16000))
        write(tmp_path / "b" / f"{i}.flac", sine(200, 16000))
    flat = find_audio_files(str(tmp_path / "flat"))
    assert len(flat) == 3 and flat.labels is None and flat.class_names is None
    globbed = find_audio_files(str(tmp_path / "[ab]" / "*.flac"))
    assert globbed.class_names == ["a", "b"] and globbed.labels == [0, 0, 0, 1, 1, 1]
    assert find_audio_files(globbed.paths).labels == globbed.labels
    assert find_audio_files(str(tmp_path), labels=None).labels is None
    explicit = find_audio_files(flat.paths, labels=["y", "x", "y"])
    assert explicit.class_names == ["x", "y"] and explicit.labels == [1, 0, 1]
    with pytest.raises(ValueError, match="3 files"):
        find_audio_files(flat.paths, labels=[0, 1])


def test_empty_and_missing_sources_raise_naming_them(tmp_path):
    (tmp_path / "nothing").mkdir()
    with pytest.raises(AudioFileError, match="nothing: no audio files found"):
        find_audio_files(str(tmp_path / "nothing"))
    with pytest.raises(AudioFileError, match="missing"):
        find_audio_files(str(tmp_path / "missing"))


def test_empty_class_folder_warns_and_keeps_vocabulary(tmp_path, caplog):
    write(tmp_path / "cat" / "0.wav", sine(200, 16000))
    (tmp_path / "dog").mkdir()
    with caplog.at_level(logging.WARNING, logger="gan_audio"):
        files = find_audio_files(str(tmp_path))
    assert files.class_names == ["cat", "dog"] and files.labels == [0]
    assert any("dog" in r.getMessage() and "empty folder" in r.getMessage()
               for r in caplog.records)


# ---------------------------------------------------------------- validate_audio_files

def test_validate_skips_each_bad_file_with_one_warning(tmp_path, caplog):
    reasons = make_bad_files(tmp_path / "cls")
    write(tmp_path / "cls" / "good.wav", sine(440, 16000))
    files = find_audio_files(str(tmp_path))
    assert len(files) == len(reasons) + 1
    with caplog.at_level(logging.WARNING, logger="gan_audio"):
        good = validate_audio_files(files)
    assert [os.path.basename(p) for p in good.paths] == ["good.wav"]
    assert good.infos[0].sample_rate == 16000 and good.infos[0].frames == 16000
    messages = [r.getMessage() for r in caplog.records if r.name == "gan_audio"]
    for name, reason in reasons.items():
        hits = [m for m in messages if name in m and "skipped" not in m]
        assert len(hits) == 1 and reason in hits[0], (name, messages)
    assert any(f"skipped {len(reasons)} of {len(reasons) + 1}" in m for m in messages)


def test_validate_strict_raises_on_first_bad_file(tmp_path):
    make_bad_files(tmp_path)
    files = find_audio_files(str(tmp_path))
    with pytest.raises(AudioFileError) as info:
        validate_audio_files(files, strict=True)
    assert os.path.basename(files.paths[0]) in str(info.value)


def test_all_bad_folder_raises_clear_error(tmp_path, caplog):
    make_bad_files(tmp_path)
    with caplog.at_level(logging.WARNING, logger="gan_audio"):
        with pytest.raises(AudioFileError, match="none of the 6 files is usable"):
            validate_audio_files(find_audio_files(str(tmp_path)))


def test_select_keeps_vocabulary():
    files = AudioFiles(["a", "b", "c"], [0, 1, 2], ["x", "y", "z"])
    sub = files.select([2, 0])
    assert sub.paths == ["c", "a"] and sub.labels == [2, 0] and sub.class_names == ["x", "y", "z"]


# ---------------------------------------------------------------- bundled data

def test_bundled_spoken_digits_loads_by_name():
    folder = bundled_path("spoken_digits")
    assert os.path.isfile(os.path.join(folder, "manifest.json"))
    files = validate_audio_files(find_audio_files("spoken_digits"), strict=True)
    assert files.class_names == sorted(["zero", "one", "two", "three", "four", "five",
                                        "six", "seven", "eight", "nine"])
    assert len(files) >= 400 and set(files.labels) == set(range(10))
    for info in files.infos:
        assert (info.sample_rate, info.channels, info.frames) == (16000, 1, 16000)
    peak = np.max(np.abs(load_audio(files.paths[0])))
    assert 20 * np.log10(peak) == pytest.approx(-1.0, abs=0.05)
    with pytest.raises(ValueError, match="unknown bundled"):
        bundled_path("nope")


@pytest.mark.parametrize("name", ["junk.mp3", "junk.ogg", "junk.wav"])
def test_an_existing_file_of_junk_is_not_called_missing(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"hi\n" * 50)
    with pytest.raises(AudioFileError) as caught:
        load_audio(str(path))
    message = str(caught.value)
    assert str(path) in message and "not a readable" in message and "does not exist" not in message, message
