"""Data recipes: what each registered family trains on (see `gan_audio.registry`).

A recipe is ``recipe(model, settings, adapt=True, strict=False)`` →
`TrainingData`, where `settings` holds the run's settings (``data``,
``batch_size``, ``seed``, ``labelled``, ``labels_per_class``; missing keys
take `DEFAULTS`). With `adapt`, a model with a codec first learns its dB
range from the data (not when a run resumes).
"""
import collections
import dataclasses
import logging
import os

import tensorflow as tf

from gan_audio.data import audio_dataset, find_audio_files, labelled_split, validate_audio_files
from gan_audio.data.augment import augmented
from gan_audio.data.textures import DEFAULT_TALKERS, babble_clips, parse_babble

logger = logging.getLogger("gan_audio")
CACHE_LIMIT_BYTES = 512 * 2**20  # encoded audio; decoded float32 is a few times larger
DEFAULTS = {"data": "spoken_digits", "batch_size": 32, "seed": 0, "labelled": False, "labels_per_class": None}
#: The augmentation of the classifier recipes: shifts up to 0.25 s, ±6 dB, noise 20-80 dB down
#: (80 dB down is inaudible: clean clips are seen too).
AUGMENTATION = {"max_shift": 4000, "max_gain_db": 6.0, "noise_db": (20.0, 80.0)}
#: What moves one synthesiser's voices toward people's: speed 0.8-1.25× (pitch and formants move
#: together), a synthetic room on 30 % of clips, the telephone band on 20 %.
VOICE_AUGMENTATION = {**AUGMENTATION, "speed": (0.8, 1.25), "reverb": 0.3, "band_limit": 0.2}

#: What a recipe returns: an endless dataset for `fit`, the label vocabulary
#: (None when unlabelled), the batches in one pass over the files, and, for
#: models that transform audio rather than generate it, fixed
#: ``serving_default`` inputs the sample writer runs after each epoch.
TrainingData = collections.namedtuple(
    "TrainingData", ["dataset", "class_names", "steps_per_pass", "sample_inputs"], defaults=[None])


def fits_in_memory(data, limit=CACHE_LIMIT_BYTES):
    """Whether the decoded clips of `data` may be cached in RAM."""
    size = sum(os.path.getsize(p) for p in find_audio_files(data).paths)
    if size > limit:
        logger.info("Not caching decoded audio: %.0f MB of files is over %.0f MB.", size / 2**20, limit / 2**20)
    return size <= limit


def clip_cache(data, settings):
    """`audio_dataset`'s ``cache`` for a run: its ``cache_dir`` (decoded clips saved on disk once and
    reused by later runs, `gan_audio.data.audio_cache`), else memory when the files fit in it."""
    return settings.get("cache_dir") or fits_in_memory(data)


def _clips(model, data, settings, strict, labels="inferred", repeat=True, batch_size=None, clip_seconds=None):
    """Training clips: endless full batches, the files repeated *before* batching, so that fewer files
    than one batch still train (each batch then holds some clips twice, with other crops); with
    ``repeat=False`` one finite pass that keeps its last smaller batch (a codec's `adapt`)."""
    clip_seconds = clip_seconds or getattr(model, "clip_seconds", 1.0)
    batch_size = batch_size or settings["batch_size"]
    waves = audio_dataset(data, sample_rate=model.sample_rate, clip_seconds=clip_seconds,
                          labels=labels, batch_size=batch_size, seed=settings["seed"],
                          training=True, strict=strict, drop_remainder=repeat, repeat=repeat,
                          cache=clip_cache(data, settings))
    if repeat and len(waves.files) < batch_size:
        logger.warning("%s: %d clips, fewer than one batch of %d: every batch repeats clips (other crops).",
                       waves.files.source, len(waves.files), batch_size)
    return waves


def _steps(waves, settings):
    """Batches in one pass over the files (at least one)."""
    return max(1, len(waves.files) // settings["batch_size"])


def spectrogram_gan_dataset(model, settings, adapt=True, strict=False):
    """A `SpectrogramGAN`'s data: clips → normalised log-mels (`(features, label)`
    when the run is label-conditional)."""
    settings = {**DEFAULTS, **settings}
    waves = _clips(model, settings["data"], settings, strict, labels="inferred" if settings["labelled"] else None)
    if adapt:
        model.adapt(_clips(model, waves.files, settings, strict, labels=None, repeat=False))
    features = waves.map(model.features, num_parallel_calls=tf.data.AUTOTUNE)
    return TrainingData(features.prefetch(tf.data.AUTOTUNE), waves.class_names, _steps(waves, settings))


def word_classifier_dataset(model, settings, adapt=True, strict=False):
    """A classifier's data: labelled clips as `(waveform, label)`, augmented
    (`VOICE_AUGMENTATION`: shifts, gains, noise, speed, rooms, the telephone band); a folder per class
    is required."""
    settings = {**DEFAULTS, **settings}
    waves = _clips(model, settings["data"], settings, strict)
    if waves.class_names is None:
        raise ValueError(f"{settings['data']} is unlabelled: a classifier needs one sub-folder per class.")
    data = augmented(waves, seed=settings["seed"], sample_rate=model.sample_rate, **VOICE_AUGMENTATION)
    return TrainingData(data.prefetch(tf.data.AUTOTUNE), waves.class_names, _steps(waves, settings))


def semi_supervised_dataset(model, settings, adapt=True, strict=False):
    """A `SemiSupervisedGAN`'s data: ``((labelled log-mels, labels), unlabelled
    log-mels)`` per step, drawn from one pipeline.

    `labelled_split` keeps ``labels_per_class`` clips of each class labelled
    (None: all) and the rest form the unlabelled pool; both are augmented
    (random shifts, gains, and what moves voices: speed, rooms, the telephone band, as
    `VOICE_AUGMENTATION` without its noise) and encoded by the model's codec.
    """
    settings = {**DEFAULTS, **settings}
    files = validate_audio_files(find_audio_files(settings["data"]), strict=strict)
    labelled, unlabelled = labelled_split(files, settings["labels_per_class"], seed=settings["seed"])
    batch = settings["batch_size"]
    unlabelled = dataclasses.replace(unlabelled, labels=None, class_names=None)
    unlabelled_waves = _clips(model, unlabelled, settings, strict, labels=None)
    labelled_waves = _clips(model, labelled, settings, strict, batch_size=min(batch, len(labelled)))
    if adapt:
        model.adapt(_clips(model, dataclasses.replace(files, labels=None, class_names=None), settings, strict,
                           repeat=False))
    shift = {"max_shift": 2000, "max_gain_db": 6.0, "speed": VOICE_AUGMENTATION["speed"],
             "reverb": VOICE_AUGMENTATION["reverb"], "band_limit": VOICE_AUGMENTATION["band_limit"],
             "sample_rate": model.codec.sample_rate}
    labelled_data = augmented(labelled_waves, seed=settings["seed"], **shift).map(model.features)
    unlabelled_data = augmented(unlabelled_waves, seed=settings["seed"] + 1, **shift).map(model.features)
    data = tf.data.Dataset.zip((labelled_data, unlabelled_data)).prefetch(tf.data.AUTOTUNE)
    return TrainingData(data, files.class_names, max(1, len(unlabelled) // batch))


#: The vocoder recipe's own settings (``recipe_options``): the fraction of telephone-band segments.
VOCODER_DEFAULTS = {"band_limit": 0.0}


def _sample_clips(model, settings, strict):
    """The first two whole clips of the data, at the model's rate: what a vocoder's sample writer vocodes."""
    return next(iter(audio_dataset(settings["data"], sample_rate=model.sample_rate, labels=None, batch_size=2,
                                   shuffle=False, training=False, strict=strict)))


def vocoder_dataset(model, settings, adapt=True, strict=False):
    """A `Vocoder`'s data: random segments of `model.segment_samples` from the
    clips (labels unused), a ``band_limit`` fraction of them in the telephone
    band (`gan_audio.data.augment.low_pass`, 3.4-4 kHz: 8 kHz recordings), and
    the log-mels of two whole clips, vocoded by the sample writer after each epoch."""
    settings = {**DEFAULTS, **VOCODER_DEFAULTS, **settings}
    seconds = model.segment_samples / model.sample_rate
    waves = _clips(model, settings["data"], settings, strict, labels=None, clip_seconds=seconds)
    sample_mel = model.codec.log_mel(_sample_clips(model, settings, strict)).numpy()
    steps = _steps(waves, settings)
    segments = waves
    if settings["band_limit"]:
        segments = augmented(segments, seed=settings["seed"], band_limit=float(settings["band_limit"]),
                             sample_rate=model.sample_rate)
    return TrainingData(segments.prefetch(tf.data.AUTOTUNE), None, steps, {"mel": sample_mel})


#: GCDG's texture data: talkers per babble clip (its densities), babble clips built per run, and the word
#: recordings babble is built from (``recipe_options={"babble_source": "spoken_digits:train"}`` keeps the
#: held-out voices for scoring).
TEXTURE_DEFAULTS = {"talkers": DEFAULT_TALKERS, "num_textures": 512, "babble_source": "spoken_digits"}


def texture_dataset(model, settings, adapt=True, strict=False):
    """A `GCDG`'s data: unlabelled texture clips of `model.clip_samples`.

    ``data`` ``"babble:K"`` (or ``"babble:4,8,16"``, or ``"babble"`` and the
    family default ``"spoken_digits"``, both meaning the densities
    ``talkers``, K = 4, 8, 16) is multi-talker babble built from the bundled
    digits (`gan_audio.data.textures.babble_clips`: ``num_textures`` clips,
    seeded by ``seed``, of the word clips of ``babble_source``, all of
    ``spoken_digits`` unless a recipe option names e.g.
    ``spoken_digits:train``). Any other source is a folder (glob, files) of texture
    recordings cut into random clips. Labels are unused; so is `adapt` (no codec).
    """
    settings = {**DEFAULTS, **TEXTURE_DEFAULTS, **settings}
    batch, seed, data = settings["batch_size"], settings["seed"], settings["data"]
    talkers = parse_babble("babble" if data == "spoken_digits" else data, default=settings["talkers"])
    if talkers is None:
        waves = _clips(model, data, settings, strict, labels=None)
        return TrainingData(waves.prefetch(tf.data.AUTOTUNE), None, _steps(waves, settings))
    if settings["num_textures"] < batch:
        raise ValueError(f"num_textures={settings['num_textures']} is smaller than batch_size={batch}.")
    clips = babble_clips(settings["babble_source"], model.sample_rate, model.clip_samples, talkers,
                         settings["num_textures"], seed=seed, strict=strict)
    data = tf.data.Dataset.from_tensor_slices(clips).shuffle(len(clips), seed=seed, reshuffle_each_iteration=True)
    data = data.batch(batch, drop_remainder=True).repeat().prefetch(tf.data.AUTOTUNE)
    return TrainingData(data, None, max(1, len(clips) // batch))


def wavenet_dataset(model, settings, adapt=True, strict=False):
    """A `WaveNet`'s data: random crops of `model.segment_samples` from the clips,
    as ``(waveform, label)`` when the model is label-conditional (folder labels),
    else waveforms; the model turns them into (μ-law input, next-sample target)
    pairs in its `train_step`; a log-mel-conditioned (vocoder) WaveNet also gets the
    log-mels of two whole clips, which the sample writer vocodes after each epoch.
    `adapt` is unused (no codec)."""
    settings = {**DEFAULTS, **settings}
    seconds = model.segment_samples / model.sample_rate
    waves = _clips(model, settings["data"], settings, strict, labels="inferred" if model.conditional else None,
                   clip_seconds=seconds)
    if model.conditional and waves.class_names is None:
        raise ValueError(f"{settings['data']} is unlabelled: this WaveNet is label-conditional "
                         f"(one sub-folder per class needed).")
    sample_inputs = None
    if model.local_conditioning and not model.conditional:  # the sample writer vocodes two whole clips' log-mels
        whole = _sample_clips(model, settings, strict)
        sample_inputs = {"mel": model.log_mel(whole).numpy(), "num_samples": int(whole.shape[1])}
    return TrainingData(waves.prefetch(tf.data.AUTOTUNE), waves.class_names, _steps(waves, settings), sample_inputs)


# The recipe options each recipe takes (`recipe_options`; anything else is an error in `train`).
for _recipe, _options in ((spectrogram_gan_dataset, {}), (word_classifier_dataset, {}), (semi_supervised_dataset, {}),
                          (vocoder_dataset, VOCODER_DEFAULTS), (texture_dataset, TEXTURE_DEFAULTS),
                          (wavenet_dataset, {})):
    _recipe.options = _options
