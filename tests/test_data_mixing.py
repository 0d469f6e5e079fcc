"""Tests for gan_audio.data.mixing: colored noise, SNR mixing, noisy/clean pairs, babble."""
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.data import babble, colored_noise, mix_at_snr, noisy_clean_dataset, \
    noisy_clean_pairs


def snr_db(clean, noise):
    return 10 * np.log10(np.mean(np.square(clean, dtype=np.float64), axis=-1)
                         / np.mean(np.square(noise, dtype=np.float64), axis=-1))


def spectral_slope(kind, n=2 ** 15, seeds=8):
    """Fitted PSD slope in dB per decade between 1/1000 and 1/4 of the sample rate."""
    psd = np.mean([np.abs(np.fft.rfft(colored_noise(kind, n, seed=s))) ** 2
                   for s in range(seeds)], axis=0)
    f = np.fft.rfftfreq(n)
    band = (f > 1e-3) & (f < 0.25)
    return np.polyfit(np.log10(f[band]), 10 * np.log10(psd[band]), 1)[0]


@pytest.fixture
def clips():
    t = np.arange(4000) / 16000
    return np.stack([0.3 * np.sin(2 * np.pi * f * t) for f in (200, 452, 700, 948, 1300)]
                    ).astype(np.float32)


@pytest.mark.parametrize("kind, slope", [("white", 0.0), ("pink", -10.0), ("brown", -20.0)])
def test_colored_noise_slope_rms_and_determinism(kind, slope):
    assert spectral_slope(kind) == pytest.approx(slope, abs=1.5)
    x = colored_noise(kind, 16000, seed=3)
    assert x.dtype == np.float32 and x.shape == (16000,)
    assert np.sqrt(np.mean(x.astype(np.float64) ** 2)) == pytest.approx(1.0, abs=1e-5)
    assert abs(np.mean(x)) < 1e-5
    np.testing.assert_array_equal(x, colored_noise(kind, 16000, seed=3))
    assert not np.array_equal(x, colored_noise(kind, 16000, seed=4))


def test_colored_noise_rejects_unknown_kind():
    with pytest.raises(ValueError, match="violet"):
        colored_noise("violet", 100)


@pytest.mark.parametrize("target", [-5.0, 0.0, 5.0, 20.0])
def test_mix_at_snr_is_exact(clips, target):
    noise = colored_noise("pink", 4000, seed=1)
    noisy = mix_at_snr(clips[0], noise, target)
    assert noisy.shape == (4000,) and noisy.dtype == np.float32
    if np.max(np.abs(clips[0] + noise)) < 1:  # not peak-limited: clean is untouched
        assert snr_db(clips[0], noisy - clips[0]) == pytest.approx(target, abs=0.01)
    noisy, clean = mix_at_snr(clips[0], noise, target, return_clean=True)
    assert snr_db(clean, noisy - clean) == pytest.approx(target, abs=0.01)
    assert np.max(np.abs(noisy)) <= 1.0


def test_mix_at_snr_limits_peaks_but_keeps_snr(clips):
    noisy, clean = mix_at_snr(clips[1], colored_noise("brown", 4000, 0), -10.0, return_clean=True)
    assert np.max(np.abs(noisy)) == pytest.approx(1.0, abs=1e-6)
    assert np.max(np.abs(clean)) < 0.3  # the clean part was scaled down with the noise
    assert snr_db(clean, noisy - clean) == pytest.approx(-10.0, abs=0.01)


def test_mix_at_snr_batched_per_row_and_tiles_short_noise(clips):
    targets = np.array([0.0, 3.0, 6.0, 9.0, 12.0])
    noisy, clean = mix_at_snr(clips, colored_noise("white", 1000, 2), targets, return_clean=True)
    np.testing.assert_allclose(snr_db(clean, noisy - clean), targets, atol=0.01)
    with pytest.raises(ValueError, match="silent"):
        mix_at_snr(np.zeros(100), np.ones(100), 0.0)


def test_noisy_clean_pairs_fixed_and_range(clips):
    noisy, clean = noisy_clean_pairs(clips, snr_db=5.0, seed=0)
    assert noisy.shape == clean.shape == clips.shape
    np.testing.assert_allclose(snr_db(clean, noisy - clean), 5.0, atol=0.01)
    again = noisy_clean_pairs(clips, snr_db=5.0, seed=0)
    np.testing.assert_array_equal(noisy, again[0])
    assert not np.array_equal(noisy, noisy_clean_pairs(clips, snr_db=5.0, seed=1)[0])
    noisy, clean = noisy_clean_pairs(clips, snr_db=(0.0, 10.0), kinds=("pink",), seed=0)
    snrs = snr_db(clean, noisy - clean)
    assert np.all((snrs > 0) & (snrs < 10)) and np.ptp(snrs) > 1.0


def test_noisy_clean_pairs_from_datasets_and_silent_rows(clips):
    labels = np.arange(len(clips))
    batched = tf.data.Dataset.from_tensor_slices((clips, labels)).batch(2)
    unbatched = tf.data.Dataset.from_tensor_slices(clips)
    expected = noisy_clean_pairs(clips, seed=7)
    for ds in (batched, unbatched):
        for got, want in zip(noisy_clean_pairs(ds, seed=7), expected):
            np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="infinite"):
        noisy_clean_pairs(unbatched.repeat())
    with_silence = np.concatenate([clips, np.zeros((1, 4000), np.float32)])
    noisy, clean = noisy_clean_pairs(with_silence)
    assert np.all(noisy[-1] == 0) and np.all(clean[-1] == 0)
    pairs = noisy_clean_dataset(clips, batch_size=2, seed=7)
    noisy_b, clean_b = next(iter(pairs))
    np.testing.assert_array_equal(noisy_b.numpy(), expected[0][:2])
    np.testing.assert_array_equal(clean_b.numpy(), expected[1][:2])


def test_babble_equal_talker_levels_and_rms(clips):
    # talkers at very different levels; with K = N all of them are in every example
    scaled = clips * np.array([[0.05], [1.0], [0.2], [0.5], [3.0]], np.float32)
    out = babble(scaled, num_talkers=5, num_examples=3, seed=0, rms=0.1)
    assert out.shape == (3, 4000) and out.dtype == np.float32
    np.testing.assert_allclose(np.sqrt(np.mean(out.astype(np.float64) ** 2, axis=1)), 0.1,
                               rtol=1e-4)
    # each talker is a sine on an exact FFT bin; circular shifts keep its magnitude
    spectrum = np.abs(np.fft.rfft(out[0]))
    bins = [f * 4000 // 16000 for f in (200, 452, 700, 948, 1300)]
    np.testing.assert_allclose(spectrum[bins], spectrum[bins].mean(), rtol=1e-3)
    assert not np.allclose(out[0], out[1])  # different random shifts per example


def test_babble_determinism_peak_and_errors(clips):
    a = babble(clips, num_talkers=3, num_examples=4, seed=5, rms=0.5)
    np.testing.assert_array_equal(a, babble(clips, num_talkers=3, num_examples=4, seed=5, rms=0.5))
    assert not np.array_equal(a, babble(clips, num_talkers=3, num_examples=4, seed=6, rms=0.5))
    assert np.max(np.abs(a)) <= 1.0
    assert babble(clips, num_talkers=2).shape == clips.shape
    with pytest.raises(ValueError, match="num_talkers=6"):
        babble(clips, num_talkers=6)
