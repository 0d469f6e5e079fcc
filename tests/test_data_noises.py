"""Realistic noises (`gan_audio.data.noises`) and the denoiser recipe's use of them."""
import numpy as np
import pytest

from gan_audio.data.noises import NOISE_KINDS, NoiseBank, clatter, clicks, hum, make_noise, music_split

RATE = 16000


def _rms(x):
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def _bank():
    t = np.arange(RATE) / RATE
    music = [np.sin(2 * np.pi * 440 * t) + 0.5 * np.sin(2 * np.pi * 660 * t)]
    talkers = [np.sin(2 * np.pi * f * t) * (1 + np.sin(2 * np.pi * 3 * t)) for f in (150, 220, 310, 400)]
    return NoiseBank(music=music, talkers=talkers)


@pytest.mark.parametrize("kind", NOISE_KINDS)
def test_every_kind_is_unit_rms_finite_and_seeded(kind):
    bank = _bank()
    a, b = make_noise(kind, 8000, seed=3, bank=bank), make_noise(kind, 8000, seed=3, bank=bank)
    c = make_noise(kind, 8000, seed=4, bank=bank)
    assert a.shape == (8000,) and a.dtype == np.float32 and np.all(np.isfinite(a))
    assert abs(_rms(a) - 1.0) < 1e-3
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_hum_is_mains_frequency_and_harmonics():
    x = hum(4 * RATE, RATE, seed=1)
    spectrum = np.abs(np.fft.rfft(x))
    freqs = np.fft.rfftfreq(len(x), 1 / RATE)
    strongest = freqs[np.argsort(spectrum)[-5:]]
    assert np.all(strongest < 1000)  # hum lives in the low harmonics
    candidates = np.r_[np.linspace(49.7, 50.3, 121), np.linspace(59.6, 60.4, 161)]
    harmonic = [f for f in candidates if np.all(np.abs(strongest / f - np.round(strongest / f)) < 0.01)]
    assert harmonic, strongest  # every peak is a harmonic of one mains frequency near 50 or 60 Hz


def test_clatter_is_impulsive_not_steady():
    x = clatter(2 * RATE, RATE, seed=2)
    kurtosis = np.mean(x ** 4) / np.mean(x ** 2) ** 2
    assert kurtosis > 10  # Gaussian noise has 3
    frames = np.sqrt(np.mean(x[: len(x) // 160 * 160].reshape(-1, 160) ** 2, axis=1))
    assert np.mean(frames < 0.1 * frames.max()) > 0.3  # mostly quiet between impacts


def test_music_and_babble_come_from_the_bank():
    bank = _bank()
    music = make_noise("music", 4000, seed=0, bank=bank)
    spectrum = np.abs(np.fft.rfft(music))
    assert abs(np.argmax(spectrum) * RATE / 4000 - 440) < 8  # a crop of the only track
    babble = make_noise("babble", 4000, seed=0, bank=bank)
    power = np.abs(np.fft.rfft(babble)) ** 2
    assert power[: int(500 * 4000 / RATE)].sum() / power.sum() > 0.9  # the talkers' tones, not white noise
    with pytest.raises(ValueError, match="music recordings"):
        make_noise("music", 100, bank=NoiseBank(talkers=bank.talkers))
    with pytest.raises(ValueError, match="NoiseBank"):
        make_noise("babble", 100)
    with pytest.raises(ValueError, match="unknown noise kind 'rain'"):
        make_noise("rain", 100)


def test_held_out_music_tracks_never_train():
    paths = [f"/d/music/{n}.flac" for n in ("macroform-cold_day", "manolo_camp-morning_coffee",
                                             "reno_project-system", "macroform-robot_dity")]
    train, held = music_split(paths)
    assert held == [paths[1], paths[2]] and train == [paths[0], paths[3]]


def test_denoiser_pairs_with_recorded_noise_keep_the_snr():
    import tensorflow as tf

    from gan_audio.denoiser_data import with_noise

    t = np.arange(4000) / RATE
    clean = np.stack([0.3 * np.sin(2 * np.pi * f * t) for f in (200, 300, 450, 600)]).astype(np.float32)
    pairs = with_noise(tf.data.Dataset.from_tensors(clean).repeat(), snr_db=(5.0, 5.0), kinds=("music", "babble"),
                       seed=0, bank=_bank())
    noisy, scaled = (x.numpy() for x in next(iter(pairs)))
    snrs = 10 * np.log10(np.mean(scaled ** 2, axis=1) / np.mean((noisy - scaled) ** 2, axis=1))
    np.testing.assert_allclose(snrs, 5.0, atol=0.01)
    with pytest.raises(ValueError, match="music noise needs"):  # at once, not inside the pipeline
        with_noise(tf.data.Dataset.from_tensors(clean), kinds=("music",), bank=None)
    with pytest.raises(ValueError, match="noise_kinds"):
        with_noise(tf.data.Dataset.from_tensors(clean), kinds=("rain",))


def test_clicks_are_short_bursts_unlike_clatter():
    x = clicks(2 * RATE, RATE, seed=2)
    assert np.mean(x ** 4) / np.mean(x ** 2) ** 2 > 30  # sparser than Gaussian noise (3)
    frames = np.sqrt(np.mean(x.reshape(-1, 160) ** 2, axis=1))
    assert np.mean(frames < 0.1 * frames.max()) > 0.5
    # no ringing: a click's energy is gone 5 ms after its peak, a clatter impact's often is not
    def ring(noise):
        peak = int(np.argmax(np.abs(noise[: len(noise) - 400])))
        return np.sum(noise[peak + 80: peak + 400] ** 2) / np.sum(noise[peak - 80: peak + 80] ** 2)
    assert np.median([ring(clicks(RATE, RATE, seed=s)) for s in range(8)]) < 0.05
    assert np.median([ring(clatter(RATE, RATE, seed=s)) for s in range(8)]) > 0.1


def _high_band_share(x):
    power = np.abs(np.fft.rfft(x, axis=1)) ** 2
    return power[:, int(4200 * x.shape[1] / RATE):].sum(axis=1) / power.sum(axis=1)


def test_denoiser_recipe_band_limits_the_clean_clips_before_mixing():
    import glob
    import os
    from types import SimpleNamespace

    from gan_audio.data import bundled_path
    from gan_audio.denoiser_data import denoiser_dataset

    files = sorted(glob.glob(os.path.join(bundled_path("spoken_digits"), "*", "*.flac")))[:16]
    model = SimpleNamespace(sample_rate=RATE, segment_samples=4000)
    settings = {"data": files, "batch_size": 8, "seed": 1, "snr_db": (5.0, 5.0), "noise_kinds": ("white",)}
    shares = {}
    for fraction in (0.0, 0.5, 1.0):
        data = denoiser_dataset(model, {**settings, "band_limit": fraction})
        batches = list(data.dataset.take(4).as_numpy_iterator())
        noisy, clean = (np.concatenate(parts) for parts in zip(*batches))
        assert clean.shape == (32, 4000) and data.steps_per_pass == 2
        loud = np.mean(clean ** 2, axis=1) > 1e-6  # crops of silence have no band
        shares[fraction] = _high_band_share(clean[loud])
        assert np.all(_high_band_share(noisy) > 0.05)  # the white noise above 4 kHz is still there to remove
    assert np.all(shares[1.0] < 1e-3) and np.median(shares[0.0]) > 1e-2
    limited = np.mean(shares[0.5] < 1e-3)
    assert 0.2 < limited < 0.8, limited
    with pytest.raises(ValueError, match="band_limit"):
        denoiser_dataset(model, {**settings, "band_limit": 1.5})
