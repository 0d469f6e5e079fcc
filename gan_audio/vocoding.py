"""Vocoding: audio files → their log-mel → a vocoder's waveform, and log-mels of a generator."""
import os

import numpy as np

from gan_audio.data import readable_audio
from gan_audio.samples import write_wav
from gan_audio.serving import GENERATE, RESYNTHESIZE, SERVING_DEFAULT
from gan_audio.serving_tasks import require_task
from gan_audio.sources import open_source
from gan_audio.time_windows import pad_or_trim


#: `vocode` refuses audio that peaks above this: samples on another scale (e.g. int16's), not a clipped recording.
MAX_PEAK = 4.0


def open_vocoder(source):
    """The vocoder of a run or an export; a clear error for anything else."""
    return require_task(open_source(source)[0], "vocode", source)


def vocode(vocoder, waveform, sample_rate=None):
    """One recording ``(S,)`` through a vocoder's analysis and synthesis: float32 audio at the vocoder's rate
    with the recording's duration (the last partial frame, which the analysis cannot see, is zero).

    Args:
        vocoder: a vocoder model, run or export (`open_vocoder`'s result or `load_saved_model`'s).
        waveform: ``(S,)`` float audio. sample_rate: its rate (None: the vocoder's); resampled by soxr.

    Example:
        >>> from gan_audio.data import bundled_path, load_audio
        >>> from gan_audio.models import Vocoder
        >>> speech = load_audio(bundled_path("spoken_digits") + "/two/en-gb_f1_s190_p35.flac")  # 16 kHz, 1 s
        >>> vocode(Vocoder.from_preset("vocoder_small"), speech[:12345], 16000).shape
        (12345,)
    """
    require_task(vocoder, "vocode")
    metadata = vocoder.serving_metadata()
    rate, frame_length = metadata["sample_rate"], metadata["analysis"]["frame_length"]
    audio = np.asarray(waveform)
    if audio.dtype.kind != "f":
        raise ValueError(f"`waveform` must be float audio in [-1, 1], got {audio.dtype} samples "
                         "(int16 ones: divide by 32768).")
    audio = audio.astype(np.float32)
    if audio.ndim != 1 or audio.size == 0:
        raise ValueError(f"`waveform` must be one recording (S,) of at least one sample, got shape {audio.shape}.")
    if not np.all(np.isfinite(audio)) or np.max(np.abs(audio)) > MAX_PEAK:
        raise ValueError(f"`waveform` must be finite float audio in [-1, 1]; its peak is {np.max(np.abs(audio))}.")
    if sample_rate is not None and int(sample_rate) != rate:
        import soxr

        audio = soxr.resample(audio, int(sample_rate), rate).astype(np.float32)
    padded = np.pad(audio, (0, max(0, frame_length - len(audio))))
    return pad_or_trim(vocoder.run_endpoint(RESYNTHESIZE, waveform=padded[None])["waveform"][0], len(audio))


def vocode_files(source, paths, out_dir):
    """Resynthesises each file with the vocoder `source` (`vocode`); returns the written WAVs.

    Any format, length and sample rate in (resampled to the vocoder's rate);
    out: `out_dir/<name>.wav` at the vocoder's rate with the input's duration.
    A file that cannot be read is skipped with one warning naming it.
    """
    vocoder = open_vocoder(source)
    rate = vocoder.serving_metadata()["sample_rate"]
    written = []
    for path, audio in readable_audio(paths, sample_rate=rate):
        name = os.path.splitext(os.path.basename(path))[0] + ".wav"
        written.append(write_wav(os.path.join(out_dir, name), vocode(vocoder, audio), rate))
    return written


def vocode_log_mels(vocoder, mel):
    """Log-mel frames ``(B, F, M)`` dB → ``(B, (F - 1) · hop + window)`` audio by `vocoder` (a run or an export):
    its ``serving_default``, or for an autoregressive vocoder (a WaveNet: its metadata names ``vocode_seed``
    and ``vocode_temperature``) the same draws by its XLA-compiled ``generate`` (about ten times faster).

    Example:
    ```python
    from gan_audio.models import WaveNet
    vocoder = WaveNet.from_preset("tiny", local_conditioning=True, num_mel_bins=8, frame_step=16)
    assert vocode_log_mels(vocoder, np.full((2, 5, 8), -20.0, np.float32)).shape == (2, 4 * 16 + 64)
    ```
    """
    mel, metadata = np.asarray(mel, np.float32), vocoder.serving_metadata()
    if "vocode_temperature" in metadata and "mel" in vocoder.endpoint_specs(GENERATE):
        analysis = metadata["analysis"]
        samples = (mel.shape[1] - 1) * analysis["frame_step"] + analysis["frame_length"]
        return np.asarray(vocoder.synthesize(len(mel), seed=metadata["vocode_seed"], num_samples=samples, mel=mel,
                                             temperature=metadata["vocode_temperature"])["waveform"])
    return np.asarray(vocoder.run_endpoint(SERVING_DEFAULT, mel=mel)["waveform"])


def check_analysis(generator_metadata, vocoder_metadata, generator, vocoder):
    """A clear error unless the vocoder reads the log-mels the generator writes."""
    mine, theirs = generator_metadata.get("analysis"), vocoder_metadata.get("analysis")
    if mine is None:
        raise ValueError(f"{generator} gives no log-mel analysis to vocode.")
    different = {k: (mine.get(k), theirs.get(k)) for k in theirs if mine.get(k) != theirs.get(k)}
    if different:
        raise ValueError(f"{vocoder} expects another log-mel than {generator} makes: "
                         + ", ".join(f"{k} {b} (generator: {a})" for k, (a, b) in different.items()) + ".")
