"""Benchmark: a folder of 100,000 clips: listing, checking, the first batch, memory, and the disk cache.

The script writes `--files` short FLAC clips (0.25 s, 16 kHz, a tone in noise;
`--classes` class folders) under `--folder` (reused when complete), then, in one
process, times each step a training run takes before and while it reads them:

- listing (`find_audio_files`: the files and the label vocabulary);
- checking every file's header (`validate_audio_files(check="header")`, what
  ``auto`` does above 20,000 files) and, for comparison, decoding every file
  (``check="decode"``, what it did before for any number of files);
- building `audio_dataset` and taking its first batch of 64, then
  `--batches` more (files/s);
- the same with ``cache=DIR`` twice: the first run decodes every file into the
  cache (`gan_audio.data.audio_cache`), the second reads it back.

Memory is the process's resident set (VmRSS) after each step, and its peak. The
table goes to stdout.

Example:
    $ python benchmarks/pipeline_scale.py                  # 100,000 files in runs/pipeline_scale/
    $ python benchmarks/pipeline_scale.py --files 2000     # a quick look
"""
import argparse
import os
import shutil
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402

RATE, SECONDS = 16000, 0.25


def make_files(folder, count, classes, seed=0):
    """`count` FLAC clips in `classes` sub-folders of `folder`, written once (a marker file says complete)."""
    marker = os.path.join(folder, f".complete_{count}_{classes}")
    if os.path.exists(marker):
        return
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    rng = np.random.default_rng(seed)
    t = np.arange(int(RATE * SECONDS)) / RATE
    start = time.perf_counter()
    for k in range(count):
        label = k % classes
        sub = os.path.join(folder, f"class_{label:03d}")
        os.makedirs(sub, exist_ok=True)
        audio = 0.3 * np.sin(2 * np.pi * (100 + 20 * label) * t) + 0.05 * rng.standard_normal(len(t))
        sf.write(os.path.join(sub, f"clip_{k:06d}.flac"), audio.astype(np.float32), RATE, subtype="PCM_16")
        if (k + 1) % 20000 == 0:
            print(f"  wrote {k + 1} of {count} files ({time.perf_counter() - start:.0f} s)", flush=True)
    open(marker, "w").close()


def rss_mb():
    with open("/proc/self/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100000, help="clips to write and read (default: 100000)")
    parser.add_argument("--classes", type=int, default=100, help="class folders (default: 100)")
    parser.add_argument("--batches", type=int, default=300, help="batches of 64 timed after the first (default: 300)")
    parser.add_argument("--folder", default=os.path.join("runs", "pipeline_scale"),
                        help="where the clips are written (default: runs/pipeline_scale)")
    args = parser.parse_args(argv)
    make_files(args.folder, args.files, args.classes)
    import tensorflow as tf  # noqa: F401 (loaded before the first timing)

    from gan_audio.data import audio_dataset, find_audio_files, validate_audio_files

    rows = []

    def row(step, seconds, files=None, note=""):
        rss, peak = rss_mb()
        rate = f"{files / seconds:,.0f}" if files else "-"
        rows.append(f"| {step} | {seconds:.1f} | {rate} | {rss:,.0f} | {peak:,.0f} | {note} |")
        print(rows[-1], flush=True)

    start = time.perf_counter()
    files = find_audio_files(args.folder)
    row("list the files and the label vocabulary", time.perf_counter() - start, len(files),
        f"{len(files):,} files, {len(files.class_names)} classes")
    start = time.perf_counter()
    checked = validate_audio_files(files, check="header")
    row("check every header (`auto` above 20,000 files)", time.perf_counter() - start, len(files),
        f"{len(checked):,} usable")
    start = time.perf_counter()
    validate_audio_files(files, check="decode")
    row("decode every file (`check=\"decode\"`; what every run did before)", time.perf_counter() - start,
        len(files))

    def first_and_more(label, **kwargs):
        start = time.perf_counter()
        ds = audio_dataset(files, batch_size=64, clip_seconds=SECONDS, **kwargs)
        batches = iter(ds)
        next(batches)
        row(f"{label}: `audio_dataset` and its first batch of 64", time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(args.batches):
            next(batches)
        row(f"{label}: {args.batches} more batches", time.perf_counter() - start, 64 * args.batches)

    first_and_more("streamed (decoded every epoch)")
    cache = tempfile.mkdtemp(prefix="cache_", dir=os.path.dirname(os.path.abspath(args.folder)))
    try:
        first_and_more("`cache=DIR`, first run (decodes every file into the cache)", cache=cache)
        first_and_more("`cache=DIR`, second run (reads the cache)", cache=cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    load = os.getloadavg()
    print(f"\n{len(files):,} FLAC clips of {SECONDS} s at {RATE} Hz in {args.classes} folders; one process, "
          f"2 CPU cores; load average {load[0]:.2f} at the end\n")
    print("| step | seconds | files/s | memory (MB) | peak memory (MB) | note |")
    print("|---|---:|---:|---:|---:|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
