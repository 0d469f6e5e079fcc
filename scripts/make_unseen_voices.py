"""Spoken digits by espeak-ng voices that `spoken_digits` never uses, in many formats.

For trying the classifiers (and anything else) on speakers, files and rates
the project has never seen: 10 voices from accents and variants outside the
bundled set, each word once, with natural lengths (0.8 to 1.6 s, the word at
a random place) and written in a rotating set of formats: 44.1 kHz stereo
WAV, 8 kHz OGG Vorbis, 22.05 kHz FLAC, 48 kHz 24-bit WAV, 16 kHz float WAV.
Layout: ``OUT/<word>/<voice>.<ext>`` (a labelled folder). Nothing here is
committed; the files are made on demand (espeak-ng and sox are needed).

Example:
    $ python scripts/make_unseen_voices.py --out /tmp/unseen_digits
    $ gan-audio classify judge /tmp/unseen_digits/*/*
"""
import argparse
import importlib.util
import os
import tempfile

import numpy as np
import soundfile as sf
import soxr

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("make_spoken_digits", os.path.join(HERE, "make_spoken_digits.py"))
digits = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(digits)

VOICES = ("en-gb-scotland+m7", "en-029+f4", "en-gb-x-gbclan+klatt4", "en-gb-x-gbcwmd+m6", "en-us+f5",
          "en-us+klatt3", "en-gb-scotland+f5", "en-029+m8", "en-gb+Annie", "en-us+john")
FORMATS = (  # (extension, sample rate, channels, subtype)
    ("wav", 44100, 2, "PCM_16"),
    ("ogg", 8000, 1, "VORBIS"),
    ("flac", 22050, 1, "PCM_16"),
    ("wav", 48000, 1, "PCM_24"),
    ("wav", 16000, 1, "FLOAT"),
)


def natural_clip(audio, rng):
    """The trimmed word placed at a random offset in 0.8-1.6 s of silence."""
    word = digits.centre_clip(audio, num_samples=len(audio))
    loud = np.flatnonzero(np.abs(word) > 1e-4)
    word = word[loud[0]:loud[-1] + 1]
    length = max(len(word) + 1600, int(rng.uniform(0.8, 1.6) * digits.SAMPLE_RATE))
    start = int(rng.integers(0, length - len(word) + 1))
    out = np.zeros(length, np.float32)
    out[start:start + len(word)] = word
    return out


def build(out_dir, seed=0):
    rng = np.random.default_rng(seed)
    written = 0
    with tempfile.TemporaryDirectory() as work:
        for v, voice in enumerate(VOICES):
            for w, word in enumerate(digits.WORDS):
                audio = natural_clip(digits.synthesize(word, voice, 160, 50, work), rng)
                ext, rate, channels, subtype = FORMATS[(v + w) % len(FORMATS)]
                audio = soxr.resample(audio, digits.SAMPLE_RATE, rate) if rate != digits.SAMPLE_RATE else audio
                if channels == 2:
                    audio = np.stack([audio, 0.8 * audio], axis=1)
                folder = os.path.join(out_dir, word)
                os.makedirs(folder, exist_ok=True)
                sf.write(os.path.join(folder, f"{voice.replace('+', '_')}.{ext}"), audio, rate, subtype=subtype)
                written += 1
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "unseen_digits"), help="output folder")
    parser.add_argument("--seed", type=int, default=0, help="placement of the words")
    args = parser.parse_args(argv)
    print(f"Wrote {build(args.out, args.seed)} clips of {len(VOICES)} unseen voices to {args.out}")


if __name__ == "__main__":
    main()
