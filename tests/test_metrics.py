"""Array-level metrics (gan_audio.metrics: scores, distances, signal metrics) against values computed by hand."""
import doctest
import math

import numpy as np
import pytest
from scipy import linalg, stats

from gan_audio import metrics
from gan_audio.metrics import distributions, perceptual, signals


# --- doctests ------------------------------------------------------------------------------

@pytest.mark.parametrize("module", [metrics, distributions, signals, perceptual],
                         ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, extraglobs={"np": np})
    assert result.attempted > 0 and result.failed == 0


def test_public_names_are_exported():
    for name in metrics.__all__:
        assert callable(getattr(metrics, name))
    assert metrics.classifier_score is distributions.classifier_score
    assert metrics.si_sdr is signals.si_sdr


# --- classifier_score ---------------------------------------------------------------------

@pytest.mark.parametrize("k", [2, 5, 10])
def test_classifier_score_confident_and_balanced_gives_k(k):
    one_hot = np.tile(np.eye(k), (3, 1))       # every class 3 times, each prediction certain
    assert abs(metrics.classifier_score(one_hot) - k) < 1e-6


def test_classifier_score_identical_rows_give_one():
    rows = np.tile([[0.7, 0.2, 0.1]], (8, 1))
    assert abs(metrics.classifier_score(rows) - 1.0) < 1e-9
    assert abs(metrics.classifier_score(np.tile(np.eye(4)[[2]], (5, 1))) - 1.0) < 1e-9


def test_classifier_score_two_by_two_by_hand():
    p = np.array([[0.9, 0.1], [0.2, 0.8]])
    # p(y) = (0.55, 0.45)
    kl_1 = 0.9 * math.log(0.9 / 0.55) + 0.1 * math.log(0.1 / 0.45)
    kl_2 = 0.2 * math.log(0.2 / 0.55) + 0.8 * math.log(0.8 / 0.45)
    expected = math.exp((kl_1 + kl_2) / 2)
    assert metrics.classifier_score(p) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(1.317052, abs=1e-6)


def test_classifier_score_splits_match_per_chunk_computation():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(12, 4)) * 2.0
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)

    def manual(chunk):
        marginal = chunk.mean(axis=0)
        return math.exp(np.mean([stats.entropy(row, marginal) for row in chunk]))

    scores = [manual(p[0:4]), manual(p[4:8]), manual(p[8:12])]
    mean, std = metrics.classifier_score(p, splits=3)
    assert mean == pytest.approx(np.mean(scores), rel=1e-10)
    assert std == pytest.approx(np.std(scores), rel=1e-8)
    assert std > 0
    assert isinstance(metrics.classifier_score(p), float)
    assert metrics.classifier_score(p) == pytest.approx(manual(p), rel=1e-10)
    assert 1.0 <= metrics.classifier_score(p) <= 4.0


@pytest.mark.parametrize("probabilities, splits, message", [
    (np.array([0.5, 0.5]), 1, "2-D"),
    (np.array([[0.5, 0.6], [0.5, 0.5]]), 1, "sum to 1"),
    (np.array([[1.5, -0.5]]), 1, "non-negative"),
    (np.eye(3), 4, "splits"),
    (np.eye(3), 0, "splits"),
])
def test_classifier_score_rejects_bad_inputs(probabilities, splits, message):
    with pytest.raises(ValueError, match=message):
        metrics.classifier_score(probabilities, splits=splits)


# --- frechet_distance ---------------------------------------------------------------------

def test_frechet_distance_one_dimensional_closed_form():
    rng = np.random.default_rng(1)
    x = rng.normal(1.0, 2.0, size=(400, 1))
    y = rng.normal(-0.5, 0.5, size=(300, 1))
    m1, m2 = x.mean(), y.mean()
    s1, s2 = x.std(ddof=1), y.std(ddof=1)
    expected = (m1 - m2) ** 2 + s1 ** 2 + s2 ** 2 - 2 * s1 * s2
    assert metrics.frechet_distance(x, y) == pytest.approx(expected, rel=1e-9)


def test_frechet_distance_diagonal_covariances():
    # Zero-mean, mutually orthogonal Hadamard columns: the sample covariances are exactly diagonal.
    h = linalg.hadamard(8).astype(float)
    x = np.array([1.0, -2.0, 0.5]) + h[:, 1:4] * np.array([1.0, 2.0, 3.0])
    y = np.array([0.0, 1.0, 0.5]) + h[:, 4:7] * np.array([0.5, 1.0, 4.0])
    for data in (x, y):
        covariance = np.cov(data, rowvar=False)
        np.testing.assert_allclose(covariance - np.diag(np.diag(covariance)), 0.0, atol=1e-12)
    v1, v2 = x.var(axis=0, ddof=1), y.var(axis=0, ddof=1)
    expected = np.sum((x.mean(0) - y.mean(0)) ** 2) + np.sum((np.sqrt(v1) - np.sqrt(v2)) ** 2)
    assert expected == pytest.approx(1 + 9 + 0 + 8 / 7 * (0.25 + 1 + 1), rel=1e-12)
    assert metrics.frechet_distance(x, y) == pytest.approx(expected, rel=1e-9)


def test_frechet_distance_identical_sets_and_symmetry():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(50, 6))
    y = rng.normal(size=(40, 6)) @ rng.normal(size=(6, 6)) + 1.0
    assert metrics.frechet_distance(x, x) == pytest.approx(0.0, abs=1e-8)
    d_xy, d_yx = metrics.frechet_distance(x, y), metrics.frechet_distance(y, x)
    assert d_xy > 1.0
    assert d_xy == pytest.approx(d_yx, rel=1e-6)


def test_frechet_distance_rank_deficient_covariance_is_finite():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(4, 16)), rng.normal(size=(5, 16)) + 0.5
    value = metrics.frechet_distance(x, y)
    assert np.isfinite(value) and value >= 0.0
    # The mean term alone is a lower bound: ||mu_x - mu_y||^2 <= d^2.
    assert value >= np.sum((x.mean(0) - y.mean(0)) ** 2) - 1e-9


def test_frechet_distance_from_statistics_by_hand():
    # (0 - 1)^2 + 4 + 1 - 2 * sqrt(4 * 1) = 2
    assert metrics.frechet_distance_from_statistics([0.0], [[4.0]], [1.0], [[1.0]]) == pytest.approx(2.0)
    sigma = np.diag([4.0, 9.0])
    assert metrics.frechet_distance_from_statistics([1.0, 1.0], sigma, [1.0, 1.0], sigma) == \
        pytest.approx(0.0, abs=1e-12)


def test_frechet_distance_rejects_bad_inputs():
    with pytest.raises(ValueError, match="dimension"):
        metrics.frechet_distance(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="at least 2"):
        metrics.frechet_distance(np.zeros((1, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="2-D"):
        metrics.frechet_distance(np.zeros(5), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="sigma1"):
        metrics.frechet_distance_from_statistics([0.0, 0.0], np.eye(3), [0.0, 0.0], np.eye(2))


# --- accuracies and confusion matrix ------------------------------------------------------

def test_accuracies_and_confusion_matrix():
    p = np.array([[0.8, 0.1, 0.1], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.5, 0.2, 0.3]])
    labels = np.array([0, 1, 1, 2])                  # argmax is [0, 1, 2, 0]
    assert metrics.accuracy(p, labels) == 0.5
    assert metrics.conditional_accuracy(p, np.array([0, 1, 2, 0])) == 1.0
    expected = np.array([[1, 0, 0], [0, 1, 1], [1, 0, 0]])
    np.testing.assert_array_equal(metrics.confusion_matrix(np.argmax(p, 1), labels, 3), expected)
    np.testing.assert_array_equal(metrics.confusion_matrix(p, labels, 3), expected)
    assert metrics.confusion_matrix([0, 1], [1, 1], 4).sum() == 2
    with pytest.raises(ValueError, match="labels"):
        metrics.accuracy(p, np.array([0, 1, 3, 0]))
    with pytest.raises(ValueError, match="requested_labels"):
        metrics.conditional_accuracy(p, np.array([0.0, 1.0, 2.0, 0.0]))
    with pytest.raises(ValueError, match="num_classes"):
        metrics.confusion_matrix([0], [0], 0)


# --- si_sdr and snr -----------------------------------------------------------------------

def _orthogonal_noise(reference, ratio_db, rng):
    """Zero-mean noise orthogonal to zero-mean ``reference`` with ``||s||^2/||n||^2 = 10^(dB/10)``."""
    noise = rng.normal(size=reference.shape)
    noise -= noise.mean()
    noise -= (noise @ reference) / (reference @ reference) * reference
    return noise * math.sqrt((reference @ reference) / (noise @ noise) / 10 ** (ratio_db / 10))


def test_si_sdr_known_energy_ratio_per_example():
    rng = np.random.default_rng(4)
    targets = [-5.0, 0.0, 10.0, 25.0]
    reference = rng.normal(size=(4, 2000))
    reference -= reference.mean(axis=1, keepdims=True)
    estimate = np.stack([0.3 * (s + _orthogonal_noise(s, db, rng)) for s, db in zip(reference, targets)])
    values = metrics.si_sdr(reference, estimate)
    assert values.shape == (4,)
    np.testing.assert_allclose(values, targets, atol=0.01)
    assert metrics.si_sdr(reference[1], estimate[1]) == pytest.approx(0.0, abs=0.01)
    assert isinstance(metrics.si_sdr(reference[1], estimate[1]), float)


def test_si_sdr_is_scale_invariant():
    rng = np.random.default_rng(5)
    reference, noise = rng.normal(size=(3, 500)), rng.normal(size=(3, 500))
    estimate = reference + 0.5 * noise
    base = metrics.si_sdr(reference, estimate)
    for scale in (0.01, 3.0, -7.0):
        np.testing.assert_allclose(metrics.si_sdr(reference, scale * estimate), base, atol=1e-4)
    assert not np.allclose(metrics.snr(reference, 3.0 * estimate), metrics.snr(reference, estimate))


def test_si_sdr_zero_mean_by_hand():
    s, estimate = np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 2.0])
    # zero mean: s' = (-1, 0, 1), e' = (-1, 1, 0), alpha = 1/2, ||t||^2 = 1/2, ||e' - t||^2 = 3/2
    assert metrics.si_sdr(s, estimate) == pytest.approx(10 * math.log10(1 / 3), abs=1e-6)
    # raw: alpha = 13/14, ||t||^2 = 169/14, ||e - t||^2 = 14 - 169/14 = 27/14
    assert metrics.si_sdr(s, estimate, zero_mean=False) == pytest.approx(10 * math.log10(169 / 27), abs=1e-6)
    # A DC offset on the estimate is ignored only with zero_mean.
    assert metrics.si_sdr(s, estimate + 5.0) == pytest.approx(metrics.si_sdr(s, estimate), abs=1e-9)
    # raw with offset: e = (6, 8, 7), alpha = 43/14, ||t||^2 = 1849/14, ||e - t||^2 = 149 - 1849/14 = 237/14
    assert metrics.si_sdr(s, estimate + 5.0, zero_mean=False) == pytest.approx(10 * math.log10(1849 / 237), abs=1e-6)


def test_snr_by_hand():
    reference = np.array([[3.0, 4.0], [1.0, 1.0]])
    estimate = np.array([[3.0, 3.5], [0.0, 0.0]])
    # 10 log10(25 / 0.25) = 20 ; 10 log10(2 / 2) = 0
    np.testing.assert_allclose(metrics.snr(reference, estimate), [20.0, 0.0], atol=1e-6)
    rng = np.random.default_rng(6)
    s = rng.normal(size=1000)
    noise = 0.1 * rng.normal(size=1000)
    assert metrics.snr(s, s + noise) == pytest.approx(10 * math.log10((s @ s) / (noise @ noise)), abs=1e-6)


def test_signal_metrics_reject_mismatched_lengths():
    for fn in (metrics.si_sdr, metrics.snr):
        with pytest.raises(ValueError, match="estimate"):
            fn(np.zeros((2, 100)), np.zeros((2, 99)))
        with pytest.raises(ValueError, match="reference"):
            fn(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)))


# --- log_mel_l1 -----------------------------------------------------------------------------

def test_log_mel_l1_by_hand():
    reference = np.array([[[0.0, 1.0], [2.0, 3.0]], [[-80.0, -80.0], [0.0, 0.0]]])   # (2, T=2, M=2)
    estimate = np.array([[[1.0, 1.0], [2.0, 0.0]], [[-70.0, -90.0], [4.0, 0.0]]])
    # |diffs| example 0: 1, 0, 0, 3 -> 1.0 ; example 1: 10, 10, 4, 0 -> 6.0
    np.testing.assert_allclose(metrics.log_mel_l1(reference, estimate), [1.0, 6.0])
    assert metrics.log_mel_l1(reference[1], estimate[1]) == 6.0


@pytest.mark.parametrize("extra", [-2, -1, 1, 2])
def test_log_mel_l1_crops_one_or_two_frames(extra):
    rng = np.random.default_rng(7)
    reference = rng.normal(size=(3, 10, 4))
    estimate = reference + 2.0                       # |diff| = 2 everywhere they overlap
    if extra > 0:
        estimate = np.concatenate([estimate, np.full((3, extra, 4), 100.0)], axis=1)
    else:
        reference = np.concatenate([reference, np.full((3, -extra, 4), -100.0)], axis=1)
    np.testing.assert_allclose(metrics.log_mel_l1(reference, estimate), [2.0, 2.0, 2.0])


def test_log_mel_l1_rejects_more_than_two_frames_or_other_mels():
    with pytest.raises(ValueError, match="more than 2"):
        metrics.log_mel_l1(np.zeros((2, 10, 4)), np.zeros((2, 13, 4)))
    with pytest.raises(ValueError, match="more than 2"):
        metrics.log_mel_l1(np.zeros((10, 4)), np.zeros((7, 4)))
    with pytest.raises(ValueError, match="estimate_log_mel"):
        metrics.log_mel_l1(np.zeros((2, 10, 4)), np.zeros((2, 10, 5)))


def test_frechet_distance_with_fewer_samples_than_dimensions_matches_the_eigenvalue_form():
    from gan_audio.metrics.distributions import _trace_sqrt_product

    rng = np.random.default_rng(11)
    x, y = rng.normal(size=(20, 64)), rng.normal(size=(20, 64)) + 0.5
    value = metrics.frechet_distance(x, y)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    # Tr((S1 S2)^1/2) = sum of the square roots of the eigenvalues of S1 S2 (real, >= 0 for PSD S1, S2).
    eig = np.clip(np.linalg.eigvals(s1 @ s2).real, 0, None)
    expected = np.sum((x.mean(0) - y.mean(0)) ** 2) + np.trace(s1) + np.trace(s2) - 2 * np.sum(np.sqrt(eig))
    assert np.isfinite(value) and value == pytest.approx(expected, rel=1e-3)
    spd = np.diag([4.0, 9.0])
    assert _trace_sqrt_product(spd, np.eye(2)) == pytest.approx(5.0)
