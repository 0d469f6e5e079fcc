"""Perceptual metrics (gan_audio.metrics.perceptual: PESQ, STOI) on synthetic speech-like clips."""
import math
import sys

import numpy as np
import pytest

from gan_audio import metrics
from gan_audio.metrics import perceptual


def _speech_like(seconds=1.0, sample_rate=16000, seed=0):
    """Voiced syllables: a gliding harmonic tone with formant-like weights, 4 Hz envelope."""
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    f0 = 140.0 + 30.0 * np.sin(2 * np.pi * 1.5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / sample_rate
    formants = [(500.0, 300.0, 1.0), (1500.0, 400.0, 0.5)]     # (centre Hz, width Hz, weight)
    weights = {h: sum(w * math.exp(-((h * 140.0 - c) / b) ** 2) for c, b, w in formants) for h in range(1, 30)}
    voiced = sum(w * np.sin(h * phase) for h, w in weights.items())
    envelope = np.clip(np.sin(2 * np.pi * 2.0 * t), 0.0, None) ** 0.5
    signal = voiced * envelope + 0.003 * np.random.default_rng(seed).normal(size=t.size)
    return 0.3 * signal / np.max(np.abs(signal))


def test_available_reports_both_metrics():
    found = metrics.available()
    assert set(found) == {"pesq", "stoi"}
    assert all(isinstance(v, bool) for v in found.values())


@pytest.mark.parametrize("fn, module, name", [
    (perceptual.pesq_score, "pesq", "PESQ"),
    (perceptual.stoi_score, "pystoi", "STOI"),
])
def test_missing_package_names_the_extra(monkeypatch, fn, module, name):
    monkeypatch.setitem(sys.modules, module, None)      # "import module" now fails
    assert perceptual.available()[name.lower()] is False
    x = np.zeros(16000)
    message = r"^" + name + r" needs the optional extra: pip install 'gan_audio\[quality\]'$"
    with pytest.raises(ImportError, match=message):
        fn(x, x, 16000)


def test_perceptual_rejects_bad_shapes():
    with pytest.raises(ValueError, match="estimate"):
        perceptual.pesq_score(np.zeros(100), np.zeros(99), 16000)


def test_pesq_clean_beats_noisy():
    pytest.importorskip("pesq")
    clean = _speech_like()
    noisy = clean + 0.1 * np.random.default_rng(1).normal(size=clean.size)
    clean_score = metrics.pesq_score(clean, clean, 16000)
    assert clean_score > 4.0
    scores = metrics.pesq_score(np.stack([clean, clean]), np.stack([clean, noisy]), 16000)
    assert scores.shape == (2,)
    assert scores[0] == pytest.approx(clean_score)
    assert scores[1] < clean_score - 1.0
    # Other rates are resampled to 16 kHz (wide band); 8 kHz is scored narrow band.
    assert metrics.pesq_score(_speech_like(sample_rate=22050), _speech_like(sample_rate=22050), 22050) > 4.0
    narrow = _speech_like(sample_rate=8000)
    assert metrics.pesq_score(narrow, narrow, 8000) > 4.0


def test_stoi_clean_beats_noisy():
    pytest.importorskip("pystoi")
    clean = _speech_like(seconds=2.0)
    noisy = clean + 0.3 * np.random.default_rng(2).normal(size=clean.size)
    assert metrics.stoi_score(clean, clean, 16000) == pytest.approx(1.0, abs=1e-3)
    assert metrics.stoi_score(clean, noisy, 16000) < 0.9


def test_stoi_of_a_clip_too_short_to_score_is_nan_not_pystois_1e5():
    pytest.importorskip("pystoi")
    short = _speech_like(seconds=0.25)  # under the 384 ms STOI needs
    scores = metrics.stoi_score(np.stack([short, short]), np.stack([short, 0.5 * short]), 16000)
    assert np.isnan(scores).all()
    long = _speech_like(seconds=1.0)
    assert metrics.stoi_score(long, long, 16000) == pytest.approx(1.0, abs=1e-3)


def test_pesq_gives_nan_where_it_finds_no_utterance():
    pytest.importorskip("pesq")
    from gan_audio.metrics import pesq_score

    t = np.arange(16000) / 16000
    clips = np.zeros((2, 16000), np.float32)
    clips[1] = 0.3 * np.sin(2 * np.pi * 220 * t) * np.sin(np.pi * 3 * t) ** 2
    scores = pesq_score(clips, clips, 16000)
    assert np.isnan(scores[0]) and scores[1] > 4.0  # silence has no score; a clip against itself is near 4.64
