"""Linear prediction from log-mel frames (`gan_audio.features.lpc`): Levinson against a Toeplitz solve,
the residual and the synthesis filter inverting each other causally, an envelope's resonance and level
recovered from a log-mel alone."""
import numpy as np
import pytest
import scipy.linalg
import scipy.signal
import tensorflow as tf

from gan_audio.features import LogMelSpectrogram
from gan_audio.features.lpc import (framed_synthesis, levinson, lpc_from_log_mel, lpc_residual, lpc_synthesis,
                                   mel_pseudo_inverse, noise_excited, per_sample)

RATE = 16000


def resonance(frequency, seconds=1.0, radius=0.97, seed=0):
    """White noise through a two-pole resonator at `frequency` Hz (an AR(2) process), scaled to rms 0.1."""
    noise = np.random.default_rng(seed).standard_normal(int(seconds * RATE))
    poles = [1.0, -2 * radius * np.cos(2 * np.pi * frequency / RATE), radius**2]
    x = scipy.signal.lfilter([1.0], poles, noise)
    return (0.1 * x / np.sqrt(np.mean(x**2))).astype("float32")


def test_levinson_solves_the_normal_equations():
    x = np.random.default_rng(0).standard_normal((3, 4000))
    r = np.stack([np.correlate(v, v, "full")[len(v) - 1: len(v) + 8] for v in x])
    a, error = levinson(tf.constant(r), 8)
    np.testing.assert_allclose(a.numpy(), [scipy.linalg.solve_toeplitz(v[:8], v[1:]) for v in r], atol=1e-10)
    np.testing.assert_allclose(error.numpy(), r[:, 0] - np.sum(a.numpy() * r[:, 1:], -1), rtol=1e-10)


def test_synthesis_inverts_the_residual_and_both_are_causal():
    a = tf.constant(np.random.default_rng(1).uniform(-0.2, 0.2, (2, 500, 6)), tf.float32)
    x = tf.constant(np.random.default_rng(2).standard_normal((2, 500)), tf.float32)
    e = lpc_residual(x, a)
    np.testing.assert_allclose(lpc_synthesis(e, a).numpy(), x.numpy(), atol=1e-4)
    changed = x.numpy().copy()
    changed[:, 300:] += 1.0
    np.testing.assert_array_equal(lpc_residual(changed, a).numpy()[:, :300], e.numpy()[:, :300])
    assert np.all(np.abs(lpc_residual(changed, a).numpy()[:, 300] - e.numpy()[:, 300]) > 0.5)
    e_changed = e.numpy().copy()
    e_changed[:, 400:] = 0.0
    np.testing.assert_array_equal(lpc_synthesis(e_changed, a).numpy()[:, :400], lpc_synthesis(e, a).numpy()[:, :400])


@pytest.mark.parametrize("frame_step, frame_length", [(256, 1024), (64, 256), (100, 256)])  # blocks 128, 32; 2
@pytest.mark.parametrize("length", [4000, 3999, 90])
def test_framed_synthesis_equals_the_sample_by_sample_filter_and_is_causal(frame_step, frame_length, length):
    log_mel = LogMelSpectrogram(RATE, frame_length, frame_step, num_mel_bins=32)
    speech = np.concatenate([resonance(700.0, 0.15, seed=1), resonance(2500.0, 0.15, seed=2)])[None]
    a, _ = lpc_from_log_mel(log_mel(speech), mel_pseudo_inverse(log_mel.mel_matrix.numpy()), order=16)
    e = tf.random.stateless_normal([2, length], [3, 4]) * 0.01
    frames = tf.concat([a, a[:, ::-1]], 0)  # two streams with their own filters
    expected = lpc_synthesis(e, per_sample(frames, length, frame_step, frame_length)).numpy()
    got = framed_synthesis(e, frames, frame_step, frame_length).numpy()
    assert got.shape == expected.shape == (2, length)
    np.testing.assert_allclose(got, expected, atol=1e-5 * np.abs(expected).max())
    cut = length // 2
    changed = framed_synthesis(tf.concat([e[:, :cut], tf.zeros_like(e[:, cut:])], 1), frames, frame_step,
                               frame_length).numpy()
    np.testing.assert_array_equal(changed[:, :cut], got[:, :cut])


@pytest.mark.parametrize("frequency", [700.0, 2500.0])
def test_the_filter_of_a_resonance_s_log_mel_peaks_at_it_and_keeps_its_level(frequency):
    log_mel = LogMelSpectrogram(RATE, 1024, 256, num_mel_bins=64)
    x = resonance(frequency)
    a, variance = lpc_from_log_mel(log_mel(x[None]), mel_pseudo_inverse(log_mel.mel_matrix.numpy()), order=16)
    response = np.abs(scipy.signal.freqz([1.0], np.concatenate([[1.0], -a.numpy()[0, 10]]), 2048, fs=RATE)[1])
    peak = np.fft.rfftfreq(4094, 1 / RATE)[np.argmax(response)]
    assert abs(peak - frequency) < 150.0, peak
    # white noise of the frames' variance through their filter comes back at the clip's level (rms 0.1)
    whisper = noise_excited(log_mel(x[None]), log_mel.mel_matrix.numpy(), 256).numpy()[0]
    assert whisper.shape == (len(x) // 256 * 256,)  # the span the frames cover: (F - 1) · 256 + 1024
    rms = float(np.sqrt(np.mean(whisper[2000:-2000] ** 2)))
    assert 0.07 < rms < 0.14, rms
    assert abs(np.fft.rfftfreq(len(whisper), 1 / RATE)[np.argmax(np.abs(np.fft.rfft(whisper)))] - frequency) < 300


def test_each_sample_takes_the_frame_centred_nearest_it():
    frames = tf.constant(np.arange(4, dtype="float32")[None, :, None])  # frames 0-3, hop 256, window 1024
    index = per_sample(frames, 2000, 256, 1024).numpy()[0, :, 0]
    assert index[0] == 0 and index[639] == 0 and index[640] == 1  # centres 512 and 768: nearest switch at 640
    assert index[1408] == 3 and index[1999] == 3  # past the last centre (1280): the last frame
