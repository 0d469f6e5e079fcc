"""Pitch from log-mel frames (`gan_audio.features.pitch`): the lag of a voice-like pulse train, voicing that
tells it from noise, free-running pulse trains and the pitch marks of a residual."""
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.features import LogMelSpectrogram
from gan_audio.features.lpc import mel_pseudo_inverse, noise_excited
from gan_audio.features.pitch import lag_range, pitch_from_log_mel, pitch_marks, pulse_excited, pulse_train, voicing
from gan_audio.features.spectral import mel_weight_matrix

SR = 16000


def analysis():
    log_mel = LogMelSpectrogram(SR, 1024, 256, num_mel_bins=64)
    return log_mel, mel_pseudo_inverse(mel_weight_matrix(SR, 1024, 64, log_mel.fmin, log_mel.fmax))


def glottal_pulses(f0, seconds=0.5):
    """A pulse train at `f0` through a two-formant resonator: a crude vowel."""
    x = np.zeros(int(seconds * SR))
    x[(np.arange(0, seconds, 1 / f0) * SR).astype(int)] = 1.0
    for formant, width in [(700.0, 80.0), (1200.0, 100.0)]:
        r, theta = np.exp(-np.pi * width / SR), 2 * np.pi * formant / SR
        y = np.zeros_like(x)
        for t in range(len(x)):
            y[t] = x[t] + 2 * r * np.cos(theta) * (y[t - 1] if t else 0) - r * r * (y[t - 2] if t > 1 else 0)
        x = y
    return (0.3 * x / np.abs(x).max()).astype("float32")


@pytest.mark.parametrize("f0", [110.0, 220.0])
def test_the_lag_of_a_vowel_is_its_period_and_noise_is_unvoiced(f0):
    log_mel, pinv = analysis()
    lag, correlation = pitch_from_log_mel(log_mel(glottal_pulses(f0)[None]), pinv, SR)
    middle = slice(2, -2)
    assert np.all(np.abs(lag.numpy()[0, middle] / (SR / f0) - 1) < 0.05), lag.numpy()
    assert np.all(voicing(correlation).numpy()[0, middle] > 0.3)  # low voices: the mel bands blur the harmonics
    noise = 0.1 * np.random.default_rng(0).standard_normal((1, SR // 2)).astype("float32")
    _, noise_correlation = pitch_from_log_mel(log_mel(noise), pinv, SR)
    assert np.all(voicing(noise_correlation).numpy() == 0.0), noise_correlation.numpy()


def test_a_pulse_train_follows_its_lag_as_it_moves():
    lag = tf.constant([[50.0] * 500 + [125.0] * 500])
    pulses = np.flatnonzero(pulse_train(lag).numpy()[0])
    assert set(np.diff(pulses[pulses < 500])) == {50}
    assert set(np.diff(pulses[pulses > 560])) == {125}
    assert pulse_train(tf.fill([2, 1000], 100.0)).numpy().sum() == 20


def test_pitch_marks_find_the_pulses_of_a_residual_in_noise():
    rng = np.random.default_rng(0)
    residual = 0.05 * rng.standard_normal((1, 2000))
    pulses = np.arange(30, 2000, 97)
    residual[0, pulses] = rng.choice([-1.0, 1.0], len(pulses))  # either polarity
    marks = pitch_marks(tf.constant(residual, tf.float32), tf.fill([1, 2000], 97.0), SR).numpy()[0]
    np.testing.assert_array_equal(np.flatnonzero(marks), pulses)
    assert lag_range(SR) == (40, 267)
    assert pitch_marks(tf.zeros([1, 300]), tf.fill([1, 300], 80.0), SR).numpy().sum() == 0  # silence: no marks


def test_pulse_excitation_carries_the_pitch_that_noise_excitation_loses():
    log_mel, _ = analysis()
    matrix = log_mel.mel_matrix.numpy()
    mel = log_mel(glottal_pulses(160.0)[None])
    period = round(SR / 160.0)

    def periodicity(audio):
        x = audio[0, 2000:6000] - np.mean(audio[0, 2000:6000])
        return float(np.dot(x[:-period], x[period:]) / np.dot(x, x))

    pulsed = pulse_excited(mel, matrix, 256).numpy()
    assert pulsed.shape == (1, (mel.shape[1] - 1) * 256 + 1024) and np.abs(pulsed).max() > 0.01
    assert periodicity(pulsed) > 0.5 > 0.2 > periodicity(noise_excited(mel, matrix, 256).numpy())
    np.testing.assert_array_equal(pulse_excited(mel, matrix, 256, seed=3).numpy(),
                                  pulse_excited(mel, matrix, 256, seed=3).numpy())
