"""Speech-texture clips: multi-talker babble built from word recordings.

A texture source is written ``babble`` (the default densities), ``babble:8``
or ``babble:4,8,16`` (K talkers per clip): babble built from `spoken_digits`.

Example:
    >>> from gan_audio.data.textures import babble_clips, parse_babble
    >>> parse_babble("babble:4,8")
    (4, 8)
    >>> babble_clips("spoken_digits", 16000, 32000, talkers=(8,), num_textures=4).shape
    (4, 32000)
"""
import numpy as np

from gan_audio.data.mixing import babble
from gan_audio.data.pipelines import audio_dataset

BABBLE = "babble"
#: Talkers per clip when a source says only ``babble``.
DEFAULT_TALKERS = (4, 8, 16)


def parse_babble(data, default=DEFAULT_TALKERS):
    """``"babble"`` → `default`; ``"babble:K[,K...]"`` → the K's; anything else → None.

    Raises:
        ValueError: ``babble:`` followed by anything but positive integers.
    """
    if not isinstance(data, str) or not (data == BABBLE or data.startswith(BABBLE + ":")):
        return None
    if data == BABBLE:
        return tuple(default)
    parts = data[len(BABBLE) + 1:].split(",")
    if not all(p.strip().isdigit() and int(p) > 0 for p in parts):
        raise ValueError(f"--data {data!r}: write babble:K or babble:K1,K2,... with K talkers per clip "
                         "(positive integers), e.g. babble:8.")
    return tuple(int(p) for p in parts)


def talker_streams(words, length, seed=0):
    """One stream per word clip: `length` samples of random clips of `words` ``(N, S)``
    laid end to end, cut at a random offset; streams under a tenth of the mean
    power (mostly silence) are dropped. Returns ``(M, length)``."""
    rng = np.random.default_rng(seed)
    per_stream = length // words.shape[1] + 2
    picks = rng.integers(0, len(words), (len(words), per_stream))
    offsets = rng.integers(0, words.shape[1], len(words))
    streams = np.stack([words[p].reshape(-1)[o:o + length] for p, o in zip(picks, offsets)])
    power = np.mean(np.square(streams), axis=1)
    return streams[power > 0.1 * np.mean(power)]


def babble_clips(source, sample_rate, clip_samples, talkers=DEFAULT_TALKERS, num_textures=512, seed=0,
                 strict=False):
    """``(num_textures, clip_samples)`` float32 babble clips from the word clips of `source`.

    Each talker is a stream of random words (`talker_streams`); clip i sums
    K talkers (`gan_audio.data.babble`: equally loud, randomly shifted, RMS
    0.1). The clips are split evenly over the densities `talkers`, in that
    order; everything is seeded by `seed`.

    Args:
        source: word recordings: a bundled name, folder, glob, file list or
            `AudioFiles` (e.g. one side of `speaker_split`).
        sample_rate: int, Hz. clip_samples: int, samples per clip.
        talkers: int or ints, K talkers per clip. Defaults to 4, 8 and 16.
        num_textures: int >= the number of densities. Defaults to 512.
        seed: int. strict: raise on the first bad file instead of skipping it.
    """
    talkers = [int(talkers)] if np.ndim(talkers) == 0 else [int(k) for k in talkers]
    if num_textures < len(talkers):
        raise ValueError(f"num_textures={num_textures} is smaller than the {len(talkers)} densities {talkers}.")
    words = audio_dataset(source, sample_rate=sample_rate, labels=None, batch_size=None, shuffle=False,
                          training=False, strict=strict)
    words = np.stack(list(words.as_numpy_iterator()))
    streams = talker_streams(words, clip_samples, seed)
    if max(talkers) > len(streams):
        raise ValueError(f"babble:{max(talkers)} needs {max(talkers)} talkers; {source} gives {len(streams)}.")
    counts = np.diff(np.linspace(0, num_textures, len(talkers) + 1).astype(int))
    return np.concatenate([babble(streams, k, n, seed=seed + k) for k, n in zip(talkers, counts)])


def spectrum_matched_noise(clips, num, seed=0, rms=0.1):
    """``(num, S)`` Gaussian noise with the long-term average spectrum of `clips` ``(N, S)``.

    The baseline a texture model must beat: the same spectrum, none of the
    structure in time (envelopes, modulations) that makes babble babble. Each
    clip is white noise shaped in the frequency domain by the clips' RMS
    magnitude spectrum, scaled to `rms`. Seeded by `seed`.
    """
    clips = np.asarray(clips, dtype=np.float64)
    if clips.ndim != 2 or len(clips) == 0:
        raise ValueError(f"clips must be a non-empty (N, S) array, got shape {clips.shape}.")
    length = clips.shape[1]
    magnitude = np.sqrt(np.mean(np.abs(np.fft.rfft(clips, axis=1)) ** 2, axis=0))
    white = np.random.default_rng(seed).standard_normal((int(num), length))
    shaped = np.fft.irfft(np.fft.rfft(white, axis=1) * magnitude, n=length, axis=1)
    shaped *= rms / np.maximum(np.sqrt(np.mean(shaped ** 2, axis=1, keepdims=True)), 1e-12)
    return shaped.astype(np.float32)
