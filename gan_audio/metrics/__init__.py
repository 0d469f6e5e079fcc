"""Array-level evaluation metrics: pure functions on numpy arrays.

Distributions (:mod:`gan_audio.metrics.distributions`), on the judge's class
probabilities ``p(y|x)`` ``(N, K)`` or on embeddings ``(N, D)``:

* classifier_score: Inception score ``exp(E_x[KL(p(y|x) || p(y))])``,
  ``p(y) = E_x[p(y|x)]``; in ``[1, K]``; ``splits`` chunks give ``(mean, std)``.
* frechet_distance / frechet_distance_from_statistics:
  ``||mu_x - mu_y||^2 + Tr(S_x + S_y - 2 (S_x S_y)^{1/2})`` with sample means
  and unbiased covariances (FID / FAD on the judge's embeddings).
* accuracy / conditional_accuracy: ``1/N sum_i [argmax_k p_ik = y_i]``, with
  ``y_i`` the true or the requested (conditioning) class.
* confusion_matrix: counts ``C[true, predicted]``.

Signals (:mod:`gan_audio.metrics.signals`), per example on ``(N, S)`` or ``(S,)``:

* si_sdr: ``10 log10(||alpha s||^2 / ||ŝ - alpha s||^2)``,
  ``alpha = <s, ŝ> / ||s||^2`` (scale-invariant, dB).
* snr: ``10 log10(||s||^2 / ||s - ŝ||^2)`` (dB).
* log_mel_l1: ``mean |L_ref - L_est|`` of log-mel spectrograms ``(N, T, M)``
  (dB), time axes cropped to the shorter if at most 2 frames apart.

Perceptual (:mod:`gan_audio.metrics.perceptual`), optional extra ``quality``
(``pip install 'gan_audio[quality]'``):

* pesq_score: PESQ MOS-LQO (wide-band at 16 kHz, narrow-band at 8 kHz,
  other rates resampled to 16 kHz).
* stoi_score: STOI (or ESTOI) intelligibility in about ``[0, 1]``.
* available: ``{"pesq": bool, "stoi": bool}``.

Texture (:mod:`gan_audio.metrics.texture`), McDermott & Simoncelli (2011), on ``(N, S)`` waveforms:

* texture_statistics: ERB-spaced half-cosine filterbank (FFT domain), envelopes
  ``e_b = |analytic_b|^0.3`` at about 400 Hz; per band ``mean``, ``variance``
  (``sigma^2 / mu^2``), ``skewness``, ``kurtosis`` ``(N, B)``; ``correlation``
  of envelopes ``(N, B (B - 1) / 2)``; ``modulation`` power in octave bands
  1-64 Hz over the envelope variance ``(N, B, M)``.
* flatten_texture_statistics: that dict as ``(N, D)`` feature vectors.

Texture comparison (:mod:`gan_audio.metrics.texture_comparison`), of two sets of clips:

* texture_distance: ``1/6 sum_g mean_{j in g} |mean_gen_j - mean_real_j| / s_real_j``
  (real-set std, ddof 1); 0 for identical sets.
* texture_diversity: mean pairwise standardised distance within generated over
  within real clips (about 1 as diverse as real, 0 for mode collapse).

Example:
    >>> import numpy as np
    >>> round(classifier_score(np.eye(3)), 6)
    3.0
    >>> float(si_sdr(np.array([1.0, -1.0]), np.array([2.0, -2.0]))) > 70
    True
"""
from gan_audio.metrics.distributions import (
    accuracy,
    classifier_score,
    conditional_accuracy,
    confusion_matrix,
    frechet_distance,
    frechet_distance_from_statistics,
)
from gan_audio.metrics.perceptual import available, pesq_score, stoi_score
from gan_audio.metrics.signals import log_mel_l1, si_sdr, snr
from gan_audio.metrics.texture import flatten_texture_statistics, texture_statistics
from gan_audio.metrics.texture_comparison import texture_distance, texture_diversity

__all__ = [
    "accuracy",
    "available",
    "classifier_score",
    "conditional_accuracy",
    "confusion_matrix",
    "flatten_texture_statistics",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "log_mel_l1",
    "pesq_score",
    "si_sdr",
    "snr",
    "stoi_score",
    "texture_distance",
    "texture_diversity",
    "texture_statistics",
]
