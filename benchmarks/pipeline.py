"""Benchmark: ``audio_dataset`` + tf.signal log-mel vs. a librosa per-file loop, on equal work.

Both sides read the same files, resample to 16 kHz when needed (soxr HQ), take
the same 1 s centre clip and compute the same 64-band HTK log-mel spectrogram
(frame 1024, hop 256, no centring, 10·log10 with a 1e-5 floor). The librosa loop
runs in one process and in a pool of one process per core. Each side is warmed up with
one full pass, then ``--passes`` passes are timed and the best is kept. The
one-off cost of ``audio_dataset`` (finding + validating every file) and the
speed of later epochs with ``cache=True`` (decoded audio kept in memory; not
comparable with the librosa loop, which decodes every time) are reported
separately.

A folder of 100,000 files (listing, header checks, the first batch, memory and
the disk cache) is `benchmarks/pipeline_scale.py`'s.

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
import multiprocessing
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

SAMPLE_RATE, FRAME, HOP, MELS, CLIP_SECONDS = 16000, 1024, 256, 64, 1


def make_log_mel():
    """``(callable, description)``: the project's log-mel layer, as the pipeline uses it."""
    layer = LogMelSpectrogram(sample_rate=SAMPLE_RATE, frame_length=FRAME, frame_step=HOP, num_mel_bins=MELS)
    return layer, "gan_audio.features.LogMelSpectrogram"


def centre_clip(y, samples=SAMPLE_RATE * CLIP_SECONDS):
    """The pipeline's evaluation clip: the centre `samples`, or the clip zero-padded around its centre."""
    if len(y) >= samples:
        start = (len(y) - samples) // 2
        return y[start:start + samples]
    before = (samples - len(y)) // 2
    return np.pad(y, (before, samples - len(y) - before))


def librosa_features(path):
    """The pipeline's work on one file with librosa: load at 16 kHz (soxr), the same 1 s centre clip, the
    same mel scale (HTK, unnormalised, no centring) and dB floor as `LogMelSpectrogram`."""
    y, _ = librosa.load(path, sr=SAMPLE_RATE, res_type="soxr_hq")
    m = librosa.feature.melspectrogram(y=centre_clip(y), sr=SAMPLE_RATE, n_fft=FRAME, hop_length=HOP,
                                       n_mels=MELS, center=False, htk=True, norm=None, power=2.0)
    return librosa.power_to_db(m, ref=1.0, amin=1e-5, top_db=None).T


def librosa_pass(paths, pool=None):
    """One librosa pass over `paths`, serially or spread over a process pool."""
    if pool is None:
        return [librosa_features(p) for p in paths][-1]
    return pool.map(librosa_features, paths, chunksize=16)[-1]


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
    element = next(iter(ds))  # (features, labels) of the first batch
    first = (element[0] if isinstance(element, tuple) else element)[0].numpy()  # its first clip, both sides
    difference = float(np.max(np.abs(first - librosa_features(files.paths[0]))))
    t_tf = timed(lambda: tf_pass(ds), passes)
    t_lr = timed(lambda: librosa_pass(files.paths), passes)
    with multiprocessing.get_context("spawn").Pool(os.cpu_count()) as pool:
        t_pool = timed(lambda: librosa_pass(files.paths, pool), passes)
    cached = audio_dataset(source, sample_rate=SAMPLE_RATE, batch_size=batch_size,
                           shuffle=False, training=False, features=log_mel, cache=True)
    t_cached = timed(lambda: tf_pass(cached), passes)  # warm-up pass fills the cache
    rows = [
        f"| {label} | (a) audio_dataset + {feature_name} | {n} | {n / t_tf:.0f} "
        f"| {audio_seconds / t_tf:.0f} | {t_lr / t_tf:.1f}x |",
        f"| {label} | (b) librosa loop, 1 process (load + melspectrogram + power_to_db) | {n} "
        f"| {n / t_lr:.0f} | {audio_seconds / t_lr:.0f} | 1.0x |",
        f"| {label} | (c) the librosa loop in a pool of {os.cpu_count()} processes | {n} "
        f"| {n / t_pool:.0f} | {audio_seconds / t_pool:.0f} | {t_lr / t_pool:.1f}x |",
        f"| {label} | (a) with cache=True, epochs after the first (no decoding) | {n} "
        f"| {n / t_cached:.0f} | {audio_seconds / t_cached:.0f} | {t_lr / t_cached:.1f}x |",
        f"| {label} | one-off setup of (a): find + validate (decode) every file | {n} "
        f"| {n / setup:.0f} | {audio_seconds / setup:.0f} | - |",
    ]
    return rows, difference


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
        rows, difference = run(source, args.passes, args.batch_size, label)
    print(f"tf {tf.__version__}, librosa {librosa.__version__}, {os.cpu_count()} CPUs, "
          f"{args.passes} timed passes after 1 warm-up pass, best pass reported; "
          f"1-min load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print("\n".join(header + rows))
    print(f"Equal work: every side decodes, resamples to 16 kHz (soxr HQ), takes the same 1 s centre clip and "
          f"computes the same 64-band HTK log-mel (frame {FRAME}, hop {HOP}, no centring); the first clip's "
          f"features of (a) and (b) differ by at most {difference:.2f} dB (the filterbanks' interpolation). "
          f"Parallelism: (a) tf.data, parallel maps over {os.cpu_count()} cores (AUTOTUNE); (b) one process; "
          f"(c) {os.cpu_count()} processes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
