"""Data at scale: header-only checks for large folders, unusable audio skipped when read, and the on-disk
cache of decoded clips (gan_audio.data.audio_cache) that a second run reuses."""
import json
import logging
import os

import numpy as np
import pytest
import soundfile as sf

from gan_audio.data import AudioFileError, audio_dataset, find_audio_files, validate_audio_files
from gan_audio.data import audio_cache, audio_io
from gan_audio.data.audio_io import read_header


def tone(label, n=12000, rate=16000):
    """A clip whose frequency tells its class (100 Hz per label + 200), at half scale."""
    return 0.5 * np.sin(2 * np.pi * (200 + 100 * label) * np.arange(n) / rate)


def write(path, audio, rate=16000, subtype="PCM_16"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    sf.write(path, audio, rate, subtype=subtype)
    return str(path)


def frequency(clip, rate=16000):
    spectrum = np.abs(np.fft.rfft(clip))
    return np.argmax(spectrum) * rate / len(clip)


@pytest.fixture
def folder_with_bad_audio(tmp_path):
    """Three classes of 4 tones each, plus a silent WAV (headers fine, audio unusable) and an empty
    file (headers already wrong), both in class ``b``."""
    root = tmp_path / "words"
    for label, name in enumerate("abc"):
        for i in range(4):
            write(root / name / f"{i}.wav", tone(label))
    write(root / "b" / "silent.wav", np.zeros(12000))
    (root / "b" / "empty.wav").write_bytes(b"")
    return str(root)


def test_read_header_reports_what_headers_show_and_leaves_decoding_out(tmp_path, folder_with_bad_audio):
    good = read_header(os.path.join(folder_with_bad_audio, "a", "0.wav"))
    assert (good.sample_rate, good.channels, good.frames, good.format) == (16000, 1, 12000, "WAV")
    with pytest.raises(AudioFileError, match="empty.wav: empty file"):
        read_header(os.path.join(folder_with_bad_audio, "b", "empty.wav"))
    text = tmp_path / "notes.wav"
    text.write_text("not audio at all " * 20)
    with pytest.raises(AudioFileError, match="notes.wav: not a readable"):
        read_header(str(text))
    truncated = tmp_path / "cut.wav"
    write(truncated, tone(0, 16000))
    truncated.write_bytes(truncated.read_bytes()[:10000])
    with pytest.raises(AudioFileError, match="cut.wav: truncated"):
        read_header(str(truncated))
    silent = os.path.join(folder_with_bad_audio, "b", "silent.wav")
    assert read_header(silent).frames == 12000  # only decoding finds that it is silent
    with pytest.raises(AudioFileError, match="silent.wav: all-silent"):
        audio_io.load_audio(silent)


def test_auto_check_decodes_small_sets_and_reads_headers_of_large_ones(folder_with_bad_audio, monkeypatch, caplog):
    files = find_audio_files(folder_with_bad_audio)
    decoded = validate_audio_files(files)
    assert decoded.checked == "decode" and len(decoded) == 12  # the silent and the empty file dropped
    monkeypatch.setattr(audio_io, "DECODE_CHECK_LIMIT", 5)
    with caplog.at_level(logging.INFO, logger="gan_audio"):
        headers = validate_audio_files(files)
    assert headers.checked == "header" and len(headers) == 13  # the silent file passes its header check
    assert "checking their headers only" in caplog.text and "empty.wav" in caplog.text
    with pytest.raises(ValueError, match="check must be"):
        validate_audio_files(files, check="quick")


@pytest.mark.parametrize("cache", [False, True], ids=["streamed", "memory-cached"])
def test_unusable_audio_is_skipped_by_name_when_read_and_labels_stay_aligned(folder_with_bad_audio, caplog, cache):
    with caplog.at_level(logging.WARNING, logger="gan_audio"):
        ds = audio_dataset(folder_with_bad_audio, batch_size=5, clip_seconds=0.5, check="header", cache=cache,
                           training=False)
        batches = [(w.numpy(), y.numpy()) for w, y in ds]
    assert ds.files.checked == "header"
    assert "silent.wav: all-silent" in caplog.text
    clips = np.concatenate([w for w, _ in batches])
    labels = np.concatenate([y for _, y in batches])
    assert len(clips) == 12 and sorted(labels.tolist()) == [0] * 4 + [1] * 4 + [2] * 4
    assert [round(frequency(c)) for c in clips] == [200 + 100 * int(y) for y in labels]


def test_header_checked_training_batches_stay_full_when_a_file_is_skipped(folder_with_bad_audio):
    ds = audio_dataset(folder_with_bad_audio, batch_size=4, clip_seconds=0.5, check="header", repeat=True,
                       drop_remainder=True)
    shapes = [tuple(w.shape) for w, _ in ds.take(8)]
    assert shapes == [(4, 8000)] * 8


def test_disk_cache_is_built_once_and_a_second_run_reads_it_without_decoding(folder_with_bad_audio, tmp_path,
                                                                          monkeypatch, caplog):
    cache = str(tmp_path / "cache")
    with caplog.at_level(logging.WARNING, logger="gan_audio"):
        first = audio_dataset(folder_with_bad_audio, batch_size=4, clip_seconds=0.5, cache=cache, check="header",
                              training=False)
        one = sorted((int(y), round(float(np.abs(w).sum()), 2)) for b in first for w, y in zip(*b))
    assert "silent.wav: all-silent" in caplog.text  # skipped when the cache was built, by name
    assert len(one) == 12 and first.files.checked == "header"
    folders = os.listdir(cache)
    assert len(folders) == 1 and json.load(open(os.path.join(cache, folders[0], "complete.json")))["skipped"] == 1

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded a file although its clips are cached")

    monkeypatch.setattr(audio_cache, "load_audio", no_decoding)
    second = audio_dataset(folder_with_bad_audio, batch_size=4, clip_seconds=0.5, cache=cache, check="header",
                           training=False)
    two = sorted((int(y), round(float(np.abs(w).sum()), 2)) for b in second for w, y in zip(*b))
    assert two == one and os.listdir(cache) == folders


def test_cached_clips_equal_decoded_ones_up_to_int16_and_a_changed_file_rebuilds(folder_with_bad_audio, tmp_path):
    files = validate_audio_files(find_audio_files(folder_with_bad_audio))
    cache = str(tmp_path / "cache")
    ds = audio_cache.saved_clips(files, 22050, cache, shuffle=False)
    clips = [(c.numpy(), int(y)) for c, y in ds]
    assert len(clips) == 12
    expected = audio_io.load_audio(files.paths[0], sample_rate=22050)  # resampled when the cache was built
    best = min(clips, key=lambda c: np.abs(c[0][:len(expected)] - expected).max() if len(c[0]) == len(expected)
               else np.inf)
    assert np.abs(best[0] - expected).max() <= 1.0 / 32767 + 1e-6 and best[1] == files.labels[0]
    assert sorted({y for _, y in clips}) == [0, 1, 2]
    before = os.listdir(cache)
    write(files.paths[0], tone(2))  # the file changes: its old clips must not be served
    os.utime(files.paths[0], ns=(1, 1))
    audio_cache.saved_clips(files, 22050, cache)
    assert len(os.listdir(cache)) == 2 and set(before) < set(os.listdir(cache))


def test_an_interrupted_cache_build_leaves_nothing_a_later_run_would_trust(folder_with_bad_audio, tmp_path,
                                                                          monkeypatch):
    files = validate_audio_files(find_audio_files(folder_with_bad_audio))
    cache = str(tmp_path / "cache")
    real = audio_cache.load_audio
    calls = []

    def failing(path, **kwargs):
        calls.append(path)
        if len(calls) == 5:
            raise RuntimeError("the machine went away")
        return real(path, **kwargs)

    monkeypatch.setattr(audio_cache, "load_audio", failing)
    with pytest.raises(Exception, match="the machine went away"):
        audio_cache.saved_clips(files, 16000, cache)
    assert os.listdir(cache) == []  # no half-written cache, no staging folder left
    monkeypatch.setattr(audio_cache, "load_audio", real)
    assert len(list(audio_cache.saved_clips(files, 16000, cache))) == 12


def test_cache_order_mixes_sorted_class_folders(tmp_path):
    root = tmp_path / "sorted"
    for label, name in enumerate("abcd"):
        for i in range(16):
            write(root / name / f"{i:02d}.wav", tone(label, 1600))
    ds = audio_dataset(str(root), batch_size=16, clip_seconds=0.1, cache=str(tmp_path / "cache"))
    first_labels = [set(y.numpy().tolist()) for _, y in ds.take(4)]
    assert all(len(labels) >= 3 for labels in first_labels)  # not one class per batch, as the files are stored


def test_a_killed_build_leaves_a_staging_folder_the_next_build_removes(folder_with_bad_audio, tmp_path):
    files = validate_audio_files(find_audio_files(folder_with_bad_audio))
    cache = tmp_path / "cache"
    (cache / ".building_999999999_dead").mkdir(parents=True)  # a process that no longer exists
    (cache / f".building_{os.getpid()}_alive").mkdir()  # this process: perhaps still building
    audio_cache.saved_clips(files, 16000, str(cache))
    names = os.listdir(cache)
    assert ".building_999999999_dead" not in names and f".building_{os.getpid()}_alive" in names


def test_train_cache_dir_saves_the_clips_once_and_a_second_run_reads_them(tmp_path, caplog):
    from gan_audio.cli import main

    cache = str(tmp_path / "cache")
    args = ["train", "classifier", "--preset", "tiny", "--data", "spoken_digits:test", "--epochs", "1",
            "--steps-per-epoch", "2", "--batch-size", "4", "--cache-dir", cache]
    with caplog.at_level(logging.INFO, logger="gan_audio"):
        main(args + ["--out", str(tmp_path / "first")])
    assert "Saving the decoded audio of 180 files" in caplog.text
    assert json.load(open(tmp_path / "first" / "config.json"))["cache_dir"] == cache
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="gan_audio"):
        main(args + ["--out", str(tmp_path / "second")])
    assert "Reading 180 decoded clips" in caplog.text and "Saving" not in caplog.text
    assert len(os.listdir(cache)) == 1


def test_read_header_of_ffmpeg_formats_probes_without_decoding(tmp_path):
    from gan_audio.data.decoders import encode_with_ffmpeg, ffmpeg_backend

    if ffmpeg_backend() is None:
        pytest.skip("neither PyAV nor the ffmpeg program")
    path = tmp_path / "speech.m4a"
    encode_with_ffmpeg(path, tone(1, 16000), 16000)
    info = read_header(str(path))
    assert info.sample_rate == 16000 and info.subtype == "aac" and info.format == "FFMPEG"
    assert info.frames == -1 or abs(info.frames - 16000) < 2048  # AAC's priming frames, or no length given
    noise = tmp_path / "noise.m4a"
    noise.write_bytes(np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8).tobytes())
    with pytest.raises(AudioFileError, match="noise.m4a: not a readable audio file"):
        read_header(str(noise))
