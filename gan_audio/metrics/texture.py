"""Sound-texture statistics (McDermott & Simoncelli 2011), on numpy waveforms.

Pipeline for a clip ``x`` of ``S`` samples at rate ``sr`` (all FFTs are
circular: a clip is treated as one period of a periodic signal):

1. Cochlear filterbank, applied in the FFT domain. ``E(f) = 21.4 log10(1 +
   0.00437 f)`` is the ERB-number scale; ``B`` centres ``e_b = E(low) + (b + 1)
   D``, ``D = (E(high) - E(low)) / (B + 1)``; filter ``H_b(f) = cos(pi/2 (E(f)
   - e_b) / D)`` where ``|E(f) - e_b| < D``, else 0 (half-cosines of width
   ``2 D``, M&S's filters; ``sum_b H_b(f)^2 = 1`` between the first and last
   centres).
2. Envelopes: ``a_b(t) = |ifft(Z_b)|``, with ``Z_b[k] = (1 + [0 < k < S/2])
   X[k] H_b(f_k)`` for ``k <= S/2`` and 0 above (the analytic signal of the
   sub-band ``irfft(X H_b)``), compressed to ``e_b = a_b^c`` (``c = 0.3``) and
   FFT-resampled (``scipy.signal.resample``) to ``L = round(S r / sr)``
   samples at about ``r = envelope_rate`` Hz (400).
3. Per band, with ``mu_b = <e_b>``, ``sigma_b^2 = <(e_b - mu_b)^2>`` (means
   over time ``<.>``, population moments): ``mean = mu_b``; ``variance =
   sigma_b^2 / mu_b^2`` (squared coefficient of variation, M&S's M2);
   ``skewness = <(e_b - mu_b)^3> / sigma_b^3``; ``kurtosis = <(e_b - mu_b)^4> /
   sigma_b^4`` (not excess: 3 for Gaussian envelopes).
4. ``correlation``: ``C_jk = <(e_j - mu_j)(e_k - mu_k)> / (sigma_j sigma_k)``
   for ``j < k`` (the ``np.triu_indices(B, 1)`` order), ``B (B - 1) / 2`` values.
5. ``modulation``: ``M`` centres ``m_i`` log-spaced over ``modulation_range``
   (1-64 Hz, octaves), filters ``G_i(f) = cos(pi/2 (log2 f - log2 m_i) / d)``
   where ``|log2 f - log2 m_i| < d`` (``d`` = centre spacing in octaves).
   With ``P_b[k] = |rfft(e_b - mu_b)[k]|^2`` and ``w_k = 2`` (1 at DC, Nyquist),
   ``modulation[b, i] = sum_k w_k P_b[k] G_i(f_k)^2 / sum_k w_k P_b[k]``, i.e.
   (Parseval) the modulation-band power over the envelope variance
   ``sigma_{b,i}^2 / sigma_b^2``: the fraction of the variance in band ``i``.

Ratios whose denominator is 0 (a constant envelope) are set to 0.

:mod:`gan_audio.metrics.texture_comparison` compares sets of clips by these statistics.
"""
import numpy as np
from scipy import signal

from gan_audio.argument_checks import integer

STATISTICS = ("mean", "variance", "skewness", "kurtosis", "correlation", "modulation")
_TINY = 1e-30


def _erb(f):
    return 21.4 * np.log10(1.0 + 0.00437 * np.asarray(f, dtype=np.float64))


def _ratio(numerator, denominator):
    return np.divide(numerator, denominator, out=np.zeros(np.broadcast(numerator, denominator).shape),
                     where=denominator > _TINY)


def _half_cosines(scale, centres, half_width):
    """``cos(pi/2 (scale - c) / half_width)`` inside ``|scale - c| < half_width``, shape ``(C, K)``."""
    offset = (scale[None, :] - np.asarray(centres)[:, None]) / half_width
    return np.where(np.abs(offset) < 1.0, np.cos(0.5 * np.pi * np.clip(offset, -1.0, 1.0)), 0.0)


def band_centres(sample_rate=16000, num_bands=32, low_hz=50.0, high_hz=None):
    """Centre frequencies (Hz) of the ERB-spaced filterbank, ``(B,)``.

    ``E^{-1}(E(low) + (b + 1) D)``, ``D = (E(high) - E(low)) / (B + 1)``, ``b = 0 .. B - 1``.

    Example:
        >>> band_centres(16000, 2, 0.0, 8000.0).round(1)  # E = 33.29 / 3 and 2 * 33.29 / 3
        array([ 526.5, 2264.2])
    """
    centres, _ = _erb_centres(sample_rate, num_bands, low_hz, high_hz)
    return (10.0 ** (centres / 21.4) - 1.0) / 0.00437


def _erb_centres(sample_rate, num_bands, low_hz, high_hz):
    """ERB-number centres ``e_b`` and spacing ``D``, after checking the arguments."""
    if isinstance(sample_rate, bool) or not np.isscalar(sample_rate) or not sample_rate > 0:
        raise ValueError(f"`sample_rate` must be a positive number, got {sample_rate!r}.")
    integer("num_bands", num_bands, 2)
    high_hz = sample_rate / 2.0 if high_hz is None else high_hz
    if not 0 <= low_hz < high_hz <= sample_rate / 2.0:
        raise ValueError(f"Need 0 <= `low_hz` < `high_hz` <= sample_rate / 2, got {low_hz} and {high_hz}.")
    lo, hi = _erb(low_hz), _erb(high_hz)
    width = (hi - lo) / (num_bands + 1)
    return lo + width * np.arange(1, num_bands + 1), width


def _one_sided_gain(n):
    """``rfft`` bin weights ``(n // 2 + 1,)``: 2 strictly between DC and Nyquist, else 1."""
    gain = np.ones(n // 2 + 1)
    gain[1:(n + 1) // 2] = 2.0
    return gain


def checked_waveforms(waveforms, name, min_clips=1):
    """`waveforms` as a float64 ``(S,)`` or ``(N, S)`` array of at least `min_clips` clips (finite), else a
    ValueError naming `name`."""
    x = np.asarray(waveforms, dtype=np.float64)
    if x.ndim not in (1, 2) or x.size == 0:
        raise ValueError(f"`{name}` must be a non-empty (S,) or (N, S) array, got shape {x.shape}.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"`{name}` must be finite (no NaN or inf).")
    if x.ndim == 2 and x.shape[0] < min_clips:
        raise ValueError(f"`{name}` needs at least {min_clips} clips, got {x.shape[0]}.")
    return x


def subband_envelopes(waveforms, sample_rate=16000, num_bands=32, low_hz=50.0, high_hz=None,
                      compression=0.3, envelope_rate=400.0):
    """Compressed, resampled sub-band envelopes ``e_b(t)`` (steps 1-2 of the module docstring).

    Args:
        waveforms (array): ``(N, S)`` or ``(S,)`` float waveforms.
        sample_rate (float): Hz. Defaults to 16000.
        num_bands (int): ``B >= 2`` ERB-spaced bands. Defaults to 32.
        low_hz, high_hz (float): Filterbank edges; ``high_hz`` defaults to ``sample_rate / 2``.
        compression (float): Exponent ``c`` in ``(0, 1]``. Defaults to 0.3.
        envelope_rate (float): Envelope rate ``r`` in Hz (``>= sample_rate``
            keeps the full rate). Defaults to 400.

    Returns:
        ``(N, B, L)`` float64 (``(B, L)`` for ``(S,)`` input) and the envelope rate ``L sr / S``.

    Example:
        >>> t = np.arange(16000) / 16000
        >>> e, rate = subband_envelopes(np.sin(2 * np.pi * 1000 * t), num_bands=4, compression=1.0)
        >>> e.shape, rate
        ((4, 400), 400.0)
    """
    x = checked_waveforms(waveforms, "waveforms")
    centres, width = _erb_centres(sample_rate, num_bands, low_hz, high_hz)
    if not 0 < compression <= 1:
        raise ValueError(f"`compression` must lie in (0, 1], got {compression!r}.")
    if not envelope_rate > 0:
        raise ValueError(f"`envelope_rate` must be positive, got {envelope_rate!r}.")
    single, x = x.ndim == 1, np.atleast_2d(x)
    n_samples = x.shape[1]
    freqs = np.fft.rfftfreq(n_samples, 1.0 / sample_rate)
    filters = _half_cosines(_erb(freqs), centres, width)
    if np.any(filters.sum(axis=1) == 0):
        raise ValueError(f"Clips of {n_samples} samples are too short to resolve {num_bands} bands "
                         f"from {low_hz} Hz (a band holds no FFT bin).")
    gain = _one_sided_gain(n_samples)                      # analytic signal: double 0 < f < sr/2
    length = min(n_samples, max(1, int(round(n_samples * envelope_rate / sample_rate))))
    out = np.empty((x.shape[0], num_bands, length))
    for i, spectrum in enumerate(np.fft.rfft(x, axis=1)):
        analytic = np.zeros((num_bands, n_samples), dtype=np.complex128)
        analytic[:, :freqs.size] = spectrum * gain * filters
        envelope = np.abs(np.fft.ifft(analytic, axis=1)) ** compression
        out[i] = envelope if length == n_samples else signal.resample(envelope, length, axis=1)
    return (out[0] if single else out), length * sample_rate / n_samples


def texture_statistics(waveforms, sample_rate=16000, num_bands=32, low_hz=50.0, high_hz=None,
                       compression=0.3, envelope_rate=400.0, modulation_range=(1.0, 64.0),
                       num_modulation_bands=7):
    """Per-clip texture statistics of McDermott & Simoncelli (module docstring, steps 1-5).

    Args:
        waveforms (array): ``(N, S)`` or ``(S,)`` float waveforms, at least
            ``sample_rate / modulation_range[0]`` samples long.
        sample_rate, num_bands, low_hz, high_hz, compression, envelope_rate:
            As in :func:`subband_envelopes`.
        modulation_range (tuple): Lowest and highest modulation centre (Hz),
            the highest below ``envelope_rate / 2``. Defaults to (1, 64).
        num_modulation_bands (int): ``M >= 1`` log-spaced centres. Defaults to 7 (octaves).

    Returns:
        dict of float64 arrays: ``mean``, ``variance``, ``skewness``,
        ``kurtosis`` ``(N, B)``; ``correlation`` ``(N, B (B - 1) / 2)``;
        ``modulation`` ``(N, B, M)`` (the leading ``N`` dropped for ``(S,)`` input).

    Example:
        >>> stats = texture_statistics(np.random.default_rng(0).normal(size=(2, 16000)))
        >>> stats["correlation"].shape, stats["modulation"].shape
        ((2, 496), (2, 32, 7))
        >>> bool(abs(stats["kurtosis"].mean() - 3) < 0.5)  # near-Gaussian compressed envelopes
        True
    """
    x = checked_waveforms(waveforms, "waveforms")
    low_mod, high_mod = (float(v) for v in modulation_range)
    integer("num_modulation_bands", num_modulation_bands)
    if not 0 < low_mod <= high_mod < min(envelope_rate, sample_rate) / 2:
        raise ValueError(f"Need 0 < modulation_range[0] <= modulation_range[1] < envelope_rate / 2, "
                         f"got {modulation_range}.")
    if x.shape[-1] < sample_rate / low_mod:
        raise ValueError(f"Clips must last at least 1 / modulation_range[0] = {1 / low_mod:g} s "
                         f"({int(np.ceil(sample_rate / low_mod))} samples), got {x.shape[-1]}.")
    env, rate = subband_envelopes(x, sample_rate, num_bands, low_hz, high_hz, compression, envelope_rate)
    single, env = env.ndim == 2, env.reshape((-1,) + env.shape[-2:])
    mu = env.mean(axis=2)
    centred = env - mu[..., None]
    var = np.mean(centred ** 2, axis=2)
    sigma = np.sqrt(var)
    stats = {"mean": mu, "variance": _ratio(var, mu ** 2),
             "skewness": _ratio(np.mean(centred ** 3, axis=2), sigma ** 3),
             "kurtosis": _ratio(np.mean(centred ** 4, axis=2), var ** 2)}
    covariance = np.einsum("nbt,nct->nbc", centred, centred) / env.shape[2]
    upper = np.triu_indices(num_bands, 1)
    stats["correlation"] = _ratio(covariance, sigma[:, :, None] * sigma[:, None, :])[:, upper[0], upper[1]]
    centres = np.geomspace(low_mod, high_mod, num_modulation_bands)
    spacing = np.log2(high_mod / low_mod) / (num_modulation_bands - 1) if high_mod > low_mod else 1.0
    log_f = np.log2(np.maximum(np.fft.rfftfreq(env.shape[2], 1.0 / rate), _TINY))  # DC: outside all
    mod_filters = _half_cosines(log_f, np.log2(centres), spacing) ** 2
    power = np.abs(np.fft.rfft(centred, axis=2)) ** 2 * _one_sided_gain(env.shape[2])
    stats["modulation"] = _ratio(power @ mod_filters.T, power.sum(axis=2)[..., None])
    return {k: v[0] for k, v in stats.items()} if single else stats


def flatten_texture_statistics(statistics):
    """Concatenate a :func:`texture_statistics` dict into feature vectors.

    Order: ``mean, variance, skewness, kurtosis, correlation, modulation``
    (``modulation`` flattened band-major), so ``D = 4 B + B (B - 1) / 2 + B M``.

    Args:
        statistics (dict): Output of :func:`texture_statistics`.

    Returns:
        ``(N, D)`` float64 (``(D,)`` for a single clip's statistics).

    Example:
        >>> x = np.random.default_rng(0).normal(size=(2, 16000))
        >>> flatten_texture_statistics(texture_statistics(x, num_bands=4)).shape  # 4 * 4 + 6 + 4 * 7
        (2, 50)
    """
    flat = np.concatenate(statistic_groups(statistics, "statistics"), axis=1)
    return flat[0] if np.ndim(statistics["mean"]) == 1 else flat


def statistic_groups(statistics, name):
    """The six groups as ``(N, D_g)`` arrays."""
    if not isinstance(statistics, dict) or set(statistics) != set(STATISTICS):
        raise ValueError(f"`{name}` must be a dict with keys {STATISTICS}.")
    mean = np.asarray(statistics["mean"], dtype=np.float64)
    n = 1 if mean.ndim == 1 else mean.shape[0]
    return [np.asarray(statistics[k], dtype=np.float64).reshape(n, -1) for k in STATISTICS]
