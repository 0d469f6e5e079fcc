"""Voice augmentation: speed (pitch and formants move), rooms (reverberation), their draws, and the
classifier's word alignment that makes a slow real speaker look like a fast synthetic one."""
import numpy as np
import tensorflow as tf

from gan_audio.data.augment import random_augment
from gan_audio.data.voice_augment import change_speed, reverberate, room_response
from gan_audio.models import WordClassifier

SR = 16000


def _tone(freq, seconds=0.5):
    t = np.arange(int(seconds * SR)) / SR
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype("float32")


def _peak_hz(x):
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return np.argmax(spectrum) * SR / len(x)


def test_change_speed_moves_pitch_by_the_factor_and_keeps_the_length():
    x = np.stack([_tone(200.0)] * 3)
    y = change_speed(x, tf.constant([1.0, 1.25, 0.8])).numpy()
    assert y.shape == x.shape
    np.testing.assert_allclose(y[0], x[0], atol=1e-6)
    middle = slice(3000, 5000)  # inside the clip for every factor
    assert abs(_peak_hz(y[1, middle]) - 250.0) < 10 and abs(_peak_hz(y[2, middle]) - 160.0) < 10
    assert np.all(y[1, :400] == 0)  # faster: the clip ends before the row does, zeros around it


def test_change_speed_keeps_a_centred_word_centred():
    x = np.zeros((1, 1001), "float32")
    x[0, 450:551] = 1.0
    y = change_speed(x, tf.constant([0.5])).numpy()[0]  # half speed: twice as long, same centre
    on = np.flatnonzero(y > 0.5)
    assert abs(on.mean() - 500) <= 1 and 190 <= len(on) <= 210


def test_reverberation_adds_a_decaying_tail_of_the_requested_length():
    click = np.zeros((2, SR), "float32")
    click[:, 1000] = 1.0
    wet = reverberate(click, tf.constant([1, 2], tf.int64), tf.constant([0.1, 0.5])).numpy()
    assert np.allclose(np.abs(wet).max(axis=1), 1.0)  # the dry peak is kept
    assert np.abs(wet[:, :1000]).max() < 1e-6  # causal: nothing before the sound (FFT rounding only)
    energy = [np.sum(wet[i, 1001 + 1600:1001 + 3200] ** 2) for i in range(2)]  # 0.1-0.2 s after it
    assert energy[1] > 100 * energy[0]  # RT60 0.5 s still rings where 0.1 s has died away
    response = room_response(tf.constant([3, 4], tf.int64), 2, tf.constant([0.3, 0.3])).numpy()
    assert np.all(response[:, 0] == 1.0) and np.abs(response[:, 1:]).max() < 0.5


def test_random_augment_draws_speed_and_rooms_reproducibly_without_changing_other_draws():
    x = np.stack([_tone(f) for f in (150.0, 220.0, 300.0, 410.0)])
    seed = tf.constant([5, 6], tf.int64)
    plain = random_augment(x, seed, max_gain_db=6.0).numpy()
    moved = random_augment(x, seed, max_gain_db=6.0, speed=(0.8, 1.25), reverb=1.0).numpy()
    np.testing.assert_array_equal(moved, random_augment(x, seed, max_gain_db=6.0, speed=(0.8, 1.25),
                                                        reverb=1.0).numpy())
    assert not np.allclose(moved, plain)
    again = random_augment(x, seed, max_gain_db=6.0, speed=(1.0, 1.0), reverb=0.0).numpy()
    np.testing.assert_allclose(again, plain, atol=1e-6)  # an identity speed draws nothing else differently
    pitches = [_peak_hz(row[2000:6000]) / f for row, f in
               zip(random_augment(x, seed, speed=(0.8, 1.25)).numpy(), (150.0, 220.0, 300.0, 410.0))]
    assert all(0.78 < p < 1.27 for p in pitches) and np.ptp(pitches) > 0.02  # a new factor per clip


def test_aligned_classifier_sees_the_same_features_for_a_slow_and_a_fast_word():
    def word(length):  # the same tones under the same envelope, said in `length` samples
        t = np.arange(length) / SR
        tones = sum(np.sin(2 * np.pi * f * t) for f in (300.0, 1200.0, 3000.0))
        return (0.2 * tones * np.hanning(length) ** 0.5).astype("float32")

    fast, slow = np.zeros((1, SR), "float32"), np.zeros((1, SR), "float32")
    fast[0, 2000:6000] = word(4000)
    slow[0, 5000:13000] = word(8000)  # twice as long, elsewhere in the clip
    aligned = WordClassifier.from_preset("tiny", align_frames=16)
    a, b = aligned.features(fast).numpy(), aligned.features(slow).numpy()
    assert a.shape == b.shape == (1, 16, 64)
    spread = np.mean(np.abs(a - a.mean()))
    assert np.mean(np.abs(a - b)) < 0.15 * spread, (np.mean(np.abs(a - b)), spread)
    plain = WordClassifier.from_preset("tiny")
    p, q = plain.features(fast).numpy(), plain.features(slow).numpy()
    assert np.mean(np.abs(p - q)) > 0.3 * np.mean(np.abs(p - p.mean()))  # unaligned, they differ
    config = aligned.get_config()
    assert config["align_frames"] == 16 and WordClassifier.from_config(config).align_frames == 16
    assert WordClassifier.from_preset("default").align_frames == 48
