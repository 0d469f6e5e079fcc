"""Continuous speech for training the denoiser: random phrases by the training voices of `spoken_digits`.

The bundled `spoken_digits` holds single words; a denoiser trained on them
alone has never heard running speech (joins between words, longer vowels,
phrase-level pitch). This script makes `--per-voice` phrases for each of
the 21 voices of `spoken_digits` that are not held out
(`SPOKEN_DIGITS_TEST_VARIANTS`: m5, f3 and klatt2 stay unheard, as do the
voices of `make_unseen_voices.py` that `benchmarks/denoise.py` speaks its
sentences with). A phrase is 5 to 9 words drawn from `VOCABULARY` (a word
list written for this script; no sentence corpus), spoken at one of the
dataset's speeds and pitches, resampled to 16 kHz by sox, trimmed to 0.1 s of
silence each side and scaled to a peak of -1 dBFS, as the digits. Output:
``OUT/<voice>_<k>.flac``, written to a temporary folder first and moved in
when complete (a finished folder is reused). Nothing here is committed;
espeak-ng and sox are needed.

`--voices other` speaks them with `other_voices()` instead: espeak-ng voice
variants that no bundled clip, no benchmark and no held-out split uses
(every variant of `spoken_digits` and of `make_unseen_voices.py` is left
out, whatever the accent), for a denoiser that should hear more kinds of
voice than the 21.

Example:
    $ python scripts/make_denoiser_phrases.py --out runs/denoiser_phrases   # 210 phrases, about 10 minutes of speech
    $ python scripts/make_denoiser_phrases.py --voices other --out runs/denoiser_phrases_other
"""
import argparse
import glob
import importlib.util
import os
import shutil
import sys
import tempfile

import numpy as np
import soundfile as sf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
_spec = importlib.util.spec_from_file_location("make_spoken_digits", os.path.join(HERE, "make_spoken_digits.py"))
digits = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(digits)

VOCABULARY = tuple("""
the a one two three four five six seven eight nine ten small large old new green blue red yellow white black
morning evening night summer winter river mountain window garden kitchen table chair paper letter story music
water bread coffee apple orange market station bridge village city road street house room door floor wall
teacher doctor farmer driver sister brother mother father friend neighbour child people dog horse bird fish
walk walks walked run runs carry carries open opens close closes find finds bring brings watch watches
build builds paint paints count counts remember remembers follow follows leave leaves wait waits
quickly slowly quietly often never always today tomorrow yesterday again almost already together outside
under over behind between before after during with without into from across around near far
and but because while when if so then also only still very really perhaps every each many few
bright heavy warm cold soft loud quiet empty busy careful simple strange famous gentle narrow
""".split())
PHRASE_WORDS = (5, 9)  # words per phrase, inclusive
#: espeak-ng variants for `--voices other`: none is a variant of `spoken_digits` (m1-m5, f1-f3, klatt,
#: klatt2) or of `make_unseen_voices.py` (m6-m8, f4, f5, klatt3, klatt4, Annie, john), so the voices
#: benchmarks/denoise.py speaks its sentences with stay unheard; robotic and whispered variants are left out.
OTHER_VARIANTS = ("adam", "Alex", "Alicia", "Andrea", "Andy", "antonio", "aunty", "belinda", "benjamin", "boris",
                  "caleb", "david", "ed", "edward", "Gene", "gustave", "Henrique", "Hugo", "iven", "Jacky", "Lee",
                  "linda", "marcelo", "Marco", "Mario", "max", "Michael", "michel", "miguel", "Mike", "Nguyen",
                  "pablo", "paul", "pedro", "quincy", "rob", "robert", "steph", "norbert", "sandro", "shelby",
                  "travis", "victor", "zac", "anika", "grandpa", "grandma", "klatt5", "klatt6")
OTHER_ACCENTS = ("en-us", "en-gb", "en-gb-x-rp", "en-us-nyc")


def training_voices():
    """(voice, speed, pitch) settings of the 21 `spoken_digits` voices that are not held out."""
    from gan_audio.data import SPOKEN_DIGITS_TEST_VARIANTS

    settings = digits.voice_settings(len(digits.SPEEDS) * len(digits.PITCHES))
    return [s for s in settings if s[0].split("+")[1] not in SPOKEN_DIGITS_TEST_VARIANTS]


def other_voices():
    """(voice, speed, pitch) settings for `--voices other`: each of `OTHER_VARIANTS` with one of
    `OTHER_ACCENTS` in turn, at every speed and pitch of the digits (chosen per phrase)."""
    return [(f"{OTHER_ACCENTS[i % len(OTHER_ACCENTS)]}+{v}", None, None) for i, v in enumerate(OTHER_VARIANTS)]


def phrase_clip(audio, rate=digits.SAMPLE_RATE):
    """Trimmed to 0.1 s of silence each side (40 dB below the peak), peak -1 dBFS."""
    loud = np.flatnonzero(np.abs(audio) > 10 ** (digits.TRIM_DB / 20) * np.abs(audio).max())
    audio = audio[max(0, loud[0] - rate // 10):loud[-1] + rate // 10]
    return (10 ** (digits.PEAK_DBFS / 20) * audio / np.abs(audio).max()).astype(np.float32)


def build(out_dir, per_voice=10, seed=0, voices="training"):
    """Writes the phrases to `out_dir` (reused when complete); returns their paths, sorted.
    `voices`: ``training`` (the 21 voices of `spoken_digits:train`) or ``other`` (`other_voices`)."""
    if voices not in ("training", "other"):
        raise ValueError(f"voices must be 'training' or 'other', got {voices!r}")
    done = sorted(glob.glob(os.path.join(out_dir, "*.flac")))
    voices = sorted({voice for voice, _, _ in (training_voices() if voices == "training" else other_voices())})
    if len(done) == len(voices) * per_voice:
        return done
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        raise SystemExit("make_denoiser_phrases: espeak-ng and sox are needed to make the phrases.")
    rng = np.random.default_rng(seed)
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent) as work:
        staging = os.path.join(work, "phrases")
        os.makedirs(staging)
        for voice in voices:
            for k in range(per_voice):
                words = rng.choice(VOCABULARY, size=rng.integers(PHRASE_WORDS[0], PHRASE_WORDS[1] + 1))
                speed, pitch = rng.choice(digits.SPEEDS), rng.choice(digits.PITCHES)
                audio = phrase_clip(digits.synthesize(" ".join(words), voice, speed, pitch, work))
                sf.write(os.path.join(staging, f"{voice.replace('+', '_')}_{k}.flac"), audio,
                         digits.SAMPLE_RATE, subtype="PCM_16")
        if os.path.isdir(out_dir):
            shutil.rmtree(out_dir)
        os.replace(staging, out_dir)
    return sorted(glob.glob(os.path.join(out_dir, "*.flac")))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("runs", "denoiser_phrases"),
                        help="output folder (default: runs/denoiser_phrases)")
    parser.add_argument("--per-voice", type=int, default=10, help="phrases per voice (default: 10)")
    parser.add_argument("--seed", type=int, default=0, help="words, speeds and pitches (default: 0)")
    parser.add_argument("--voices", choices=("training", "other"), default="training",
                        help="the 21 training voices of spoken_digits, or other_voices(): variants no bundled clip "
                             "or benchmark uses (default: training)")
    args = parser.parse_args(argv)
    paths = build(args.out, args.per_voice, args.seed, args.voices)
    seconds = sum(sf.info(p).duration for p in paths)
    print(f"{len(paths)} phrases, {seconds / 60:.1f} minutes of speech, in {args.out}")


if __name__ == "__main__":
    main()
