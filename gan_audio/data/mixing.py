"""Noise and babble for data augmentation and denoising tasks (numpy, seeded).

All functions are deterministic for a given ``seed`` and keep peaks within
[-1, 1] (by scaling the whole mixture, which leaves SNRs unchanged).

Example:
    >>> import numpy as np
    >>> from gan_audio.data import colored_noise, mix_at_snr
    >>> clean = np.sin(np.arange(16000) * 0.05).astype("float32") * 0.5
    >>> noisy = mix_at_snr(clean, colored_noise("pink", 16000, seed=0), snr_db=10.0)
    >>> noisy.shape, float(np.abs(noisy).max()) <= 1.0
    ((16000,), True)
"""
import numpy as np

NOISE_EXPONENTS = {"white": 0.0, "pink": 1.0, "brown": 2.0}


def _power(x):
    return np.mean(np.square(x, dtype=np.float64), axis=-1)


def colored_noise(kind, num_samples, seed=0):
    """Gaussian noise with power spectrum ~ 1/f^a, zero mean and unit RMS.

    Args:
        kind: ``"white"`` (a=0), ``"pink"`` (a=1, -10 dB/decade) or
            ``"brown"`` (a=2, -20 dB/decade).
        num_samples: length.
        seed: seed of ``np.random.default_rng``.

    Returns:
        float32 array ``(num_samples,)``.

    Example:
        >>> x = colored_noise("brown", 1000, seed=1)
        >>> round(float(np.sqrt(np.mean(x ** 2))), 4)
        1.0
    """
    if kind not in NOISE_EXPONENTS:
        raise ValueError(f"unknown noise kind {kind!r}; choose from {list(NOISE_EXPONENTS)}")
    num_samples = int(num_samples)
    if num_samples < 2:
        raise ValueError(f"num_samples must be >= 2, got {num_samples}")
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(num_samples))
    freqs = np.fft.rfftfreq(num_samples)
    freqs[0] = freqs[1]  # the DC bin is removed below; avoid division by zero
    spectrum *= freqs ** (-NOISE_EXPONENTS[kind] / 2)
    spectrum[0] = 0.0
    noise = np.fft.irfft(spectrum, n=num_samples)
    noise /= np.sqrt(_power(noise))
    return noise.astype(np.float32)


def _peak_gain(mixture):
    peak = np.max(np.abs(mixture), axis=-1, keepdims=True)
    return np.minimum(1.0, 1.0 / np.maximum(peak, 1e-12))


def mix_at_snr(clean, noise, snr_db, return_clean=False):
    """Add ``noise`` to ``clean`` at exactly ``snr_db`` (power ratio over the clip).

    Args:
        clean: ``(S,)`` or ``(N, S)`` signal.
        noise: same shape, or ``(S,)`` for all rows; tiled / cropped to length S.
        snr_db: float, or one value per row.
        return_clean: also return the clean signal with the same peak gain applied.

    Returns:
        ``noisy`` (float32), or ``(noisy, clean)`` with ``return_clean``. If the
        mixture would exceed [-1, 1], both parts are scaled down together, so
        ``10*log10(P(clean_out) / P(noisy - clean_out)) == snr_db`` still holds.

    Raises:
        ValueError: silent clean signal or silent noise.

    Example:
        >>> c = np.ones(100) * 0.1; n = np.r_[np.ones(50), -np.ones(50)]
        >>> y, c2 = mix_at_snr(c, n, 0.0, return_clean=True)
        >>> round(float(10 * np.log10(np.mean(c2 ** 2) / np.mean((y - c2) ** 2))), 6)
        0.0
    """
    clean = np.asarray(clean, dtype=np.float64)
    noise = np.asarray(noise, dtype=np.float64)
    length = clean.shape[-1]
    if noise.shape[-1] < length:
        noise = np.tile(noise, [1] * (noise.ndim - 1) + [-(-length // noise.shape[-1])])
    noise = noise[..., :length]
    p_clean, p_noise = _power(clean), _power(noise)
    if np.any(p_clean == 0):
        raise ValueError("mix_at_snr: clean signal is silent (zero power), SNR is undefined")
    if np.any(p_noise == 0):
        raise ValueError("mix_at_snr: noise is silent (zero power)")
    snr = np.asarray(snr_db, dtype=np.float64)
    scale = np.sqrt(p_clean / (p_noise * 10.0 ** (snr / 10.0)))
    noisy = clean + np.expand_dims(scale, -1) * noise
    gain = _peak_gain(noisy)
    noisy, clean = (noisy * gain).astype(np.float32), (clean * gain).astype(np.float32)
    return (noisy, clean) if return_clean else noisy


def _as_clip_array(clips, what):
    """Turn an (N, S) array or a tf.data.Dataset of waveforms into a float32 (N, S) array."""
    if hasattr(clips, "as_numpy_iterator"):
        import tensorflow as tf

        if clips.cardinality() == tf.data.INFINITE_CARDINALITY:
            raise ValueError(f"{what}: the dataset is infinite (repeat=True); use .take(n)")
        rows = []
        for elem in clips.as_numpy_iterator():
            wave = elem[0] if isinstance(elem, tuple) else elem
            rows.append(wave.reshape(-1, wave.shape[-1]))
        if not rows:
            raise ValueError(f"{what}: the dataset is empty")
        clips = np.concatenate(rows)
    clips = np.asarray(clips, dtype=np.float32)
    if clips.ndim != 2 or clips.shape[0] == 0:
        raise ValueError(f"{what}: expected clips of shape (N, S), got {clips.shape}")
    return clips


def noisy_clean_pairs(clips, snr_db=5.0, kinds=("white", "pink", "brown"), seed=0, noise_fn=None):
    """Make (noisy, clean) training pairs by adding noise to each clip.

    Args:
        clips: ``(N, S)`` array, or a tf.data.Dataset of waveforms (batched or not,
            optionally ``(waveform, label)``).
        snr_db: SNR in dB, or a ``(low, high)`` range sampled uniformly per clip.
        kinds: noise kinds chosen at random per clip (see :func:`colored_noise`).
        seed: seed: same seed -> same output.
        noise_fn: ``(kind, num_samples, seed) -> noise``; default :func:`colored_noise`
            (`gan_audio.data.noises.make_noise` adds hum, clatter, music and babble).

    Returns:
        ``(noisy, clean)`` float32 arrays of shape ``(N, S)``; silent clips are
        returned unchanged (noisy == clean == zeros).

    Example:
        >>> noisy, clean = noisy_clean_pairs(np.full((3, 800), 0.1), snr_db=(0, 10))
        >>> noisy.shape, clean.shape
        ((3, 800), (3, 800))
    """
    clips = _as_clip_array(clips, "noisy_clean_pairs")
    rng = np.random.default_rng(seed)
    n, length = clips.shape
    if np.ndim(snr_db) == 0:
        snrs = np.full(n, float(snr_db))
    else:
        low, high = snr_db
        snrs = rng.uniform(low, high, size=n)
    which = rng.integers(0, len(kinds), size=n)
    noise_seeds = rng.integers(0, 2 ** 32, size=n)
    noise_fn = noise_fn or colored_noise
    noise = np.stack([noise_fn(kinds[k], length, int(s)) for k, s in zip(which, noise_seeds)])
    noisy, clean = clips.copy(), clips.copy()
    ok = _power(clips) > 0
    if ok.any():
        noisy[ok], clean[ok] = mix_at_snr(clips[ok], noise[ok], snrs[ok], return_clean=True)
    return noisy, clean


def noisy_clean_dataset(clips, batch_size=None, **kwargs):
    """Like :func:`noisy_clean_pairs` but returns a ``tf.data.Dataset`` of (noisy, clean).

    Args:
        clips: as in :func:`noisy_clean_pairs`.
        batch_size: batch the pairs, or None.
        **kwargs: ``snr_db``, ``kinds``, ``seed``.

    Example:
        >>> ds = noisy_clean_dataset(np.full((4, 100), 0.1), batch_size=2)
        >>> [tuple(t.shape) for t in next(iter(ds))]
        [(2, 100), (2, 100)]
    """
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices(noisy_clean_pairs(clips, **kwargs))
    return ds.batch(batch_size) if batch_size else ds


def babble(clips, num_talkers=6, num_examples=None, seed=0, rms=0.1):
    """Multi-talker babble: sums of ``num_talkers`` different, randomly shifted clips.

    Every talker is scaled to unit RMS before summing (all talkers equally
    loud), circularly shifted by a random offset, and the sum is normalised to
    ``rms`` (then scaled down if its peak would exceed 1).

    Args:
        clips: ``(N, S)`` array or tf.data.Dataset of waveforms; silent rows are ignored.
        num_talkers: K, the number of different clips per example (<= non-silent N).
        num_examples: number of examples (default N).
        seed: seed: same seed -> same output.
        rms: target RMS of each example.

    Returns:
        float32 array ``(num_examples, S)``.

    Example:
        >>> b = babble(np.random.default_rng(0).uniform(-.5, .5, (10, 400)), 3, 5)
        >>> b.shape, round(float(np.sqrt(np.mean(b[0] ** 2))), 3)
        ((5, 400), 0.1)
    """
    clips = _as_clip_array(clips, "babble")
    power = _power(clips)
    voiced = clips[power > 0] / np.sqrt(power[power > 0])[:, None]
    if not 1 <= num_talkers <= len(voiced):
        raise ValueError(f"babble: num_talkers={num_talkers} but only {len(voiced)} "
                         "non-silent clips are available")
    num_examples = len(clips) if num_examples is None else int(num_examples)
    rng = np.random.default_rng(seed)
    length = clips.shape[1]
    out = np.zeros((num_examples, length), dtype=np.float64)
    for i in range(num_examples):
        for j in rng.choice(len(voiced), size=num_talkers, replace=False):
            out[i] += np.roll(voiced[j], int(rng.integers(0, length)))
    power = _power(out)
    out *= (rms / np.sqrt(np.maximum(power, 1e-30)))[:, None]
    out *= _peak_gain(out)
    return out.astype(np.float32)
