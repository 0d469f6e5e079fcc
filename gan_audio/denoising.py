"""Denoising: noisy audio of any length and rate → a denoiser's clean estimate, and its training data.

`denoise` runs a denoiser (a `WaveNetDenoiser`, a run folder or an export,
used through the serving contract only: ``serving_default`` takes
``noisy (B, S)`` and returns ``waveform (B, S)``; ``serving_metadata``
gives ``sample_rate`` and ``receptive_field``) on long audio in overlapping
chunks; `denoise_files` does it for files; `denoiser_dataset` is the data
recipe ``(noisy, clean)`` pairs for `fit`.
"""
import functools
import os

import numpy as np
import soxr
import tensorflow as tf

from gan_audio.argument_checks import integer, number
from gan_audio.data import audio_dataset, find_audio_files, noisy_clean_pairs, readable_audio
from gan_audio.data.augment import augmented
from gan_audio.data.noises import NOISE_KINDS, RECORDED_KINDS, NoiseBank, make_noise, music_split
from gan_audio.recipes import DEFAULTS, TrainingData, clip_cache
from gan_audio.samples import write_wav
from gan_audio.serving import SERVING_DEFAULT
from gan_audio.serving_tasks import require_task
from gan_audio.sources import open_source
from gan_audio.time_windows import pad_or_trim

#: The recipe's defaults beyond `gan_audio.recipes.DEFAULTS`: SNRs drawn uniformly in
#: ``snr_db`` (dB) per clip, a noise colour drawn from ``noise_kinds`` per clip, a ``band_limit``
#: fraction of the clean clips low-passed to the telephone band before mixing.
DENOISER_DEFAULTS = {"snr_db": (0.0, 15.0), "noise_kinds": ("white", "pink", "brown"), "gain_db": (-12.0, 0.0),
                     "music": None, "babble": None, "band_limit": 0.0}
#: `denoise` scales its input to this peak (-1 dBFS, the level of `spoken_digits`) and the estimate back.
INPUT_PEAK = 0.89
#: Training crops this many dB below their batch's loudest count as pauses (see `with_noise`).
PAUSE_DB = 30.0


def open_denoiser(source):
    """A model, run folder or export that takes ``noisy`` audio; a clear error for anything else."""
    target = source if hasattr(source, "run_endpoint") else open_source(source)[0]
    name = source if isinstance(source, (str, os.PathLike)) else type(source).__name__
    return require_task(target, "denoise", name)


def chunk_starts(length, chunk, hop, align=1):
    """Chunk starts ``0, hop', 2 hop', …`` (`hop` rounded down to a multiple of `align`) and a last one,
    the largest multiple of `align` at most ``length - chunk`` (one chunk if it fits). The last chunk
    runs to `length`, so it is up to ``align - 1`` samples longer than `chunk`."""
    if length <= chunk:
        return [0]
    hop = max(align, hop // align * align)
    last = (length - chunk) // align * align
    return [start for start in range(0, length - chunk, hop) if start < last] + [last]


def chunk_weights(start, chunk, length, context, fade):
    """A chunk's crossfade weights ``(chunk,)``: 0 on the `context` samples next to an inner
    cut (outputs that saw the cut), ``sin²`` / ``cos²`` ramps of `fade` samples, 1 between."""
    weights = np.zeros(chunk)
    low = context if start > 0 else 0
    high = chunk - context if start + chunk < length else chunk
    weights[low:high] = 1.0
    ramp = np.sin(0.5 * np.pi * (np.arange(fade) + 0.5) / max(fade, 1)) ** 2
    if start > 0 and fade:
        weights[low:low + fade] = ramp
    if start + chunk < length and fade:
        weights[high - fade:high] = ramp[::-1]
    return weights


def denoise(model, waveform, sample_rate, chunk_seconds=4.0, fade_seconds=0.01, batch_size=4, normalize=True):
    """A denoiser's estimate of `waveform`, at its own rate and length (float32 ``(S,)``).

    The audio is resampled to the model's rate (soxr "HQ", as the data
    pipeline), cut into chunks of `chunk_seconds` and run in batches, then
    put back together and resampled to `sample_rate` (content above the
    model's Nyquist frequency is dropped). With `normalize`, the whole
    signal is first scaled to a peak of `INPUT_PEAK` (the training data's
    level) and the estimate scaled back: a denoiser trained at one level
    may not carry over to quieter or louder recordings (for the shipped
    one, see ``benchmarks/denoise.py --gain-db -10 [--raw]``).

    Joins: an output sample depends on ``r = (receptive_field - 1) / 2``
    input samples on each side. Consecutive chunks overlap by
    ``2 r + fade`` samples; the ``r`` outputs next to each inner cut are
    discarded (weight 0), and the rest are crossfaded over
    ``fade = fade_seconds · rate`` samples with ``sin²`` / ``cos²`` ramps that
    sum to 1 (divided by the summed weights where the last chunk, aligned
    to the end, overlaps more). Every kept output therefore saw its whole
    receptive field inside its chunk, as in one pass over the whole signal,
    so chunked and whole-signal results agree up to float rounding and no
    join can click. A model whose metadata gives a ``frame_step`` (an STFT
    model) gets chunks that start at multiples of it, so that every chunk
    sees the frames of the whole signal. Chunks are lengthened to at least ``2 (2 r + fade)``.

    Args:
        model: a `WaveNetDenoiser`, a `ServedModel`, or a run folder / export path.
        waveform: 1-D float array, any length >= 1.
        sample_rate: int, the rate of `waveform` in Hz.
        chunk_seconds: float > 0, chunk length at the model's rate. Defaults to 4.
        fade_seconds: float >= 0, crossfade length. Defaults to 0.01.
        batch_size: int, chunks per model call. Defaults to 4.
        normalize: bool, scale the input to `INPUT_PEAK` and back. Defaults to True.

    Example:
    ```python
    from gan_audio.models.wavenet_denoiser.wavenet_denoiser import WaveNetDenoiser
    model = WaveNetDenoiser.from_preset("tiny")  # 4 kHz
    clean = denoise(model, np.random.default_rng(0).normal(0, 0.1, 44100), 44100)  # (44100,) at 44.1 kHz
    ```
    """
    target = open_denoiser(model)
    waveform = np.asarray(waveform, dtype=np.float32)
    if waveform.ndim != 1 or waveform.size == 0:
        raise ValueError(f"`waveform` must be 1-D audio with at least one sample, got shape {waveform.shape}.")
    if not np.all(np.isfinite(waveform)):
        raise ValueError("`waveform` has NaN or infinite samples.")
    integer("sample_rate", sample_rate), number("chunk_seconds", chunk_seconds, positive=True)
    number("fade_seconds", fade_seconds, low=0), integer("batch_size", batch_size)
    metadata = target.serving_metadata()
    rate, context = int(metadata["sample_rate"]), (int(metadata["receptive_field"]) - 1) // 2
    align = int(metadata.get("frame_step", 1))  # a frame-based model sees the same frames in every chunk
    audio = waveform if rate == sample_rate else np.asarray(
        soxr.resample(waveform, sample_rate, rate, quality="HQ"), dtype=np.float32)
    peak = float(np.max(np.abs(audio)))
    level = INPUT_PEAK / peak if normalize and peak > 0 else 1.0
    audio = audio * np.float32(level)
    fade = int(round(fade_seconds * rate))
    chunk = max(int(round(chunk_seconds * rate)), 2 * (2 * context + fade), 1)
    starts = chunk_starts(len(audio), chunk, chunk - 2 * context - fade, align)
    chunk = min(chunk, len(audio))
    total, weights = np.zeros(len(audio)), np.zeros(len(audio))
    # the regular chunks in batches, the last one (up to `align` - 1 samples longer) on its own
    groups = [starts[i:i + int(batch_size)] for i in range(0, len(starts) - 1, int(batch_size))] + [starts[-1:]]
    for group in groups:
        size = len(audio) - group[0] if group[0] == starts[-1] else chunk
        noisy = np.stack([audio[s:s + size] for s in group])
        estimates = target.run_endpoint(SERVING_DEFAULT, noisy=noisy)["waveform"]
        for start, estimate in zip(group, estimates):
            weight = chunk_weights(start, size, len(audio), context, fade)
            total[start:start + size] += weight * estimate
            weights[start:start + size] += weight
    clean = (total / weights / level).astype(np.float32)
    if rate != sample_rate:
        clean = np.asarray(soxr.resample(clean, rate, sample_rate, quality="HQ"), dtype=np.float32)
        clean = pad_or_trim(clean, len(waveform))
    return clean


def denoise_files(source, paths, out_dir, **options):
    """Denoises each file with the denoiser `source`; returns the written WAVs.

    Any format, length and sample rate in (resampled to the denoiser's
    rate); out: `out_dir/<name>.wav` at the denoiser's rate with the
    input's duration. A file that cannot be read is skipped with one
    warning naming it. `options` go to `denoise` (``chunk_seconds``, ...).
    """
    denoiser = open_denoiser(source)
    rate = int(denoiser.serving_metadata()["sample_rate"])
    written = []
    for path, audio in readable_audio(paths, sample_rate=rate):
        clean = denoise(denoiser, audio, rate, **options)
        name = os.path.splitext(os.path.basename(path))[0] + ".wav"
        written.append(write_wav(os.path.join(out_dir, name), clean, rate))
    return written


# ------------------------------------------------------------------ data recipe
def _noise(kind, num_samples, seed, bank, sample_rate):
    return make_noise(kind, num_samples, seed, bank=bank, sample_rate=sample_rate)


def noise_bank(settings, sample_rate):
    """The `NoiseBank` of a run's ``music`` and ``babble`` kinds: music from ``settings["music"]``
    (default ``real_speech:music`` without its `HELD_OUT_MUSIC` tracks), babble from
    ``settings["babble"]`` (default: the training data itself, at most 400 files)."""
    kinds = set(settings["noise_kinds"]) & set(RECORDED_KINDS)
    if not kinds:
        return None
    music = talkers = ()
    if "music" in kinds:
        music = find_audio_files(settings.get("music") or "real_speech:music", labels=None).paths
        if not settings.get("music"):
            music = music_split(music)[0]
    if "babble" in kinds:
        talkers = find_audio_files(settings.get("babble") or settings["data"], labels=None).paths
        talkers = [talkers[i] for i in np.random.default_rng(settings["seed"]).permutation(len(talkers))[:400]]
    return NoiseBank.from_files(music, talkers, sample_rate)


def _snr_range(snr_db):
    try:
        low, high = (float(snr_db), float(snr_db)) if np.ndim(snr_db) == 0 else (float(v) for v in snr_db)
    except (TypeError, ValueError):
        raise ValueError(f"`snr_db` must be a number or a (low, high) pair in dB, got {snr_db!r}.") from None
    if not (np.isfinite(low) and np.isfinite(high) and low <= high):
        raise ValueError(f"`snr_db` must be finite with low <= high, got {snr_db!r}.")
    return low, high


def with_noise(clean, snr_db=(0.0, 15.0), kinds=("white", "pink", "brown"), seed=0, gain_db=(0.0, 0.0), bank=None,
               sample_rate=16000):
    """Batches of clean clips ``(B, S)`` → ``(noisy, clean)`` by `gan_audio.data.noisy_clean_pairs`.

    Each batch of each epoch draws new noise (a kind of `kinds`, any of
    `gan_audio.data.noises.NOISE_KINDS`; ``music`` and ``babble`` are cut
    from the recordings of `bank`, a `NoiseBank`; SNR uniform in
    `snr_db`, samples), seeded by `seed`. `clean` comes back scaled with
    the mixture when the mixture's peak would exceed 1 (the SNR is exact).
    A crop more than `PAUSE_DB` below the batch's loudest (a pause, whose
    SNR would make its noise inaudible, or undefined when silent) gets
    noise at the RMS of the batch's other noise instead: the model also
    learns to silence noise between words. Each pair is then scaled by a
    gain uniform in `gain_db` (dB), so that levels vary.
    """
    snr_db = _snr_range(snr_db)
    unknown = sorted(set(kinds) - set(NOISE_KINDS))
    if not kinds or unknown:
        raise ValueError(f"`noise_kinds` must be among {list(NOISE_KINDS)}, got {list(kinds)}.")
    kinds = tuple(kinds)
    noise_fn = functools.partial(_noise, bank=bank, sample_rate=sample_rate)
    for kind in set(kinds) & set(RECORDED_KINDS):  # fail now, not inside the pipeline
        noise_fn(kind, 64, 0)
    seeds = tf.data.Dataset.random(seed=int(seed) + 2, rerandomize_each_iteration=True)

    def mix_np(batch_seed, clips):
        draw = int(batch_seed) & (2**63 - 1)
        noisy, scaled = clips.copy(), clips.copy()
        power = np.mean(np.square(clips, dtype=np.float64), axis=1)
        loud = power >= 10 ** (-PAUSE_DB / 10) * power.max()
        if not power.max() > 0:
            return noisy, scaled  # all silent: nothing sets a noise level
        noisy[loud], scaled[loud] = noisy_clean_pairs(clips[loud], snr_db=snr_db, kinds=kinds, seed=draw,
                                                      noise_fn=noise_fn)
        rms, rng = np.sqrt(np.mean((noisy[loud] - scaled[loud]) ** 2)), np.random.default_rng([draw, 1])
        for row in np.flatnonzero(~loud):  # a pause: noise alone, as loud as the others' noise
            mixed = clips[row] + rms * noise_fn(kinds[rng.integers(len(kinds))], clips.shape[1],
                                                int(rng.integers(2**32)))
            gain = min(1.0, 1.0 / max(float(np.max(np.abs(mixed))), 1e-12))
            noisy[row], scaled[row] = gain * mixed, gain * clips[row]
        gains = 10 ** (rng.uniform(*gain_db, size=(len(clips), 1)) / 20)
        return (noisy * gains).astype(np.float32), (scaled * gains).astype(np.float32)

    def mix(batch_seed, clips):
        noisy, scaled = tf.numpy_function(mix_np, [batch_seed, clips], [tf.float32, tf.float32], stateful=False)
        return tf.ensure_shape(noisy, clips.shape), tf.ensure_shape(scaled, clips.shape)

    return tf.data.Dataset.zip((seeds, clean)).map(mix, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)


def denoiser_dataset(model, settings, adapt=True, strict=False):
    """A denoiser's data (`WaveNetDenoiser`, `SpectralMaskDenoiser`): ``(noisy, clean)`` batches of
    `model.segment_samples`.

    Random crops of the clips of ``settings["data"]`` (default
    ``spoken_digits``; labels unused) at the model's rate, new crops and new
    noise every epoch (`with_noise`: a kind of ``noise_kinds``, default
    white, pink or brown; ``hum``, ``clatter``, ``music`` and ``babble`` too,
    the last two cut from recordings, see `noise_bank`; SNRs uniform in
    ``snr_db``, default 0–15 dB), seeded by ``seed``. With ``band_limit``
    (a fraction in [0, 1], default 0), that fraction of the clean clips is
    first low-passed to the telephone band (3.4–4 kHz, as 8 kHz recordings
    played at 16 kHz are; `gan_audio.data.augment.random_augment`), so the
    target stays band-limited and only the noise above it is removed. The sample
    writer denoises two whole clips mixed at the middle SNR after each
    epoch. `adapt` is unused (no codec).
    """
    settings = {**DEFAULTS, **DENOISER_DEFAULTS, **settings}
    batch, seed, data = settings["batch_size"], int(settings["seed"]), settings["data"]
    low, high = _snr_range(settings["snr_db"])
    clips = audio_dataset(data, sample_rate=model.sample_rate, clip_seconds=model.segment_samples / model.sample_rate,
                          labels=None, batch_size=batch, seed=seed, training=True, strict=strict,
                          drop_remainder=True, repeat=True, cache=clip_cache(data, settings))
    steps = max(1, len(clips.files) // batch)
    band_limit = settings["band_limit"]
    number("band_limit", band_limit, low=0, high=1)
    if band_limit:
        clips = augmented(clips, seed=seed + 3, band_limit=float(band_limit), sample_rate=model.sample_rate)
    bank = noise_bank(settings, model.sample_rate)
    pairs = with_noise(clips, (low, high), settings["noise_kinds"], seed, _snr_range(settings["gain_db"]), bank,
                       model.sample_rate)
    whole = audio_dataset(data, sample_rate=model.sample_rate, labels=None, batch_size=2, shuffle=False,
                          training=False, strict=strict)
    sample = noisy_clean_pairs(next(iter(whole)).numpy(), snr_db=(low + high) / 2, kinds=("white",), seed=seed)[0]
    return TrainingData(pairs.prefetch(tf.data.AUTOTUNE), None, steps, {"noisy": sample})


denoiser_dataset.options = DENOISER_DEFAULTS  # its recipe options (`recipe_options`)
