"""Denoising: noisy audio of any length and rate → a denoiser's clean estimate.

`denoise` runs a denoiser (a `WaveNetDenoiser`, a run folder or an export,
used through the serving contract only: ``serving_default`` takes
``noisy (B, S)`` and returns ``waveform (B, S)``; ``serving_metadata``
gives ``sample_rate`` and ``receptive_field``) on long audio in overlapping
chunks; `denoise_files` does it for files. The training data, ``(noisy, clean)``
pairs, is `gan_audio.denoiser_data`.
"""
import os

import numpy as np
import soxr

from gan_audio.argument_checks import integer, number
from gan_audio.data import readable_audio
from gan_audio.samples import write_wav
from gan_audio.serving import SERVING_DEFAULT
from gan_audio.serving_tasks import require_task
from gan_audio.sources import open_source
from gan_audio.time_windows import pad_or_trim

#: `denoise` scales its input to this peak (-1 dBFS, the level of `spoken_digits`) and the estimate back.
INPUT_PEAK = 0.89


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
