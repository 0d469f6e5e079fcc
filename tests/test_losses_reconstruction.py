"""Reconstruction losses (feature matching, mel L1, multi-resolution STFT) against values computed by hand."""
import numpy as np
import pytest
import tensorflow as tf

from gan_audio import losses


def test_feature_matching_loss_by_hand():
    real = [[np.ones((2, 3)), np.zeros((2, 2, 2))], [np.full((2, 4), 2.0)]]
    fake = [[np.zeros((2, 3)), np.ones((2, 2, 2))], [np.array([[2.0, 2.0, 2.0, 6.0], [2.0] * 4])]]
    real = tf.nest.map_structure(lambda a: np.asarray(a, np.float32), real)
    fake = tf.nest.map_structure(lambda a: np.asarray(a, np.float32), fake)
    # layer means |r - f| per example: 1, 1, and (1, 0) for the last map.
    per_example = losses.feature_matching_loss(real, fake, reduction="none")
    np.testing.assert_allclose(per_example.numpy(), [3.0, 2.0])
    np.testing.assert_allclose(float(losses.feature_matching_loss(real, fake)), 2.5)
    with pytest.raises(ValueError, match="structure"):
        losses.feature_matching_loss(real, fake[:1])


def test_mel_l1_loss_by_hand_and_on_waveforms():
    a = np.array([[[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]], np.float32)
    b = np.array([[[1.0, 0.0], [3.0, 8.0]], [[1.0, -1.0], [1.0, -1.0]]], np.float32)
    np.testing.assert_allclose(losses.mel_l1_loss(a, b, reduction="none").numpy(), [1.5, 1.0])
    from gan_audio.features import LogMelSpectrogram

    log_mel = LogMelSpectrogram(frame_length=256, frame_step=64, num_mel_bins=16)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(2, 2048)).astype(np.float32), rng.normal(size=(2, 2048)).astype(np.float32)
    expected = np.abs(log_mel(x).numpy() - log_mel(y).numpy()).mean(axis=(1, 2))
    np.testing.assert_allclose(losses.mel_l1_loss(x, y, log_mel=log_mel, reduction="none").numpy(), expected,
                               rtol=1e-5)
    assert float(losses.mel_l1_loss(x, x, log_mel=log_mel)) == 0.0
    with pytest.raises(ValueError, match="shape"):
        losses.mel_l1_loss(x, y[:, :1024], log_mel=log_mel)


def test_multi_resolution_stft_loss_against_numpy():
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=(2, 1024)).astype("float32"), rng.normal(size=(2, 1024)).astype("float32")

    def magnitude(signal, n, h):
        window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)  # periodic Hann
        frames = np.stack([signal[t * h:t * h + n] * window for t in range(1 + (len(signal) - n) // h)])
        return np.maximum(np.abs(np.fft.rfft(frames, axis=1)), 1e-5)

    expected = []
    for a, b in zip(x, y):
        terms = []
        for n, h in ((256, 64), (128, 32)):
            ma, mb = magnitude(a, n, h), magnitude(b, n, h)
            terms.append(np.mean(np.abs(np.log(ma) - np.log(mb))))
        expected.append(np.mean(terms))
    actual = losses.multi_resolution_stft_loss(x, y, resolutions=((256, 64), (128, 32)), reduction="none")
    np.testing.assert_allclose(actual.numpy(), expected, rtol=1e-4)
