"""Tests for gan_audio.data.decoders: formats libsndfile cannot read, decoded by FFmpeg (PyAV or the CLI)."""
import importlib.util
import logging
import os
import shutil
import subprocess

import numpy as np
import pytest
import scipy.signal
import soundfile as sf

from gan_audio.data import AudioFileError, find_audio_files, load_audio, validate_audio_files
from gan_audio.data import decoders
from gan_audio.data.decoders import decode_with_ffmpeg, encode_with_ffmpeg, ffmpeg_backend

pytestmark = pytest.mark.skipif(ffmpeg_backend() is None, reason="neither PyAV nor the ffmpeg program")
needs_cli = pytest.mark.skipif(not shutil.which("ffmpeg"), reason="the ffmpeg program is not installed")


def chirp(rate, seconds=0.5, f0=300, f1=1500, amp=0.5):
    """A rising sweep (unambiguous to align, unlike a steady tone), softly faded in and out."""
    t = np.arange(int(round(rate * seconds))) / rate
    sweep = np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t ** 2 / (2 * seconds)))
    return (amp * sweep * np.hanning(len(t)) ** 0.25).astype(np.float32)


def aligned(decoded, original):
    """``(lag, correlation)`` of `decoded` with `original` after aligning them by cross-correlation."""
    c = scipy.signal.correlate(decoded, original, mode="full", method="fft")
    lag = int(np.argmax(c)) - (len(original) - 1)
    a, b = decoded[max(lag, 0):], original[max(-lag, 0):]
    n = min(len(a), len(b))
    return lag, float(np.corrcoef(a[:n], b[:n])[0, 1])


def one_line_error_naming(path, error):
    message = str(error.value)
    assert message.startswith(str(path) + ": ") and "\n" not in message, message
    assert error.value.path == str(path)
    return message


# file name, encoding rate, the rate FFmpeg decodes it at, how many samples the codec may add or drop
FORMATS = [
    ("tone.g722", 16000, 16000, 64),    # G.722 (adpcm_g722, the container's default)
    ("tone.gsm", 8000, 8000, 160),      # GSM 06.10: 8 kHz mono only (encoded by the ffmpeg program)
    ("tone.mp3", 16000, 16000, 1152),
    ("tone.m4a", 16000, 16000, 2112),   # AAC: 1024 priming samples + the last frame
    ("tone.amr", 8000, 8000, 320),      # AMR-NB: 8 kHz
    ("tone.wma", 16000, 16000, 2048),
    ("tone.webm", 16000, 48000, 960),   # Opus always decodes at 48 kHz
    ("tone.opus", 16000, 48000, 960),
]


@pytest.mark.parametrize("name,rate,native,pad", FORMATS, ids=[f[0].split(".")[1] for f in FORMATS])
def test_each_format_reads_with_its_rate_length_and_content(tmp_path, name, rate, native, pad):
    if name.endswith(".gsm") and importlib.util.find_spec("av") and not shutil.which("ffmpeg"):
        pytest.skip("PyAV's FFmpeg has no GSM encoder and the ffmpeg program is not installed")
    original = chirp(rate)
    path = tmp_path / name
    encode_with_ffmpeg(path, original, rate)
    audio, info = load_audio(path, return_info=True)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert (info.sample_rate, info.channels, info.frames) == (native, 1, len(audio))
    expected = len(original) * native // rate
    assert abs(len(audio) - expected) <= pad * native // rate, (len(audio), expected)
    back = load_audio(path, sample_rate=rate)  # at the rate it was made at, to compare sample by sample
    lag, r = aligned(back, original)
    assert abs(lag) <= pad and r > 0.9, (lag, r)
    spectrum = np.abs(np.fft.rfft(back[max(lag, 0):max(lag, 0) + len(original) // 4]))
    assert np.argmax(spectrum) * rate / (len(original) // 4) < 900  # the sweep starts low: not reversed


@needs_cli
def test_both_backends_give_nearly_the_same_samples(tmp_path):
    path = tmp_path / "speech.m4a"
    encode_with_ffmpeg(path, chirp(16000), 16000)
    by_av, info_av = decode_with_ffmpeg(path, backend="av")
    by_cli, info_cli = decode_with_ffmpeg(path, backend="ffmpeg")
    assert by_av.shape == by_cli.shape and by_av.dtype == by_cli.dtype == np.float32
    assert info_av.sample_rate == info_cli.sample_rate == 16000 and info_av.subtype == info_cli.subtype == "aac"
    np.testing.assert_allclose(by_av, by_cli, atol=1e-5)
    assert np.max(np.abs(by_av)) > 0.3  # the same samples, and not silence
    with pytest.raises(ValueError, match="backend"):
        decode_with_ffmpeg(path, backend="sox")


# ---------------------------------------------------------------- bad files

@pytest.mark.parametrize("name", ["noise.m4a", "noise.amr", "noise.wma", "noise.webm"])
def test_random_bytes_raise_one_line_error(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8).tobytes())
    with pytest.raises(AudioFileError) as error:
        load_audio(path)
    assert "not a readable audio file" in one_line_error_naming(path, error)
    if shutil.which("ffmpeg"):  # the program's own error too, where it is installed
        with pytest.raises(AudioFileError) as error:
            decode_with_ffmpeg(path, backend="ffmpeg")
        one_line_error_naming(path, error)


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="raw G.722 has no header nor sync word: FFmpeg decodes any bytes (as noise)")
def test_random_bytes_g722_raise(tmp_path):
    path = tmp_path / "noise.g722"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8).tobytes())
    try:
        load_audio(path)
    except AudioFileError:
        return
    raise AssertionError("random bytes were decoded as G.722")


def test_empty_gsm_raises(tmp_path):
    path = tmp_path / "empty.gsm"
    path.write_bytes(b"")
    with pytest.raises(AudioFileError) as error:
        load_audio(path)
    assert "empty file" in one_line_error_naming(path, error)


@pytest.mark.parametrize("backend", ["av", pytest.param("ffmpeg", marks=needs_cli)])
def test_truncated_m4a_raises(tmp_path, backend):
    whole = tmp_path / "whole.m4a"
    encode_with_ffmpeg(whole, chirp(16000), 16000)
    data = whole.read_bytes()
    for fraction in (0.5, 0.9):  # 0.9 cuts the index (moov) at the end: PyAV then has no codec for the stream
        path = tmp_path / f"cut{int(fraction * 100)}.m4a"
        path.write_bytes(data[: int(len(data) * fraction)])
        with pytest.raises(AudioFileError) as error:
            decode_with_ffmpeg(path, backend=backend)
        one_line_error_naming(path, error)
        if backend == "av":
            with pytest.raises(AudioFileError) as error:
                load_audio(path)
            one_line_error_naming(path, error)


def test_validate_keeps_good_g722_and_warns_once_about_bad_m4a(tmp_path, caplog):
    encode_with_ffmpeg(tmp_path / "good.g722", chirp(16000), 16000)
    (tmp_path / "bad.m4a").write_bytes(np.random.default_rng(1).integers(0, 256, 3000, dtype=np.uint8).tobytes())
    with caplog.at_level(logging.WARNING, logger="gan_audio"):
        good = validate_audio_files(find_audio_files(str(tmp_path)))
    assert [os.path.basename(p) for p in good.paths] == ["good.g722"]
    assert good.infos[0].sample_rate == 16000 and good.infos[0].frames == 8000
    messages = [r.getMessage() for r in caplog.records if r.name == "gan_audio"]
    about_bad = [m for m in messages if "bad.m4a" in m]
    assert len(about_bad) == 1 and "not a readable audio file" in about_bad[0], messages
    assert not any("good.g722" in m for m in messages)


def test_without_any_backend_the_error_says_how_to_install(tmp_path, monkeypatch):
    path = tmp_path / "tone.g722"
    encode_with_ffmpeg(path, chirp(16000), 16000)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a, **k: None)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    assert ffmpeg_backend() is None
    monkeypatch.setattr(decoders, "ffmpeg_backend", lambda: None)
    for read in (load_audio, decode_with_ffmpeg):
        with pytest.raises(AudioFileError) as error:
            read(path)
        message = one_line_error_naming(path, error)
        assert "pip install av" in message and "ffmpeg program" in message


# ---------------------------------------------------------------- FLAC without a length

@needs_cli
def test_flac_written_to_a_pipe_reads_whole(tmp_path):
    path, reference = tmp_path / "piped.flac", tmp_path / "reference.wav"
    source = ["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi",
              "-i", "sine=frequency=440:sample_rate=16000:duration=3"]
    with open(path, "wb") as out:  # to a pipe: FFmpeg cannot go back to write the length into the header
        subprocess.run(source + ["-ac", "1", "-f", "flac", "-"], stdout=out, check=True)
    subprocess.run(source + ["-ac", "1", "-c:a", "pcm_s16le", str(reference)], check=True)
    with sf.SoundFile(path) as f:
        frames = f.frames
    if frames == 48000:
        pytest.skip(f"soundfile reports a normal length ({frames} frames) for a FLAC written to a pipe here")
    assert frames > 2**40  # libsndfile's "unknown": a numpy array of it would be too big
    audio, info = load_audio(path, return_info=True)
    assert audio.shape == (48000,) and (info.sample_rate, info.frames, info.format) == (16000, 48000, "FLAC")
    np.testing.assert_array_equal(audio, sf.read(reference, dtype="float32")[0])  # lossless: every sample
