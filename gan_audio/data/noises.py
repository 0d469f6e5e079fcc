"""Realistic noises for denoising: mains hum, clicks, clatter, music and multi-talker babble (numpy, seeded).

`make_noise(kind, num_samples, seed, bank)` gives unit-RMS noise of any of
`NOISE_KINDS`: the coloured noises of `gan_audio.data.colored_noise`,
synthetic ``hum``, ``clicks`` and ``clatter``, and ``music`` / ``babble`` cut from real
recordings held by a `NoiseBank`. The same seed gives the same noise.

Example:
    >>> import numpy as np
    >>> x = make_noise("hum", 16000, seed=0)
    >>> x.shape, round(float(np.sqrt(np.mean(x ** 2))), 3)
    ((16000,), 1.0)
    >>> bank = NoiseBank(talkers=[np.sin(np.arange(8000) * f) for f in (0.01, 0.02, 0.03, 0.05)])
    >>> make_noise("babble", 4000, seed=1, bank=bank).shape
    (4000,)
"""
import os

import numpy as np
from scipy.signal import lfilter

from gan_audio.data.mixing import NOISE_EXPONENTS, colored_noise

#: Every kind `make_noise` makes; ``music`` and ``babble`` need recordings in a `NoiseBank`.
NOISE_KINDS = (*NOISE_EXPONENTS, "hum", "clicks", "clatter", "music", "babble")
RECORDED_KINDS = ("music", "babble")
#: The music tracks of ``real_speech:music`` kept out of training (other artists than the training tracks).
HELD_OUT_MUSIC = ("manolo_camp-morning_coffee", "reno_project-system")


def _unit_rms(x):
    x = np.asarray(x, dtype=np.float64)
    x = x - x.mean()
    rms = np.sqrt(np.mean(x ** 2))
    return (x / rms if rms > 0 else x).astype(np.float32)


def hum(num_samples, sample_rate=16000, seed=0):
    """Mains hum: 50 or 60 Hz (±0.5 %) and up to 12 harmonics of random level and phase, slightly clipped
    (the buzz of a ground loop), with a slow level wobble."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(num_samples)) / sample_rate
    f0 = rng.choice([50.0, 60.0]) * rng.uniform(0.995, 1.005)
    x = np.zeros_like(t)
    for k in range(1, 13):
        if k * f0 < sample_rate / 2:
            x += rng.uniform(0, 1) / k ** rng.uniform(0.3, 1.5) * np.sin(2 * np.pi * k * f0 * t + rng.uniform(0, 2 * np.pi))
    x = np.tanh(rng.uniform(0.5, 3.0) * x / (np.abs(x).max() + 1e-12))
    x *= 1 + 0.1 * np.sin(2 * np.pi * rng.uniform(0.1, 1.0) * t)
    return _unit_rms(x)


def clicks(num_samples, sample_rate=16000, seed=0):
    """Clicks, pops and crackle: bursts of coloured noise at random times (1-30 per second, 0.1-3 ms,
    levels over 30 dB), no resonance. The transient kind training can use while `clatter` (impacts that
    ring) stays unheard: a denoiser must learn to remove impulses, not to recognise one sound."""
    rng = np.random.default_rng(seed)
    n = int(num_samples)
    x = np.zeros(n)
    pole = rng.uniform(-0.5, 0.95)  # one-pole colouring of the bursts: from bright crackle to dull pops
    for start in rng.integers(0, n, size=rng.poisson(rng.uniform(1, 30) * n / sample_rate)):
        length = max(2, int(rng.uniform(0.0001, 0.003) * sample_rate))
        burst = rng.standard_normal(length) * np.hanning(length + 2)[1:-1] * 10 ** (rng.uniform(-30, 0) / 20)
        burst = lfilter([1.0], [1.0, -pole], burst)
        end = min(n, start + length)
        x[start:end] += burst[:end - start]
    if not np.any(x):
        x[rng.integers(0, n)] = 1.0
    return _unit_rms(x)


def clatter(num_samples, sample_rate=16000, seed=0):
    """Clicks and clatter: impacts at random times (2-12 per second, levels over 20 dB), each a few
    damped resonances (0.5-6 kHz, 2-40 ms) excited by a short noise burst."""
    rng = np.random.default_rng(seed)
    n = int(num_samples)
    x = np.zeros(n)
    events = rng.poisson(rng.uniform(2, 12) * n / sample_rate)
    length = int(0.2 * sample_rate)
    t = np.arange(length) / sample_rate
    for start in rng.integers(0, n, size=events):
        impact = np.zeros(length)
        for _ in range(rng.integers(1, 4)):
            decay = rng.uniform(0.002, 0.04)
            impact += np.exp(-t / decay) * np.sin(2 * np.pi * rng.uniform(500, 6000) * t + rng.uniform(0, 6.3))
        impact[:32] += rng.standard_normal(32) * np.linspace(1, 0, 32)
        impact *= 10 ** (rng.uniform(-20, 0) / 20)
        end = min(n, start + length)
        x[start:end] += impact[:end - start]
    if not np.any(x):
        x[rng.integers(0, n)] = 1.0
    return _unit_rms(x)


class NoiseBank:
    """Recordings that ``music`` and ``babble`` noise is cut from.

    Args:
        music: 1-D arrays (tracks at the model's rate); a crop of one, at a random offset.
        talkers: 1-D arrays of speech; babble sums 3-8 random crops of them, each at unit RMS.

    `from_files` loads them (``real_speech:music`` holds music; `HELD_OUT_MUSIC` names the
    tracks training leaves out).
    """

    def __init__(self, music=(), talkers=()):
        self.music = [np.asarray(m, np.float32) for m in music]
        self.talkers = [np.asarray(t, np.float32) for t in talkers]
        self._speech = np.concatenate(self.talkers) if self.talkers else np.zeros(0, np.float32)

    @classmethod
    def from_files(cls, music=(), talkers=(), sample_rate=16000):
        """Load the files (paths) of `music` and `talkers` at `sample_rate`; unreadable ones are skipped,
        each named in one warning."""
        from gan_audio.data.audio_io import readable_audio

        load = lambda paths: [a for _, a in readable_audio(list(paths), sample_rate)] if paths else []  # noqa: E731
        return cls(load(music), load(talkers))

    def crop(self, source, num_samples, rng):
        if len(source) < num_samples:
            source = np.tile(source, -(-num_samples // len(source)))
        start = int(rng.integers(0, len(source) - num_samples + 1))
        return source[start:start + num_samples]

    def sample(self, kind, num_samples, seed):
        rng = np.random.default_rng(seed)
        if kind == "music":
            if not self.music:
                raise ValueError("music noise needs music recordings (NoiseBank(music=...), e.g. real_speech:music)")
            return _unit_rms(self.crop(self.music[rng.integers(len(self.music))], num_samples, rng))
        if len(self._speech) == 0:
            raise ValueError("babble noise needs speech recordings (NoiseBank(talkers=...))")
        mix = np.zeros(num_samples)
        for _ in range(int(rng.integers(3, 9))):
            mix += _unit_rms(self.crop(self._speech, num_samples, rng))
        return _unit_rms(mix)


def make_noise(kind, num_samples, seed=0, bank=None, sample_rate=16000):
    """Unit-RMS noise of `kind` (one of `NOISE_KINDS`), float32 ``(num_samples,)``.

    Raises:
        ValueError: an unknown kind, or ``music``/``babble`` without a `bank` holding recordings.
    """
    if kind in NOISE_EXPONENTS:
        return colored_noise(kind, num_samples, seed)
    if kind == "hum":
        return hum(num_samples, sample_rate, seed)
    if kind == "clicks":
        return clicks(num_samples, sample_rate, seed)
    if kind == "clatter":
        return clatter(num_samples, sample_rate, seed)
    if kind in RECORDED_KINDS:
        if bank is None:
            raise ValueError(f"{kind} noise needs a NoiseBank of recordings")
        return bank.sample(kind, int(num_samples), seed)
    raise ValueError(f"unknown noise kind {kind!r}; choose from {list(NOISE_KINDS)}")


def music_split(paths):
    """``(training tracks, held-out tracks)`` of music files, by `HELD_OUT_MUSIC` names."""
    held = [p for p in paths if os.path.splitext(os.path.basename(p))[0] in HELD_OUT_MUSIC]
    return [p for p in paths if p not in held], held
