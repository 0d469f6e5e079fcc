"""Oracle masks: what a real gain per STFT bin could reach if it knew the clean speech.

`benchmarks/denoise.py --oracle` scores these beside the denoisers, on the same
mixtures, to tell what limits a spectral-mask denoiser such as
`SpectralMaskDenoiser` (a gain in [0, 1] per bin of a 512-sample Hann STFT with
hop 128, the noisy phase kept):

- *oracle mask in [0, 1]*: ``min(|S| / |X|, 1)`` per bin (S the clean STFT, X the
  noisy one): the best such a model's output form allows, bin by bin;
- *clean magnitude, noisy phase*: ``|S| · X / |X|``: any real gain, however large;
  the gap between it and the clean clip (SI-SDR ∞, PESQ 4.64) is what the noisy
  phase costs by itself.

If the shipped model sits far below the first row, its size, receptive field,
loss or training are the limit, not the mask; if the first row itself sits near
the model, the mask form (real, bounded, noisy phase) is.

    >>> import numpy as np
    >>> clean = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000).astype(np.float32)
    >>> bool(np.allclose(oracle_mask(clean, clean), clean, atol=1e-4))
    True
"""
import numpy as np
from scipy.signal import istft, stft

FRAME_LENGTH, FRAME_STEP = 512, 128  # SpectralMaskDenoiser's `default`


def _spectra(noisy, clean):
    options = {"window": "hann", "nperseg": FRAME_LENGTH, "noverlap": FRAME_LENGTH - FRAME_STEP}
    _, _, x = stft(noisy, **options)
    _, _, s = stft(clean, **options)
    return x, s, options


def _back(spectrum, length, options):
    _, audio = istft(spectrum, **options)
    audio = audio[:length]
    return np.pad(audio, (0, length - len(audio))).astype(np.float32)


def oracle_mask(noisy, clean):
    """The noisy clip with ``min(|S| / |X|, 1)`` on every STFT bin: the best gain in [0, 1]."""
    x, s, options = _spectra(np.asarray(noisy, np.float64), np.asarray(clean, np.float64))
    gain = np.minimum(np.abs(s) / np.maximum(np.abs(x), 1e-12), 1.0)
    return _back(gain * x, len(noisy), options)


def clean_magnitude_noisy_phase(noisy, clean):
    """The clean STFT magnitude with the noisy STFT phase: any real gain, unbounded."""
    x, s, options = _spectra(np.asarray(noisy, np.float64), np.asarray(clean, np.float64))
    return _back(np.abs(s) * np.exp(1j * np.angle(x)), len(noisy), options)


#: ``{row name: fn(noisy, clean)}`` for `benchmarks/denoise.py --oracle`.
ORACLES = {"oracle mask in [0, 1]": oracle_mask, "clean magnitude, noisy phase": clean_magnitude_noisy_phase}
