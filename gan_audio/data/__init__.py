"""Audio data: file reading and checking, the tf.data pipeline, noise mixing, bundled data.

Example:
    >>> from gan_audio.data import audio_dataset, bundled_path
    >>> ds = audio_dataset("spoken_digits", batch_size=16)
    >>> ds.class_names[:2]
    ['eight', 'five']
"""
from gan_audio.data.audio_io import (
    AUDIO_EXTENSIONS,
    BUNDLED_DATASETS,
    AudioFileError,
    AudioFiles,
    AudioInfo,
    bundled_path,
    find_audio_files,
    load_audio,
    readable_audio,
    validate_audio_files,
)
from gan_audio.data.mixing import (
    babble,
    colored_noise,
    mix_at_snr,
    noisy_clean_dataset,
    noisy_clean_pairs,
)
from gan_audio.data.splits import (
    SPOKEN_DIGITS_TEST_VARIANTS,
    labelled_split,
    speaker_split,
    spoken_digits_variant,
    spoken_digits_voice,
)
from gan_audio.data.class_names import load_class_names, save_class_names
from gan_audio.data.pipelines import audio_dataset, fit_length
from gan_audio.data.clip_arrays import clip_arrays

__all__ = [
    "AUDIO_EXTENSIONS", "BUNDLED_DATASETS", "AudioFileError", "AudioFiles", "AudioInfo",
    "bundled_path", "find_audio_files", "load_audio", "readable_audio", "validate_audio_files",
    "babble", "colored_noise", "mix_at_snr", "noisy_clean_dataset", "noisy_clean_pairs",
    "audio_dataset", "clip_arrays", "fit_length", "load_class_names", "save_class_names",
    "SPOKEN_DIGITS_TEST_VARIANTS", "labelled_split", "speaker_split", "spoken_digits_variant",
    "spoken_digits_voice",
]
