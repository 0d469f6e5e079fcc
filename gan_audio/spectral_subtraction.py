"""Power spectral subtraction (Boll 1979): the classical denoising baseline.

The benchmark (`benchmarks/denoise.py`) and notebook 05 compare the
WaveNet denoiser with it. Numpy/scipy only; no training.
"""
import numpy as np
from scipy import signal

from gan_audio.time_windows import pad_or_trim


def spectral_subtraction(noisy, sample_rate, frame_length=512, frame_step=128, noise_quantile=0.1,
                         over_subtraction=1.0, floor=0.01):
    """A noisy waveform's power-subtraction estimate, same length (float32 ``(S,)``).

    Maths: with the STFT ``X(t, f)`` (Hann window, `frame_length` /
    `frame_step`) and the noise power ``N(f)`` estimated as the mean of
    ``|X|²`` over the `noise_quantile` of frames with the least energy (the
    pauses; the noise is assumed stationary), each bin is scaled by::

        G(t, f) = sqrt(max(1 - α N(f) / |X(t, f)|², floor²))

    (α = `over_subtraction`) and the noisy phase is kept; the inverse STFT
    (overlap-add) gives the estimate.

    Args:
        noisy: 1-D float array.
        sample_rate: int, Hz (sets the STFT's time axis only).
        frame_length, frame_step: STFT sizes in samples. Defaults 512 / 128.
        noise_quantile: float in (0, 1], fraction of quietest frames that
            estimate the noise. Defaults to 0.1.
        over_subtraction: float α >= 0. Defaults to 1 (plain power subtraction).
        floor: float >= 0, the smallest gain (amplitude). Defaults to 0.01 (-40 dB).

    Example:
    ```python
    rng = np.random.default_rng(0)
    tone = np.sin(2 * np.pi * 440 * np.arange(16000) / 16000) * (np.arange(16000) > 8000)
    clean = spectral_subtraction(tone + 0.1 * rng.normal(size=16000), 16000)  # (16000,)
    ```
    """
    noisy = np.asarray(noisy, dtype=np.float64)
    if noisy.ndim != 1 or noisy.size == 0:
        raise ValueError(f"`noisy` must be 1-D audio with at least one sample, got shape {noisy.shape}.")
    if not 0 < noise_quantile <= 1:
        raise ValueError(f"`noise_quantile` must be in (0, 1], got {noise_quantile!r}.")
    if over_subtraction < 0 or floor < 0:
        raise ValueError(f"`over_subtraction` and `floor` must be >= 0, got {over_subtraction!r}, {floor!r}.")
    padded = np.pad(noisy, (0, max(0, frame_length - noisy.size)))
    _, _, spectrum = signal.stft(padded, fs=sample_rate, window="hann", nperseg=frame_length,
                                 noverlap=frame_length - frame_step, boundary="zeros", padded=True)
    power = np.abs(spectrum) ** 2
    energy = power.sum(axis=0)
    quiet = np.argsort(energy)[: max(1, int(round(noise_quantile * energy.size)))]
    noise = power[:, quiet].mean(axis=1, keepdims=True)
    gain = np.sqrt(np.maximum(1.0 - over_subtraction * noise / np.maximum(power, 1e-20), floor**2))
    _, estimate = signal.istft(gain * spectrum, fs=sample_rate, window="hann", nperseg=frame_length,
                               noverlap=frame_length - frame_step, boundary=True)
    return pad_or_trim(estimate, noisy.size).astype(np.float32)
