"""Decode Debian's Asterisk voice prompts into 16 kHz FLAC, by speaker, with a manifest.

    python scripts/make_real_speech.py                  # → ~/.cache/gan_audio/real_speech/
    python scripts/make_real_speech.py --root /data     # → /data/real_speech/ (then GAN_AUDIO_DATA=/data)
    python scripts/make_real_speech.py --no-install     # only what is installed already

Installs the packages of `gan_audio.data.real_speech.SOURCES` that are
missing (``apt-get install``, as root; otherwise prints the command), then
decodes each of their recordings (G.722 or GSM, by FFmpeg through
`gan_audio.data.load_audio`) to ``<root>/real_speech/<speaker>/<folder>/<name>.flac``
(16 kHz, 16-bit; written atomically, existing files are kept) and writes
``manifest.csv``. Unreadable recordings (silent, empty) are skipped, each
named in one warning. Nothing here is committed: the licences are in
`gan_audio.data.real_speech.LICENSES`.
"""
import argparse
import csv
import logging
import os
import shutil
import subprocess
import sys
import tempfile

import soundfile as sf

from gan_audio.data import AudioFileError, load_audio
from gan_audio.data.real_speech import LICENSES, MANIFEST_FIELDS, SOURCES, real_speech_dir

RATE = 16000
EXTENSIONS = (".g722", ".gsm")
logger = logging.getLogger("gan_audio")


def installed(package):
    done = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return done.returncode == 0 and "install ok installed" in done.stdout


def install(packages):
    missing = [p for p in packages if not installed(p)]
    if not missing:
        return
    command = ["apt-get", "install", "-y", "-q", *missing]
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"Missing Debian packages; install them with: sudo {' '.join(command)}")
    print("Installing", " ".join(missing), flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(command, env=env).returncode:  # a stale package list: update once, then retry
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(command, env=env, check=True)


def package_files(package):
    """The recordings a package installed, as real paths (the language links point into them)."""
    listed = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=True).stdout.split()
    return sorted({os.path.realpath(p) for p in listed if p.endswith(EXTENSIONS) and os.path.isfile(p)})


def relative_name(path, speaker):
    """``.../sounds/en_US_f_Allison/digits/7.g722`` → ``digits/7.flac`` (the folders under the
    speaker's or language's folder)."""
    parts = path.split(os.sep)
    for anchor in (speaker, "sounds", "moh"):
        if anchor in parts:
            rest = parts[len(parts) - parts[::-1].index(anchor):]
            if anchor == "sounds" and len(rest) > 1:
                rest = rest[1:]  # drop the language folder (fr/, es/)
            return os.path.splitext(os.path.join(*rest))[0] + ".flac"
    return os.path.splitext(os.path.basename(path))[0] + ".flac"


def write_flac(path, audio):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, tmp = tempfile.mkstemp(suffix=".flac", dir=os.path.dirname(path))
    os.close(handle)
    try:
        sf.write(tmp, audio, RATE, subtype="PCM_16", format="FLAC")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def progress(done, total, width=40):
    filled = int(width * done / max(total, 1))
    if done < total and filled == int(width * (done - 1) / max(total, 1)):
        return  # redraw only when the bar grows
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="" if done < total else "\n", flush=True)


def build(root=None, do_install=True):
    """Decode every source; returns the manifest's rows."""
    if do_install:
        install(sorted({package for package, *_ in SOURCES.values()}))
    folder = real_speech_dir(root)
    jobs = []
    for speaker, (package, language, rate, kind) in SOURCES.items():
        if not installed(package):
            logger.warning("skipping %s: package %s is not installed", speaker, package)
            continue
        jobs += [(speaker, package, language, kind, path) for path in package_files(package)]
    rows, skipped = [], 0
    for index, (speaker, package, language, kind, path) in enumerate(jobs, 1):
        name = os.path.join(speaker, relative_name(path, speaker))
        out = os.path.join(folder, name)
        try:
            audio, info = load_audio(path, sample_rate=RATE, return_info=True)  # info: the file's own rate
            if not os.path.exists(out):
                write_flac(out, audio)
        except AudioFileError as error:
            logger.warning("skipping %s", error)
            skipped += 1
            continue
        finally:
            progress(index, len(jobs))
        rows.append({"path": name, "speaker": speaker, "language": language, "kind": kind,
                     "source_rate": info.sample_rate, "codec": info.subtype,
                     "seconds": f"{info.frames / info.sample_rate:.3f}", "package": package})
    os.makedirs(folder, exist_ok=True)
    manifest = os.path.join(folder, "manifest.csv")
    with open(manifest + ".tmp", "w", newline="") as f:
        writer = csv.DictWriter(f, MANIFEST_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(manifest + ".tmp", manifest)
    print(f"{len(rows)} recordings in {folder} ({skipped} skipped); manifest.csv written.")
    return rows


def summary(rows):
    """Per speaker: recordings, minutes, native rate, licence."""
    lines = ["| speaker | language | recordings | minutes | source | licence |", "|---|---|---:|---:|---|---|"]
    for speaker, (package, language, rate, kind) in SOURCES.items():
        mine = [r for r in rows if r["speaker"] == speaker]
        if mine:
            minutes = sum(float(r["seconds"]) for r in mine) / 60
            lines.append(f"| {speaker} | {language} | {len(mine)} | {minutes:.1f} | {package} ({rate} Hz "
                         f"{mine[0]['codec']}) | {LICENSES[package]} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", help="data root (default: $GAN_AUDIO_DATA or ~/.cache/gan_audio)")
    parser.add_argument("--no-install", action="store_true", help="do not apt-get install missing packages")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    print(summary(build(args.root, not args.no_install)))


if __name__ == "__main__":
    main()
