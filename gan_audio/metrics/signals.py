"""Signal-level metrics between a reference and an estimate, per example:
scale-invariant SDR, SNR (both in dB, on waveforms) and the L1 distance of
log-mel spectrograms (in dB). Arrays are batched ``(N, ...)`` or single."""
import numpy as np

EPS = 1e-8


def _pair(reference, estimate):
    """Both as float64 ``(N, S)`` and whether the input was a single signal."""
    reference = np.asarray(reference, dtype=np.float64)
    estimate = np.asarray(estimate, dtype=np.float64)
    if reference.ndim not in (1, 2):
        raise ValueError(f"`reference` must be (S,) or (N, S), got shape {reference.shape}.")
    if estimate.shape != reference.shape:
        raise ValueError(f"`estimate` must match `reference` in shape (and length), "
                         f"got {estimate.shape} and {reference.shape}.")
    single = reference.ndim == 1
    return np.atleast_2d(reference), np.atleast_2d(estimate), single


def _out(values, single):
    return float(values[0]) if single else values


def si_sdr(reference, estimate, zero_mean=True):
    """Scale-invariant signal-to-distortion ratio in dB (Le Roux et al. 2019).

    With ``s`` the reference and ``ŝ`` the estimate (each minus its own mean
    when ``zero_mean``): ``alpha = <s, ŝ> / ||s||^2``, ``target = alpha s``,
    ``SI-SDR = 10 log10(||target||^2 / ||ŝ - target||^2)``. Rescaling ``ŝ``
    leaves it unchanged. Denominators get ``eps = 1e-8`` (so do the energy
    ratio's numerator), keeping a perfect estimate finite.

    Args:
        reference (array): ``(N, S)`` or ``(S,)`` clean signals.
        estimate (array): Same shape, the signals to score.
        zero_mean (bool): Remove each signal's mean first. Defaults to True.

    Returns:
        ``(N,)`` float64 array, or a float for ``(S,)`` inputs.

    Example:
        >>> s = np.array([1.0, -1.0, 1.0, -1.0])
        >>> round(si_sdr(s, 3.0 * s + 0.1 * np.array([1.0, 1.0, -1.0, -1.0])), 4)  # 10 log10(36 / 0.04)
        29.5424
    """
    reference, estimate, single = _pair(reference, estimate)
    if zero_mean:
        reference = reference - reference.mean(axis=1, keepdims=True)
        estimate = estimate - estimate.mean(axis=1, keepdims=True)
    alpha = np.sum(reference * estimate, axis=1, keepdims=True) / (
        np.sum(reference ** 2, axis=1, keepdims=True) + EPS)
    target = alpha * reference
    ratio = (np.sum(target ** 2, axis=1) + EPS) / (np.sum((estimate - target) ** 2, axis=1) + EPS)
    return _out(10.0 * np.log10(ratio), single)


def snr(reference, estimate):
    """Signal-to-noise ratio in dB: ``10 log10(||s||^2 / ||s - ŝ||^2)``.

    Not scale-invariant: a rescaled estimate counts the difference as noise.
    Both energies get ``eps = 1e-8``.

    Args:
        reference (array): ``(N, S)`` or ``(S,)`` clean signals ``s``.
        estimate (array): Same shape, the estimates ``ŝ``.

    Returns:
        ``(N,)`` float64 array, or a float for ``(S,)`` inputs.

    Example:
        >>> round(snr([3.0, 4.0], [3.0, 3.5]), 4)  # 10 log10(25 / 0.25)
        20.0
    """
    reference, estimate, single = _pair(reference, estimate)
    ratio = (np.sum(reference ** 2, axis=1) + EPS) / (np.sum((reference - estimate) ** 2, axis=1) + EPS)
    return _out(10.0 * np.log10(ratio), single)


def log_mel_l1(reference_log_mel, estimate_log_mel):
    """Mean absolute difference of log-mel spectrograms (dB), per example.

    ``L1 = 1/(T M) sum_{t, m} |L_ref[t, m] - L_est[t, m]|``. A vocoder may
    return a frame more or less than the reference: time axes differing by
    at most 2 frames are both cropped to the shorter; more is an error.

    Args:
        reference_log_mel (array): ``(N, T, M)`` or ``(T, M)`` (time, mel).
        estimate_log_mel (array): Same rank and ``M``, ``T`` within 2 frames.

    Returns:
        ``(N,)`` float64 array, or a float for ``(T, M)`` inputs.

    Example:
        >>> ref = np.zeros((3, 2))
        >>> log_mel_l1(ref, np.array([[1.0, -1.0], [2.0, 0.0], [0.0, 0.0], [5.0, 5.0]]))  # last frame cropped
        0.6666666666666666
    """
    reference = np.asarray(reference_log_mel, dtype=np.float64)
    estimate = np.asarray(estimate_log_mel, dtype=np.float64)
    if reference.ndim not in (2, 3):
        raise ValueError(f"`reference_log_mel` must be (T, M) or (N, T, M), got shape {reference.shape}.")
    if estimate.ndim != reference.ndim or estimate.shape[-1] != reference.shape[-1] \
            or estimate.shape[:-2] != reference.shape[:-2]:
        raise ValueError(f"`estimate_log_mel` must match `reference_log_mel` except in T, "
                         f"got {estimate.shape} and {reference.shape}.")
    t_ref, t_est = reference.shape[-2], estimate.shape[-2]
    if abs(t_ref - t_est) > 2:
        raise ValueError(f"`estimate_log_mel` has {t_est} frames and `reference_log_mel` {t_ref}: "
                         "more than 2 apart.")
    frames = min(t_ref, t_est)
    difference = np.abs(reference[..., :frames, :] - estimate[..., :frames, :])
    values = difference.reshape(-1, frames * reference.shape[-1]).mean(axis=1)
    return float(values[0]) if reference.ndim == 2 else values
