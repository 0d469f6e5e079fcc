"""Optional perceptual speech-quality metrics: PESQ (ITU-T P.862) through the
``pesq`` package and STOI (Taal et al. 2011) through ``pystoi``. Neither is a
core dependency: install the extra with ``pip install 'gan_audio[quality]'``.
The packages are imported only when a function needs them."""
import importlib
import warnings

import numpy as np

_EXTRA = "pip install 'gan_audio[quality]'"
_MODULES = {"pesq": "pesq", "stoi": "pystoi"}


def available():
    """Which optional metrics can run here.

    Returns:
        dict ``{"pesq": bool, "stoi": bool}``, True when the package imports.

    Example:
        >>> sorted(available())
        ['pesq', 'stoi']
    """
    found = {}
    for metric, module in _MODULES.items():
        try:
            importlib.import_module(module)
            found[metric] = True
        except ImportError:
            found[metric] = False
    return found


def _load(metric):
    try:
        return importlib.import_module(_MODULES[metric])
    except ImportError:
        raise ImportError(f"{metric.upper()} needs the optional extra: {_EXTRA}") from None


def _pair(reference, estimate, sample_rate):
    reference = np.asarray(reference, dtype=np.float64)
    estimate = np.asarray(estimate, dtype=np.float64)
    if reference.ndim not in (1, 2):
        raise ValueError(f"`reference` must be (S,) or (N, S), got shape {reference.shape}.")
    if estimate.shape != reference.shape:
        raise ValueError(f"`estimate` must match `reference` in shape, got {estimate.shape} and {reference.shape}.")
    if not isinstance(sample_rate, (int, np.integer)) or sample_rate <= 0:
        raise ValueError(f"`sample_rate` must be a positive integer, got {sample_rate!r}.")
    return np.atleast_2d(reference), np.atleast_2d(estimate), reference.ndim == 1


def pesq_score(reference, estimate, sample_rate):
    """PESQ MOS-LQO of ``estimate`` against ``reference``, per example.

    Wide-band mode (``'wb'``, P.862.2, about 1.0 to 4.64) at 16 kHz,
    narrow-band (``'nb'``, P.862.1) at 8 kHz; any other rate is first
    resampled to 16 kHz with ``soxr.resample`` and scored wide-band.

    Args:
        reference (array): ``(N, S)`` or ``(S,)`` clean speech.
        estimate (array): Same shape, degraded / generated speech.
        sample_rate (int): Rate of both, in Hz.

    Returns:
        ``(N,)`` float64 array, or a float for ``(S,)`` inputs; NaN where PESQ
        detects no utterance (a clip of silence or clicks), as `stoi_score`
        for clips too short to score.

    Raises:
        ImportError: ``pesq`` is not installed (the ``quality`` extra).

    Example:
        >>> "pesq" in available()  # pesq_score(clean, clean, 16000) is about 4.64
        True
    """
    reference, estimate, single = _pair(reference, estimate, sample_rate)
    pesq = _load("pesq")
    mode = "nb" if sample_rate == 8000 else "wb"
    if sample_rate not in (8000, 16000):
        import soxr
        reference = np.stack([soxr.resample(r, sample_rate, 16000) for r in reference])
        estimate = np.stack([soxr.resample(e, sample_rate, 16000) for e in estimate])
        sample_rate = 16000
    values = np.array([pesq.pesq(sample_rate, r, e, mode, on_error=pesq.PesqError.RETURN_VALUES)
                       for r, e in zip(reference, estimate)], dtype=np.float64)
    values[values < 0] = np.nan  # PESQ found no utterance in a clip (e.g. mostly silence): no score
    return float(values[0]) if single else values


def stoi_score(reference, estimate, sample_rate, extended=False):
    """Short-time objective intelligibility of ``estimate``, per example.

    STOI is the mean correlation of short-time (384 ms) one-third-octave
    envelopes of both signals at 10 kHz (``pystoi`` resamples itself), in
    about ``[0, 1]``, higher is more intelligible; ``extended=True`` gives
    ESTOI (Jensen & Taal 2016). It needs 30 frames (384 ms) of speech after
    its silent frames are removed; for shorter clips (an isolated word can
    be) ``pystoi`` warns and returns 1e-5, which would drag a mean down as if
    the clip were unintelligible: those clips score NaN here instead (average
    with ``np.nanmean`` and say how many were scored).

    Args:
        reference (array): ``(N, S)`` or ``(S,)`` clean speech.
        estimate (array): Same shape, degraded / generated speech.
        sample_rate (int): Rate of both, in Hz.
        extended (bool): ESTOI instead of STOI. Defaults to False.

    Returns:
        ``(N,)`` float64 array, or a float for ``(S,)`` inputs; NaN where a
        clip has too little speech to score.

    Raises:
        ImportError: ``pystoi`` is not installed (the ``quality`` extra).

    Example:
        >>> "stoi" in available()  # stoi_score(clean, clean, 16000) is about 1.0
        True
    """
    reference, estimate, single = _pair(reference, estimate, sample_rate)
    pystoi = _load("stoi")
    values = np.array([_stoi_or_nan(pystoi, r, e, sample_rate, extended) for r, e in zip(reference, estimate)])
    return float(values[0]) if single else values


def _stoi_or_nan(pystoi, reference, estimate, sample_rate, extended):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = pystoi.stoi(reference, estimate, sample_rate, extended=extended)
    too_short = any("Not enough STFT frames" in str(w.message) for w in caught)
    return float("nan") if too_short else float(value)
