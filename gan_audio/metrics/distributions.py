"""Distribution-level metrics: classifier (Inception) score, Fréchet distance,
accuracies and the confusion matrix, on numpy arrays of classifier outputs
(probabilities ``p(y|x)``, shape ``(N, K)``) or embeddings (``(N, D)``)."""
import warnings

import numpy as np
from scipy import linalg

from gan_audio.argument_checks import integer

_LOG_CLIP = 1e-12


def _matrix(probabilities):
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or p.size == 0:
        raise ValueError(f"`probabilities` must be a non-empty 2-D (N, K) array, got shape {p.shape}.")
    return p


def _probabilities(probabilities):
    p = _matrix(probabilities)
    if not np.all(np.isfinite(p)) or np.any(p < -1e-6):
        raise ValueError("`probabilities` must be finite and non-negative.")
    worst = float(np.max(np.abs(p.sum(axis=1) - 1.0)))
    if worst > 1e-3:
        raise ValueError(f"`probabilities` rows must sum to 1 (within 1e-3); one is off by {worst:.3g}.")
    return p


def _score(p):
    """``exp(mean_x KL(p(y|x) || p(y)))`` of one chunk; zero entries add nothing."""
    marginal = p.mean(axis=0, keepdims=True)
    log_ratio = np.log(np.clip(p, _LOG_CLIP, None)) - np.log(np.clip(marginal, _LOG_CLIP, None))
    kl = np.sum(p * log_ratio, axis=1)
    return float(np.exp(np.mean(kl)))


def classifier_score(probabilities, splits=1):
    """Inception (classifier) score ``exp(E_x[KL(p(y|x) || p(y))])``.

    ``p(y|x)`` are the judge's class probabilities, one row per generated
    example, and ``p(y) = 1/N sum_x p(y|x)`` their mean over the rows;
    ``KL(p || q) = sum_k p_k (log p_k - log q_k)`` with probabilities clipped
    at 1e-12 inside the logs. The score lies in ``[1, K]``: 1 when every row
    is the same, K when every row is one-hot and the classes are equally
    often predicted. With ``splits > 1`` the N rows are cut into ``splits``
    contiguous chunks (rows ``i N // splits`` to ``(i + 1) N // splits``),
    each scored on its own.

    Args:
        probabilities (array): ``(N, K)``, rows summing to 1 (within 1e-3).
        splits (int): Number of chunks, ``1 <= splits <= N``. Defaults to 1.

    Returns:
        float with ``splits=1``, else ``(mean, std)`` (population std) over
        the chunks' scores.

    Example:
        >>> round(classifier_score(np.eye(4)), 6)
        4.0
        >>> round(classifier_score(np.full((3, 4), 0.25)), 6)
        1.0
    """
    p = _probabilities(probabilities)
    integer("splits", splits)
    n = p.shape[0]
    if n < splits:
        raise ValueError(f"`splits` ({splits}) must not exceed the number of rows N ({n}).")
    if splits == 1:
        return _score(p)
    scores = [_score(p[i * n // splits:(i + 1) * n // splits]) for i in range(splits)]
    return float(np.mean(scores)), float(np.std(scores))


def frechet_distance_from_statistics(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """Fréchet distance between the Gaussians ``N(mu1, sigma1)`` and ``N(mu2, sigma2)``.

    ``d^2 = ||mu1 - mu2||^2 + Tr(sigma1 + sigma2 - 2 (sigma1 sigma2)^{1/2})``,
    the matrix square root by ``scipy.linalg.sqrtm``. If it is not finite,
    ``eps`` is added to both diagonals and it is taken again (as the reference
    FID code does). A complex result has its imaginary part dropped, unless
    its largest magnitude exceeds 1e-3 of the trace of the real part: then
    (rank-deficient covariances, fewer samples than dimensions) the trace is
    taken as ``sum_i sqrt(lambda_i)`` over the eigenvalues of the symmetric
    ``sigma1^{1/2} sigma2 sigma1^{1/2}``, which has the same spectrum as
    ``sigma1 sigma2`` and is real for any covariances.
    Round-off negatives are clipped to 0.

    Args:
        mu1, mu2 (array): Means ``(D,)``.
        sigma1, sigma2 (array): Covariances ``(D, D)``.
        eps (float): Diagonal offset of the retry. Defaults to 1e-6.

    Returns:
        float ``>= 0``.

    Example:
        >>> frechet_distance_from_statistics([0.0], [[4.0]], [1.0], [[1.0]])
        2.0
    """
    mu1, mu2 = (np.atleast_1d(np.asarray(m, np.float64)) for m in (mu1, mu2))
    sigma1, sigma2 = (np.atleast_2d(np.asarray(s, np.float64)) for s in (sigma1, sigma2))
    d = mu1.shape[0]
    if mu1.ndim != 1 or mu2.shape != mu1.shape:
        raise ValueError(f"`mu1` and `mu2` must be vectors of one length, got {mu1.shape} and {mu2.shape}.")
    if sigma1.shape != (d, d) or sigma2.shape != (d, d):
        raise ValueError(f"`sigma1` and `sigma2` must be ({d}, {d}), got {sigma1.shape} and {sigma2.shape}.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        covmean = linalg.sqrtm(sigma1 @ sigma2)
        if not np.all(np.isfinite(covmean)):
            offset = np.eye(d) * eps
            covmean = linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if not np.all(np.isfinite(covmean)):
        raise ValueError("`sigma1 sigma2` has no finite square root, even with `eps` on the diagonals.")
    trace = float(np.trace(covmean.real))
    if np.iscomplexobj(covmean):
        imaginary = float(np.max(np.abs(covmean.imag)))
        if imaginary > 1e-3 * max(abs(trace), _LOG_CLIP):
            trace = _trace_sqrt_product(sigma1, sigma2)
    diff = mu1 - mu2
    value = diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * trace
    return float(max(value, 0.0))


def _trace_sqrt_product(sigma1, sigma2):
    """``Tr((sigma1 sigma2)^{1/2})`` for symmetric PSD matrices, through the
    eigenvalues of ``sigma1^{1/2} sigma2 sigma1^{1/2}`` (real, >= 0)."""
    values, vectors = np.linalg.eigh((sigma1 + sigma1.T) / 2)
    root = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
    inner = np.linalg.eigvalsh(root @ ((sigma2 + sigma2.T) / 2) @ root)
    return float(np.sum(np.sqrt(np.clip(inner, 0.0, None))))


def _embeddings(x, name):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"`{name}` must be 2-D (N, D), got shape {x.shape}.")
    if x.shape[0] < 2:
        raise ValueError(f"`{name}` needs at least 2 rows for a covariance, got {x.shape[0]}.")
    return x


def frechet_distance(x, y):
    """Fréchet distance between two sets of embeddings (FID / FAD style).

    ``d^2 = ||mu_x - mu_y||^2 + Tr(S_x + S_y - 2 (S_x S_y)^{1/2})`` with the
    sample means ``mu`` and unbiased covariances ``S = 1/(N-1) sum (x - mu)(x - mu)^T``
    of each set, computed by :func:`frechet_distance_from_statistics`.

    Args:
        x (array): ``(N1, D)`` embeddings, ``N1 >= 2``.
        y (array): ``(N2, D)`` embeddings, ``N2 >= 2``, same ``D``.

    Returns:
        float ``>= 0`` (0 for identical sets).

    Example:
        >>> x = np.array([[0.0], [2.0]])  # mean 1, variance 2
        >>> round(frechet_distance(x, x + 3.0), 6)
        9.0
    """
    x, y = _embeddings(x, "x"), _embeddings(y, "y")
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"`x` and `y` must have the same dimension D, got {x.shape[1]} and {y.shape[1]}.")
    return frechet_distance_from_statistics(
        x.mean(axis=0), np.atleast_2d(np.cov(x, rowvar=False)),
        y.mean(axis=0), np.atleast_2d(np.cov(y, rowvar=False)))


def _labels(labels, n, k, name):
    labels = np.asarray(labels)
    if labels.shape != (n,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"`{name}` must be an integer array of shape ({n},), got {labels.dtype} {labels.shape}.")
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(f"`{name}` must lie in [0, {k}), got values in [{labels.min()}, {labels.max()}].")
    return labels


def _hit_rate(probabilities, labels, name):
    p = _matrix(probabilities)
    labels = _labels(labels, p.shape[0], p.shape[1], name)
    return float(np.mean(np.argmax(p, axis=1) == labels))


def accuracy(probabilities, labels):
    """Fraction of rows whose most probable class is the true label.

    ``acc = 1/N sum_i [argmax_k p_ik = y_i]``.

    Args:
        probabilities (array): ``(N, K)`` class probabilities (or scores).
        labels (array): ``(N,)`` integer labels in ``[0, K)``.

    Returns:
        float in ``[0, 1]``.

    Example:
        >>> accuracy([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], [0, 1, 1])
        0.6666666666666666
    """
    return _hit_rate(probabilities, labels, "labels")


def conditional_accuracy(probabilities, requested_labels):
    """Fraction of generated examples the judge classifies as the requested class.

    ``acc = 1/N sum_i [argmax_k p(k | G(z_i, c_i)) = c_i]`` for a conditional
    generator asked for class ``c_i``.

    Args:
        probabilities (array): ``(N, K)`` judge probabilities on generated data.
        requested_labels (array): ``(N,)`` integer classes requested.

    Returns:
        float in ``[0, 1]``.

    Example:
        >>> conditional_accuracy(np.eye(3), [0, 1, 0])
        0.6666666666666666
    """
    return _hit_rate(probabilities, requested_labels, "requested_labels")


def confusion_matrix(predicted, labels, num_classes):
    """Counts ``C[t, p]`` of examples of true label ``t`` predicted as ``p``.

    Args:
        predicted (array): ``(N,)`` integer predictions, or ``(N, K)``
            probabilities (their argmax is taken).
        labels (array): ``(N,)`` integer true labels.
        num_classes (int): ``K``; every label must lie in ``[0, K)``.

    Returns:
        int64 array ``(K, K)``, rows true labels, columns predictions.

    Example:
        >>> confusion_matrix([0, 1, 1], [0, 0, 1], 2)
        array([[1, 1],
               [0, 1]])
    """
    integer("num_classes", num_classes)
    predicted = np.asarray(predicted)
    if predicted.ndim == 2:
        predicted = np.argmax(predicted, axis=1)
    if predicted.ndim != 1:
        raise ValueError(f"`predicted` must be (N,) labels or (N, K) probabilities, got shape {predicted.shape}.")
    predicted = _labels(predicted, predicted.shape[0], num_classes, "predicted")
    labels = _labels(labels, predicted.shape[0], num_classes, "labels")
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix
