"""benchmarks/denoise_oracle.py: the oracle masks reconstruct clean input, keep length, and bound the mask denoiser."""
import importlib.util
import os

import numpy as np

from gan_audio.metrics import si_sdr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "benchmarks", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


oracle = load("denoise_oracle")


def mixture(seconds=1.0, snr_db=0.0):
    rng = np.random.default_rng(0)
    t = np.arange(int(16000 * seconds)) / 16000
    clean = (np.sin(2 * np.pi * 220 * t) * np.sin(np.pi * 3 * t) ** 2).astype(np.float32)
    noise = rng.standard_normal(len(clean)).astype(np.float32)
    noise *= np.sqrt(np.mean(clean ** 2) / np.mean(noise ** 2) / 10 ** (snr_db / 10))
    return clean, clean + noise


def test_oracles_return_clean_input_unchanged_at_its_length():
    clean, _ = mixture(seconds=1.003)  # not a whole number of hops
    for fn in oracle.ORACLES.values():
        out = fn(clean, clean)
        assert out.shape == clean.shape and out.dtype == np.float32
        np.testing.assert_allclose(out, clean, atol=1e-4)


def test_oracles_remove_white_noise_and_the_unbounded_gain_does_at_least_as_well():
    clean, noisy = mixture()
    before = si_sdr(clean, noisy)
    bounded = si_sdr(clean, oracle.oracle_mask(noisy, clean))
    unbounded = si_sdr(clean, oracle.clean_magnitude_noisy_phase(noisy, clean))
    assert bounded > before + 10, (before, bounded)
    assert unbounded > bounded - 0.5, (bounded, unbounded)


def test_denoise_benchmark_hands_oracles_the_clean_clip_and_others_only_the_noisy_one():
    bench = load("denoise")
    clean, _ = mixture()
    seen = {}

    def model(noisy):
        seen["model"] = 1
        return noisy

    methods = {"noisy input": None, "model": model, **bench.oracle_methods()}
    results = bench.evaluate(methods, {"m": [clean]}, {"m": None}, [0.0], ["white"], set(), seed=0)
    gain = {name: bench.mean_of(results, "SI-SDR", method=name) for name in methods}
    assert seen and gain["model"] == gain["noisy input"]
    assert gain["oracle mask in [0, 1]"] > gain["noisy input"] + 10
