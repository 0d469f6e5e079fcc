"""Babble texture sources: `babble:K` parsing and clips at each density."""
import numpy as np
import pytest

from gan_audio.data.textures import (
    babble_clips,
    parse_babble,
    spectrum_matched_noise,
    talker_streams,
)


@pytest.mark.parametrize("text, talkers", [("babble", (4, 8, 16)), ("babble:8", (8,)), ("babble:4,16", (4, 16)),
                                           ("spoken_digits", None), ("babble_folder", None), ("/data/babble", None)])
def test_parse_babble(text, talkers):
    assert parse_babble(text) == talkers


@pytest.mark.parametrize("text", ["babble:", "babble:x", "babble:0", "babble:4,", "babble:-2"])
def test_bad_babble_specs_are_errors(text):
    with pytest.raises(ValueError, match="babble:K"):
        parse_babble(text)


def test_talker_streams_are_runs_of_whole_words_without_silent_streams():
    words = np.zeros((6, 100), "float32")
    words[:3, 20:80] = np.arange(1, 4)[:, None]  # three words, three silent clips
    streams = talker_streams(words, 250, seed=0)
    assert streams.shape[1] == 250 and 0 < len(streams) <= 6
    assert set(np.unique(streams)) <= {0.0, 1.0, 2.0, 3.0}
    assert np.all(np.mean(streams**2, axis=1) > 0)  # all-silent streams are dropped


def test_babble_clips_split_over_densities_and_are_seeded():
    a = babble_clips("spoken_digits", 8000, 8000, talkers=(2, 16), num_textures=6, seed=1)
    b = babble_clips("spoken_digits", 8000, 8000, talkers=(2, 16), num_textures=6, seed=1)
    assert a.shape == (6, 8000) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.sqrt(np.mean(a**2, axis=1)), 0.1, rtol=0.05)
    # more talkers: a more Gaussian sum (lower envelope kurtosis, i.e. fewer pauses)
    kurtosis = np.mean(a**4, axis=1) / np.mean(a**2, axis=1) ** 2
    assert np.mean(kurtosis[3:]) < np.mean(kurtosis[:3])
    with pytest.raises(ValueError, match="densities"):
        babble_clips("spoken_digits", 8000, 8000, talkers=(2, 4, 8), num_textures=2)


def test_spectrum_matched_noise_has_the_clips_spectrum_and_none_of_their_envelope():
    rng = np.random.default_rng(0)
    t = np.arange(4000) / 8000.0
    gate = np.sin(2 * np.pi * 3 * t) > 0.6  # 3 Hz bursts of white noise and a 440 Hz tone
    bursts = (rng.standard_normal((8, 4000)) + 3 * np.sin(2 * np.pi * 440 * t)) * gate
    noise = spectrum_matched_noise(bursts, 16, seed=3)
    assert noise.shape == (16, 4000) and noise.dtype == np.float32
    np.testing.assert_allclose(np.sqrt(np.mean(noise**2, axis=1)), 0.1, rtol=1e-4)
    spectrum = np.mean(np.abs(np.fft.rfft(noise, axis=1)) ** 2, axis=0)
    assert np.argmax(spectrum) == np.argmax(np.abs(np.fft.rfft(bursts[0])))  # 440 Hz: the clips' peak
    assert spectrum[440 // 2] > 100 * np.median(spectrum)
    envelope = np.abs(noise).reshape(16, 40, 100).mean(axis=2)  # no gating left: an even envelope
    bursts_envelope = np.abs(bursts).reshape(8, 40, 100).mean(axis=2)
    assert np.std(envelope) / np.mean(envelope) < 0.5 < np.std(bursts_envelope) / np.mean(bursts_envelope)
    np.testing.assert_array_equal(noise, spectrum_matched_noise(bursts, 16, seed=3))
    assert not np.allclose(noise, spectrum_matched_noise(bursts, 16, seed=4))
    with pytest.raises(ValueError, match="non-empty"):
        spectrum_matched_noise(np.zeros(10), 2)
