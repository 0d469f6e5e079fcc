"""Texture statistics (gan_audio.metrics.texture) against numpy/scipy hand computations
on synthetic signals: tones, amplitude-modulated noise, clicks and shared envelopes."""
import doctest
import re

import numpy as np
import pytest
from scipy import signal, stats
from scipy.spatial.distance import pdist

from gan_audio.metrics import texture, texture_comparison

SR = 16000
T = np.arange(SR) / SR                                   # one second, 1 Hz FFT resolution


def erb(f):
    return 21.4 * np.log10(1.0 + 0.00437 * np.asarray(f, dtype=np.float64))


def hand_filter(f, b, num_bands, low_hz=50.0, high_hz=SR / 2):
    """Half-cosine ERB filter ``H_b(f)`` written out from the module docstring."""
    width = (erb(high_hz) - erb(low_hz)) / (num_bands + 1)
    offset = (erb(f) - (erb(low_hz) + (b + 1) * width)) / width
    return np.where(np.abs(offset) < 1, np.cos(np.pi / 2 * np.clip(offset, -1, 1)), 0.0)


def am_noise(rate_hz, depth, n=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, SR)) * (1.0 + depth * np.sin(2 * np.pi * rate_hz * T))


def slow_envelope(rng, max_hz=20):
    """A positive random envelope with Fourier components at 1..max_hz Hz."""
    k = np.arange(1, max_hz + 1)[:, None]
    phases = rng.uniform(0, 2 * np.pi, (max_hz, 1))
    wave = np.sum(rng.normal(size=(max_hz, 1)) * np.cos(2 * np.pi * k * T + phases), axis=0)
    return 1.0 + 0.5 * wave / np.abs(wave).max()


def test_docstring_examples_run():
    result = doctest.testmod(texture, extraglobs={"np": np})
    assert result.attempted > 0 and result.failed == 0


def test_band_centres_are_evenly_spaced_on_the_erb_scale():
    centres = texture.band_centres(SR, 8, 50.0, 8000.0)
    steps = np.diff(erb([50.0, *centres, 8000.0]))
    np.testing.assert_allclose(steps, (erb(8000.0) - erb(50.0)) / 9, rtol=1e-10)


def test_tone_envelope_means_are_the_filter_gains():
    # A cos(2 pi f t) gives sub-band A H_b(f) cos(.), whose envelope is the constant A H_b(f).
    amplitude, f, num_bands = 0.5, 1234.0, 16
    s = texture.texture_statistics(amplitude * np.cos(2 * np.pi * f * T), num_bands=num_bands, compression=1.0)
    gains = np.array([hand_filter(f, b, num_bands) for b in range(num_bands)])
    assert np.count_nonzero(gains) == 2
    np.testing.assert_allclose(s["mean"], amplitude * gains, atol=1e-9)
    assert np.sum(s["mean"] ** 2) == pytest.approx(amplitude ** 2, rel=1e-9)   # sum_b H_b^2 = 1
    assert np.all(s["variance"][gains > 0] < 1e-12)       # constant where the tone passes


def test_envelopes_match_scipy_hilbert():
    x = np.random.default_rng(1).normal(size=SR)
    env, rate = texture.subband_envelopes(x, num_bands=6)
    freqs = np.fft.rfftfreq(SR, 1 / SR)
    for b in range(6):
        band = np.fft.irfft(np.fft.rfft(x) * hand_filter(freqs, b, 6), n=SR)
        expected = signal.resample(np.abs(signal.hilbert(band)) ** 0.3, 400)
        np.testing.assert_allclose(env[b], expected, atol=1e-9)
    assert rate == 400.0


def test_moments_and_correlations_match_scipy_on_the_envelopes():
    x = am_noise(5, 0.8, n=2, seed=2)
    s = texture.texture_statistics(x, num_bands=8)
    env, _ = texture.subband_envelopes(x, num_bands=8)
    for n in range(2):
        e = env[n]
        np.testing.assert_allclose(s["mean"][n], e.mean(axis=1), rtol=1e-12)
        np.testing.assert_allclose(s["variance"][n], e.var(axis=1) / e.mean(axis=1) ** 2, rtol=1e-10)
        np.testing.assert_allclose(s["skewness"][n], stats.skew(e, axis=1), rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(s["kurtosis"][n], stats.kurtosis(e, axis=1, fisher=False), rtol=1e-8)
        np.testing.assert_allclose(s["correlation"][n], np.corrcoef(e)[np.triu_indices(8, 1)], atol=1e-10)
    assert s["correlation"].shape == (2, 28) and s["modulation"].shape == (2, 8, 7)


def test_single_clip_gives_the_rows_of_the_batch():
    x = am_noise(3, 0.5, n=2)
    single, batch = texture.texture_statistics(x[1], num_bands=6), texture.texture_statistics(x, num_bands=6)
    for name in texture.STATISTICS:
        np.testing.assert_allclose(single[name], batch[name][1], rtol=1e-12)
    assert texture.flatten_texture_statistics(single).shape == (4 * 6 + 15 + 6 * 7,)


@pytest.mark.parametrize("rate_hz, centre_hz", [(4, 4.0), (16, 16.0)])
def test_am_noise_modulation_peaks_in_its_band(rate_hz, centre_hz):
    s = texture.texture_statistics(am_noise(rate_hz, 0.9), num_bands=16)
    centres = np.geomspace(1, 64, 7)
    profile = s["modulation"].mean(axis=(0, 1))
    assert centres[np.argmax(profile)] == pytest.approx(centre_hz)
    assert np.all(s["modulation"].sum(axis=2) <= 1 + 1e-9)


def test_modulation_between_centres_splits_by_the_half_cosines():
    # Tone carrier at a band centre, envelope 1 + 0.05 sin(2 pi 3 t), no compression:
    # 3 Hz lies log2(3/2) octaves above the 2 Hz centre, so cos^2 / sin^2 of pi/2 * that.
    centre = texture.band_centres(SR, 16)[8]
    f = np.round(centre)
    x = (1 + 0.05 * np.sin(2 * np.pi * 3 * T)) * np.cos(2 * np.pi * f * T)
    m = texture.texture_statistics(x, num_bands=16, compression=1.0)["modulation"][8]
    octave = np.log2(3 / 2)
    np.testing.assert_allclose(m[1:3], [np.cos(np.pi / 2 * octave) ** 2, np.sin(np.pi / 2 * octave) ** 2],
                               atol=2e-3)
    assert m.sum() == pytest.approx(1.0, abs=2e-3)


def test_clicks_have_heavier_tailed_envelopes_than_gaussian_noise():
    rng = np.random.default_rng(3)
    gaussian = rng.normal(size=(3, SR))
    clicks = rng.normal(size=(3, SR)) * (rng.random((3, SR)) < 0.0005) * 20  # ~8 clicks a second
    s_gauss, s_click = (texture.texture_statistics(x, num_bands=16) for x in (gaussian, clicks))
    k_gauss, k_click = s_gauss["kurtosis"], s_click["kurtosis"]
    assert abs(k_gauss.mean() - 3) < 0.6
    assert k_click.mean() > 2 * k_gauss.mean()
    assert np.all(k_click.mean(axis=0) > k_gauss.mean(axis=0))
    assert s_click["skewness"].mean() > s_gauss["skewness"].mean() + 1    # bursts: long upper tail


def test_bands_sharing_an_envelope_are_correlated_and_independent_ones_not():
    rng = np.random.default_rng(4)
    num_bands, (j, k) = 16, (3, 11)
    centres = texture.band_centres(SR, num_bands)
    env_a, env_b = slow_envelope(rng), slow_envelope(rng)
    carrier_j, carrier_k = (np.cos(2 * np.pi * np.round(centres[i]) * T) for i in (j, k))
    index = list(zip(*np.triu_indices(num_bands, 1))).index((j, k))
    shared = texture.texture_statistics(env_a * (carrier_j + carrier_k), num_bands=num_bands, compression=1.0)
    apart = texture.texture_statistics(env_a * carrier_j + env_b * carrier_k, num_bands=num_bands,
                                       compression=1.0)
    assert shared["correlation"][index] > 0.99
    expected = np.corrcoef(signal.resample(env_a, 400), signal.resample(env_b, 400))[0, 1]
    assert apart["correlation"][index] == pytest.approx(expected, abs=0.02)
    assert abs(apart["correlation"][index]) < 0.3


def test_texture_distance_is_zero_for_identical_sets_and_grows_with_difference():
    noise = am_noise(8, 0.0, n=6, seed=5)
    assert texture_comparison.texture_distance(noise, noise, num_bands=12) == 0.0
    other_noise = texture_comparison.texture_distance(noise, am_noise(8, 0.0, n=6, seed=6), num_bands=12)
    mild = texture_comparison.texture_distance(noise, am_noise(8, 0.3, n=6, seed=6), num_bands=12)
    strong = texture_comparison.texture_distance(noise, am_noise(8, 0.9, n=6, seed=6), num_bands=12)
    assert other_noise < 1.0 < mild < strong
    parts = texture_comparison.texture_distance(noise, am_noise(8, 0.9, n=6, seed=6), per_group=True, num_bands=12)
    assert set(parts) == set(texture.STATISTICS) | {"total"}
    assert parts["total"] == pytest.approx(strong) and parts["modulation"] > 1.0


def random_statistics(rng, n, bands=3, mods=2):
    return {"mean": rng.normal(size=(n, bands)), "variance": rng.normal(size=(n, bands)),
            "skewness": rng.normal(size=(n, bands)), "kurtosis": rng.normal(size=(n, bands)),
            "correlation": rng.normal(size=(n, bands * (bands - 1) // 2)),
            "modulation": rng.normal(size=(n, bands, mods))}


def test_distance_and_diversity_formulas_on_statistics_by_hand():
    rng = np.random.default_rng(7)
    real, gen = random_statistics(rng, 5), random_statistics(rng, 4)
    d_groups, r_groups, g_groups = [], [], []
    for name in texture.STATISTICS:
        r, g = real[name].reshape(5, -1), gen[name].reshape(4, -1)
        s = r.std(axis=0, ddof=1)
        d_groups.append(np.mean(np.abs(g.mean(0) - r.mean(0)) / s))
        r_groups.append(r / s / np.sqrt(6 * r.shape[1]))
        g_groups.append(g / s / np.sqrt(6 * r.shape[1]))
    assert texture_comparison.texture_distance(real, gen, eps=0.0) == pytest.approx(np.mean(d_groups), rel=1e-12)
    r_all, g_all = np.hstack(r_groups), np.hstack(g_groups)
    mean_pair = [np.mean([np.linalg.norm(a[i] - a[j]) for i in range(len(a)) for j in range(i)])
                 for a in (g_all, r_all)]
    assert texture_comparison.texture_diversity(gen, real, eps=0.0) == pytest.approx(mean_pair[0] / mean_pair[1], rel=1e-12)
    assert pdist(r_all).size == 10


def test_diversity_of_copies_is_zero_and_of_fresh_noise_about_one():
    rng = np.random.default_rng(8)
    real = rng.normal(size=(8, SR))
    copies = np.repeat(rng.normal(size=(1, SR)), 8, axis=0)
    assert texture_comparison.texture_diversity(copies, real, num_bands=12) == pytest.approx(0.0, abs=1e-9)
    fresh = texture_comparison.texture_diversity(rng.normal(size=(8, SR)), real, num_bands=12)
    assert 0.75 < fresh < 1.33
    assert texture_comparison.texture_diversity(real, real, num_bands=12) == pytest.approx(1.0)


@pytest.mark.parametrize("call, message", [
    (lambda: texture.texture_statistics(np.zeros((2, 2, SR))), "(S,) or (N, S)"),
    (lambda: texture.texture_statistics(np.full(SR, np.nan)), "finite"),
    (lambda: texture.texture_statistics(np.zeros((2, SR // 2))), "at least 1 / modulation_range"),
    (lambda: texture.texture_statistics(np.zeros(SR), num_bands=1), "num_bands"),
    (lambda: texture.texture_statistics(np.zeros(SR), modulation_range=(1, 300)), "envelope_rate / 2"),
    (lambda: texture.texture_statistics(np.zeros(SR), high_hz=9000), "high_hz"),
    (lambda: texture.subband_envelopes(np.zeros(64), num_bands=32), "too short"),
    (lambda: texture_comparison.texture_distance(np.ones((1, SR)), np.ones((3, SR))), "at least 2 clips"),
    (lambda: texture_comparison.texture_distance(np.ones(SR), np.ones((3, SR))), "set of clips"),
    (lambda: texture_comparison.texture_diversity(np.ones((1, SR)), np.ones((3, SR))), "at least 2 clips"),
    (lambda: texture_comparison.texture_distance(random_statistics(np.random.default_rng(0), 3),
                                      random_statistics(np.random.default_rng(0), 3, bands=4)), "differ in shape"),
    (lambda: texture_comparison.texture_distance({"mean": np.ones((3, 2))}, np.ones((3, SR))), "keys"),
    (lambda: texture_comparison.texture_diversity(np.random.default_rng(0).normal(size=(2, SR)),
                                       np.ones((3, SR)) * np.sin(T)), "identical"),
])
def test_bad_inputs_raise(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()
