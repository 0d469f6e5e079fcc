"""Benchmark: ``audio_dataset`` + tf.signal log-mel vs. a librosa per-file loop.

Both sides read the same files, resample to 16 kHz when needed and compute a
64-band log-mel spectrogram (frame 1024, hop 256). Each side is warmed up with
one full pass, then ``--passes`` passes are timed and the best is kept. The
one-off cost of ``audio_dataset`` (finding + validating every file) and the
speed of later epochs with ``cache=True`` (decoded audio kept in memory; not
comparable with the librosa loop, which decodes every time) are reported
separately.

Args (command line):
    --resample: use copies of the bundled set written as 44.1 kHz 16-bit WAV
        in a temporary folder (so both sides resample 44.1k -> 16k).
    --wav: use copies written as 16 kHz 16-bit WAV (the in-graph decode path).
    --passes: timed passes over the files (default 5).
    --batch-size: batch size of the tf.data pipeline (default 64).

Example:
    $ python benchmarks/pipeline.py
    $ python benchmarks/pipeline.py --resample
    $ python benchmarks/pipeline.py --wav
"""
import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# One BLAS thread: librosa's loop is then fastest and stable (multi-threaded OpenBLAS
# spin-waits and slows it 2-5x when the other core is busy); TF is not affected.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

import librosa  # noqa: E402
import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402
import soxr  # noqa: E402
import tensorflow as tf  # noqa: E402

from gan_audio.data import audio_dataset, find_audio_files  # noqa: E402
from gan_audio.features import LogMelSpectrogram  # noqa: E402

SAMPLE_RATE, FRAME, HOP, MELS = 16000, 1024, 256, 64


def make_log_mel():
    """``(callable, description)``: the project's log-mel layer, as the pipeline uses it."""
    layer = LogMelSpectrogram(sample_rate=SAMPLE_RATE, frame_length=FRAME, frame_step=HOP, num_mel_bins=MELS)
    return layer, "gan_audio.features.LogMelSpectrogram"


def librosa_pass(paths):
    """One librosa pass: load at 16 kHz, mel spectrogram, power_to_db, per file."""
    out = None
    for path in paths:
        y, _ = librosa.load(path, sr=SAMPLE_RATE)
        m = librosa.feature.melspectrogram(y=y, sr=SAMPLE_RATE, n_fft=FRAME, hop_length=HOP,
                                           n_mels=MELS)
        out = librosa.power_to_db(m)
    return out


def tf_pass(ds):
    """One pass over the dataset (features already computed in the pipeline)."""
    last = None
    for last in ds:
        pass
    return last


def timed(fn, passes):
    """Warm up once, then return the best (lowest) seconds per pass of ``passes``.

    The best pass is the least disturbed by other processes on a shared machine.
    """
    fn()
    best = float("inf")
    for _ in range(passes):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def write_wav_copies(files, folder, rate):
    """Write every file as ``rate`` Hz 16-bit WAV under ``folder/<label>/``; return ``folder``."""
    for path, label in zip(files.paths, files.labels):
        audio, file_rate = sf.read(path, dtype="float32")
        if rate != file_rate:
            audio = soxr.resample(audio, file_rate, rate, quality="HQ")
        target = os.path.join(folder, files.class_names[label])
        os.makedirs(target, exist_ok=True)
        name = os.path.splitext(os.path.basename(path))[0] + ".wav"
        sf.write(os.path.join(target, name), np.clip(audio, -1, 1), rate, subtype="PCM_16")
    return folder


def run(source, passes, batch_size, label):
    """Time both sides on ``source`` and return markdown table rows."""
    log_mel, feature_name = make_log_mel()
    start = time.perf_counter()
    ds = audio_dataset(source, sample_rate=SAMPLE_RATE, batch_size=batch_size,
                       shuffle=False, training=False, features=log_mel)
    setup = time.perf_counter() - start
    files = ds.files
    n = len(files)
    audio_seconds = sum(i.frames / i.sample_rate for i in files.infos)
    t_tf = timed(lambda: tf_pass(ds), passes)
    t_lr = timed(lambda: librosa_pass(files.paths), passes)
    cached = audio_dataset(source, sample_rate=SAMPLE_RATE, batch_size=batch_size,
                           shuffle=False, training=False, features=log_mel, cache=True)
    t_cached = timed(lambda: tf_pass(cached), passes)  # warm-up pass fills the cache
    rows = [
        f"| {label} | (a) audio_dataset + {feature_name} | {n} | {n / t_tf:.0f} "
        f"| {audio_seconds / t_tf:.0f} | {t_lr / t_tf:.1f}x |",
        f"| {label} | (b) librosa loop (load + melspectrogram + power_to_db) | {n} "
        f"| {n / t_lr:.0f} | {audio_seconds / t_lr:.0f} | 1.0x |",
        f"| {label} | (a) with cache=True, epochs after the first (no decoding) | {n} "
        f"| {n / t_cached:.0f} | {audio_seconds / t_cached:.0f} | {t_lr / t_cached:.1f}x |",
        f"| {label} | one-off setup of (a): find + validate (decode) every file | {n} "
        f"| {n / setup:.0f} | {audio_seconds / setup:.0f} | - |",
    ]
    return rows


def main(argv=None):
    """Parse arguments, run the benchmark and print the markdown table."""
    parser = argparse.ArgumentParser(description="tf.data pipeline vs librosa loop")
    parser.add_argument("--resample", action="store_true", help="use 44.1 kHz WAV copies")
    parser.add_argument("--wav", action="store_true",
                        help="use 16 kHz WAV copies (decoded in-graph by tf.audio.decode_wav)")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    header = ["| data | pipeline | files | files/s | audio s/s | (a)/(b) |",
              "| --- | --- | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as tmp:
        if args.resample:
            source = write_wav_copies(find_audio_files("spoken_digits"), tmp, 44100)
            label = "spoken_digits as 44.1 kHz WAV (resampled)"
        elif args.wav:
            source = write_wav_copies(find_audio_files("spoken_digits"), tmp, SAMPLE_RATE)
            label = "spoken_digits as 16 kHz WAV (in-graph decode_wav)"
        else:
            source, label = "spoken_digits", "spoken_digits (16 kHz FLAC)"
        rows = run(source, args.passes, args.batch_size, label)
    print(f"tf {tf.__version__}, librosa {librosa.__version__}, {os.cpu_count()} CPUs, "
          f"{args.passes} timed passes after 1 warm-up pass, best pass reported; "
          f"1-min load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print("\n".join(header + rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
