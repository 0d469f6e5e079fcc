"""A denoiser's training data: clean clips mixed with noise → ``(noisy, clean)`` pairs for `fit`.

`with_noise` mixes batches of clean clips with the noise kinds of `gan_audio.data.noises` at random SNRs
and gains; `denoiser_dataset` is the data recipe of the denoiser families (`gan_audio.registry`), its options
`DENOISER_DEFAULTS`. Inference on audio files is `gan_audio.denoising`.
"""
import functools

import numpy as np
import tensorflow as tf

from gan_audio.argument_checks import number
from gan_audio.data import audio_dataset, find_audio_files, noisy_clean_pairs
from gan_audio.data.augment import augmented
from gan_audio.data.noises import NOISE_KINDS, RECORDED_KINDS, NoiseBank, make_noise, music_split
from gan_audio.recipes import DEFAULTS, TrainingData, clip_cache

#: The recipe's defaults beyond `gan_audio.recipes.DEFAULTS`: SNRs drawn uniformly in
#: ``snr_db`` (dB) per clip, a noise colour drawn from ``noise_kinds`` per clip, a ``band_limit``
#: fraction of the clean clips low-passed to the telephone band before mixing.
DENOISER_DEFAULTS = {"snr_db": (0.0, 15.0), "noise_kinds": ("white", "pink", "brown"), "gain_db": (-12.0, 0.0),
                     "music": None, "babble": None, "band_limit": 0.0}
#: Training crops this many dB below their batch's loudest count as pauses (see `with_noise`).
PAUSE_DB = 30.0


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
