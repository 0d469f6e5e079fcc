"""Tests for gan_audio.data.pipelines.audio_dataset and gan_audio.data.class_names."""
import json
import logging
import os

import numpy as np
import pytest
import soundfile as sf
import tensorflow as tf

from gan_audio.data import (
    AudioFileError,
    audio_dataset,
    load_audio,
    load_class_names,
    save_class_names,
)


def write(path, audio, rate=16000, subtype="PCM_16"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    sf.write(path, audio, rate, subtype=subtype)
    return str(path)


def pcm(values):
    """int16 samples, so WAV/FLAC/decode_wav all see exactly the same numbers."""
    return np.asarray(np.clip(np.round(np.asarray(values) * 32767), -32768, 32767), np.int16)


def ramp(n, start=1):
    """int16 clip ``start, start+1, ...``: each value tells its index (crop/pad checks)."""
    return (start + np.arange(n)).astype(np.int16)


@pytest.fixture
def labelled_dir(tmp_path):
    """3 classes x 4 clips of 1.5 s at 16 kHz (longer than 1 s, so crops matter)."""
    rng = np.random.default_rng(0)
    for name in ["dog", "cat", "bird"]:
        for i in range(4):
            write(tmp_path / "data" / name / f"{i}.wav", pcm(rng.uniform(-0.5, 0.5, 24000)))
    return str(tmp_path / "data")


def all_batches(ds):
    return [tuple(t.numpy() for t in b) if isinstance(b, tuple) else (b.numpy(),) for b in ds]


def stacked(ds, part=0):
    return np.concatenate([b[part] for b in all_batches(ds)])


def test_shapes_labels_and_attributes(labelled_dir):
    ds = audio_dataset(labelled_dir, batch_size=5, clip_seconds=0.5)
    batches = all_batches(ds)
    assert [b[0].shape for b in batches] == [(5, 8000), (5, 8000), (2, 8000)]
    assert all(b[0].dtype == np.float32 and b[1].dtype == np.int32 for b in batches)
    assert ds.class_names == ["bird", "cat", "dog"]
    assert sorted(np.concatenate([b[1] for b in batches]).tolist()) == [0] * 4 + [1] * 4 + [2] * 4
    assert len(ds.files) == 12 and ds.files.class_names == ds.class_names
    # labels travel with their waveforms: compare each unshuffled clip with its file
    ds = audio_dataset(labelled_dir, batch_size=4, shuffle=False, training=False, clip_seconds=1.5)
    waves, labels = stacked(ds, 0), stacked(ds, 1)
    for wave, label, path in zip(waves, labels, ds.files.paths):
        assert ds.class_names[label] == os.path.basename(os.path.dirname(path))
        np.testing.assert_array_equal(wave, load_audio(path))


def test_unlabelled_yields_plain_waveforms(labelled_dir):
    ds = audio_dataset(labelled_dir, labels=None, batch_size=12)
    batch = next(iter(ds))
    assert isinstance(batch, tf.Tensor) and batch.shape == (12, 16000)
    assert ds.class_names is None and ds.files.labels is None
    again = audio_dataset(ds.files, batch_size=12)  # a validated AudioFiles is a source too
    np.testing.assert_array_equal(next(iter(again)).numpy(), batch.numpy())


def test_in_graph_wav_equals_soundfile_path(tmp_path):
    rng = np.random.default_rng(1)
    mono, stereo = pcm(rng.uniform(-.5, .5, 16000)), pcm(rng.uniform(-.5, .5, (16000, 2)))
    for ext in ["wav", "flac"]:  # wav -> tf.audio.decode_wav, flac -> soundfile
        write(tmp_path / ext / f"a.{ext}", mono)
        write(tmp_path / ext / f"b.{ext}", stereo)
    kw = dict(labels=None, batch_size=None, shuffle=False, training=False)
    wav_ds, flac_ds = audio_dataset(str(tmp_path / "wav"), **kw), audio_dataset(
        str(tmp_path / "flac"), **kw)
    wav, flac = [w.numpy() for w in wav_ds], [w.numpy() for w in flac_ds]
    np.testing.assert_array_equal(wav[0], flac[0])
    np.testing.assert_array_equal(wav[1], flac[1])
    np.testing.assert_array_equal(wav[1], stereo.astype(np.float32).mean(axis=1) / 32768)


def test_mixed_formats_and_rates_in_one_dataset(tmp_path):
    t = np.arange(44100) / 44100
    write(tmp_path / "a.wav", pcm(0.5 * np.sin(2 * np.pi * 1000 * t)), 44100)  # soxr path
    write(tmp_path / "b.wav", pcm(np.full(16000, 0.25)))  # in-graph path
    write(tmp_path / "c.flac", pcm(np.full(16000, -0.25)))  # soundfile path
    ds = audio_dataset(str(tmp_path), labels=None, batch_size=3, shuffle=False, training=False)
    a, b, c = next(iter(ds)).numpy()
    spectrum = np.abs(np.fft.rfft(a * np.hanning(16000)))
    assert np.argmax(spectrum) == pytest.approx(1000, abs=1)
    assert np.all(b == pcm(0.25) / 32768) and np.all(c == pcm(-0.25) / 32768)
    train = stacked(audio_dataset(str(tmp_path), labels=None, batch_size=2))  # random crops
    constant = sorted(float(w[0]) for w in train if np.ptp(w) == 0)
    assert len(train) == 3 and constant == [pcm(-0.25) / 32768, pcm(0.25) / 32768]


def test_random_crops_vary_per_epoch_and_repeat_per_seed(labelled_dir):
    def epochs(seed, cache=False, n=2):
        ds = audio_dataset(labelled_dir, batch_size=4, seed=seed, cache=cache)
        return [stacked(ds) for _ in range(n)]

    a, b = epochs(0), epochs(0)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)  # same seed -> same batches
    assert not np.array_equal(a[0], a[1])  # new shuffle + crops each epoch
    assert not np.array_equal(a[0], epochs(1, n=1)[0])
    cached = epochs(0, cache=True)
    assert not np.array_equal(cached[0], cached[1])
    np.testing.assert_array_equal(cached[0], epochs(0, cache=True, n=1)[0])


@pytest.mark.parametrize("ext, cache", [("wav", False), ("flac", False), ("flac", True)])
def test_random_crops_are_windows_of_the_file(tmp_path, ext, cache):
    write(tmp_path / f"r.{ext}", ramp(30000))
    ds = audio_dataset(str(tmp_path), labels=None, batch_size=None, repeat=True, cache=cache)
    full = ramp(30000) / np.float32(32768)
    starts = set()
    for clip in ds.take(8):
        clip = clip.numpy()
        start = int(round(clip[0] * 32768)) - 1
        assert 0 <= start <= 30000 - 16000
        np.testing.assert_array_equal(clip, full[start:start + 16000])
        starts.add(start)
    assert len(starts) > 4


def test_graph_and_soundfile_paths_crop_identically(tmp_path):
    rng = np.random.default_rng(2)
    for i in range(6):
        clip = pcm(rng.uniform(-0.5, 0.5, 16000 + 3000 * i))
        write(tmp_path / "wav" / f"{i}.wav", clip)
        write(tmp_path / "flac" / f"{i}.flac", clip)
    kw = dict(labels=None, batch_size=4, seed=3, clip_seconds=0.75)
    wav_ds = audio_dataset(str(tmp_path / "wav"), **kw)
    flac_ds = audio_dataset(str(tmp_path / "flac"), **kw)
    for _ in range(2):  # two epochs: same shuffles, same random crops
        np.testing.assert_array_equal(stacked(wav_ds), stacked(flac_ds))


def test_centre_crop_and_centre_padding_are_exact(tmp_path):
    long_clip, short_clip = ramp(20001), ramp(10001, start=100)
    write(tmp_path / "a_long.wav", long_clip)
    write(tmp_path / "b_short.wav", short_clip)
    ds = audio_dataset(str(tmp_path), labels=None, batch_size=2, shuffle=False, training=False)
    crop, padded = next(iter(ds)).numpy()
    start = (20001 - 16000) // 2
    np.testing.assert_array_equal(crop, long_clip[start:start + 16000] / np.float32(32768))
    left = (16000 - 10001) // 2
    assert np.all(padded[:left] == 0) and np.all(padded[left + 10001:] == 0)
    assert padded[left] != 0 and padded[left + 10000] != 0
    np.testing.assert_array_equal(padded[left:left + 10001], short_clip / np.float32(32768))
    # training=True pads the same way (nothing to crop)
    train = audio_dataset(str(tmp_path / "b_short.wav"), labels=None, batch_size=None)
    np.testing.assert_array_equal(next(iter(train)).numpy(), padded)


def test_features_repeat_and_drop_remainder(labelled_dir):
    ds = audio_dataset(labelled_dir, batch_size=5, features=lambda w: tf.abs(w)[:, ::100],
                       repeat=True, drop_remainder=True)
    batches = list(ds.take(4))
    assert all(w.shape == (5, 160) and y.shape == (5,) for w, y in batches)
    assert all(float(tf.reduce_min(w)) >= 0 for w, _ in batches)
    assert ds.element_spec[0].shape == (5, 160)


def test_bad_files_are_skipped_with_one_warning_each(tmp_path, caplog):
    write(tmp_path / "good" / "0.wav", pcm(np.full(16000, 0.1)))
    write(tmp_path / "good" / "1.flac", pcm(np.full(16000, 0.2)))
    open(tmp_path / "good" / "empty.wav", "wb").close()
    (tmp_path / "good" / "text.wav").write_text("not audio")
    write(tmp_path / "good" / "zeros.wav", np.zeros(16000, np.int16))
    with caplog.at_level(logging.WARNING, logger="gan_audio"):
        ds = audio_dataset(str(tmp_path), batch_size=8)
        waves, labels = next(iter(ds))
    assert waves.shape == (2, 16000) and ds.class_names == ["good"]
    messages = [r.getMessage() for r in caplog.records]
    for name in ["empty.wav", "text.wav", "zeros.wav"]:
        assert sum(name in m for m in messages) == 1
    assert any("skipped 3 of 5" in m for m in messages)
    with pytest.raises(AudioFileError, match="empty.wav"):
        audio_dataset(str(tmp_path), strict=True)


def test_nothing_usable_raises_audio_file_error(tmp_path, caplog):
    open(tmp_path / "empty.wav", "wb").close()
    (tmp_path / "a.xyz").write_text("?")
    with caplog.at_level(logging.WARNING, logger="gan_audio"):
        with pytest.raises(AudioFileError, match="none of the 2 files is usable"):
            audio_dataset(str(tmp_path))
    with pytest.raises(AudioFileError, match="no such file"):
        audio_dataset(str(tmp_path / "missing"))


@pytest.mark.parametrize("kwargs, match", [
    (dict(sample_rate=0), "sample_rate"), (dict(clip_seconds=-1), "clip_seconds"),
    (dict(batch_size=0), "batch_size"), (dict(labels="folders"), "labels")])
def test_bad_arguments_raise_value_error(labelled_dir, kwargs, match):
    with pytest.raises(ValueError, match=match):
        audio_dataset(labelled_dir, **kwargs)


def test_bundled_spoken_digits_by_name():
    ds = audio_dataset("spoken_digits", batch_size=100, training=False, shuffle=False)
    waves, labels = next(iter(ds))
    assert len(ds.class_names) == 10 and "seven" in ds.class_names
    assert waves.shape == (100, 16000) and len(ds.files) >= 400
    assert float(tf.reduce_max(tf.abs(waves))) <= 1.0


def test_class_names_round_trip(tmp_path):
    path = str(tmp_path / "sub" / "classes.json")
    save_class_names(["b", "a", "ünï"], path)
    assert load_class_names(path) == ["b", "a", "ünï"]
    assert json.load(open(path, encoding="utf-8")) == {"class_names": ["b", "a", "ünï"]}
    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(ValueError, match="bad.json"):
        load_class_names(str(tmp_path / "bad.json"))
