"""Spoken digits by Flite's voices (built from recordings of real speakers), a labelled training folder.

    python scripts/make_tts_digits.py                 # → ~/.cache/gan_audio/tts_digits/<word>/<voice>_<stretch>.flac
    python scripts/make_tts_digits.py --root /data    # → /data/tts_digits/

`spoken_digits` is one synthesiser (espeak-ng, formant synthesis): a
classifier trained on it alone hears 5-6 of a real speaker's ten digits
(`scripts/train_judge.py`). Flite's five English voices (``kal``, ``kal16``:
diphones of one American male; ``awb``, ``rms``, ``slt``: clustergen voices
of CMU ARCTIC speakers, Scottish male, American male and female) speak
"zero" … "nine" at three durations (`STRETCHES`), 150 clips; each is
trimmed, centred in 1 s at 16 kHz and peak-normalised as `spoken_digits` is
(`make_spoken_digits.centre_clip`), written as 16-bit FLAC (atomically).
Installs Debian's ``flite`` when it is missing (as root; otherwise prints the
command). None of these speakers is in `real_speech`. Flite and its voices are
free software (BSD-style, Carnegie Mellon University); the output is not
committed.
"""
import argparse
import os
import subprocess
import sys
import tempfile

from gan_audio.data import load_audio
from gan_audio.data.real_speech import data_root

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_real_speech import install, write_flac
from make_spoken_digits import SAMPLE_RATE, WORDS, centre_clip

NAME = "tts_digits"
VOICES = ("kal", "kal16", "awb", "rms", "slt")
STRETCHES = (0.9, 1.1, 1.3)  # Flite's duration_stretch: faster … slower than the voice's own


def synthesize(word, voice, stretch, workdir):
    """One word from Flite at 16 kHz (float32)."""
    path = os.path.join(workdir, "flite.wav")
    subprocess.run(["flite", "-voice", voice, "--setf", f"duration_stretch={stretch}", "-t", word, "-o", path],
                   check=True, capture_output=True)
    return load_audio(path, sample_rate=SAMPLE_RATE)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", help="data root (default: $GAN_AUDIO_DATA or ~/.cache/gan_audio)")
    args = parser.parse_args(argv)
    install(["flite"])
    out = os.path.join(args.root or data_root(), NAME)
    jobs = [(w, v, s) for v in VOICES for s in STRETCHES for w in WORDS]
    with tempfile.TemporaryDirectory() as workdir:
        for i, (word, voice, stretch) in enumerate(jobs):
            path = os.path.join(out, word, f"{voice}_{stretch}.flac")
            if not os.path.exists(path):
                write_flac(path, centre_clip(synthesize(word, voice, stretch, workdir)).astype("float32"))
            print(f"\r{i + 1}/{len(jobs)}", end="", flush=True)
    print(f"\n{len(jobs)} clips of {len(VOICES)} Flite voices in {out}")


if __name__ == "__main__":
    main()
