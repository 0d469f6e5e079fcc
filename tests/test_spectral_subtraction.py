"""The power spectral-subtraction baseline of the denoising benchmark."""
import numpy as np
import pytest

from gan_audio.metrics import si_sdr
from gan_audio.spectral_subtraction import spectral_subtraction


def test_no_subtraction_reconstructs_the_input_at_any_length():
    rng = np.random.default_rng(0)
    for length in (1, 300, 16001):
        noisy = rng.normal(0, 0.1, length).astype(np.float32)
        np.testing.assert_allclose(spectral_subtraction(noisy, 16000, over_subtraction=0.0), noisy, atol=1e-5)


def test_it_removes_stationary_noise_around_speech_like_bursts():
    rng = np.random.default_rng(1)
    t = np.arange(32000) / 16000
    clean = 0.3 * np.sin(2 * np.pi * 440 * t) * ((t % 0.5) < 0.25)  # bursts with pauses
    noisy = clean + 0.05 * rng.normal(size=t.size)
    estimate = spectral_subtraction(noisy, 16000)
    assert estimate.shape == noisy.shape and estimate.dtype == np.float32
    assert si_sdr(clean, estimate) > si_sdr(clean, noisy) + 3.0
    pauses = (t % 0.5) > 0.3
    assert np.std(estimate[pauses]) < 0.7 * np.std(noisy[pauses])  # quieter pauses (plain subtraction leaves musical noise)


def test_bad_arguments_are_errors():
    with pytest.raises(ValueError, match="1-D audio"):
        spectral_subtraction(np.zeros((2, 100)), 16000)
    with pytest.raises(ValueError, match="noise_quantile"):
        spectral_subtraction(np.zeros(100), 16000, noise_quantile=0.0)
    with pytest.raises(ValueError, match="floor"):
        spectral_subtraction(np.zeros(100), 16000, floor=-1.0)
