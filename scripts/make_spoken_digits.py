"""Generate the bundled ``spoken_digits`` data set with espeak-ng and sox.

The words "zero" ... "nine" are spoken by a fixed, small set of espeak-ng
voices (accents ``en-us``, ``en-gb``, ``en-gb-x-rp`` combined with the
variants ``m1``-``m5``, ``f1``-``f3``, ``klatt``, ``klatt2``) at a few speeds
and pitches. Every other espeak voice stays available as an unseen speaker.

Each clip is 16 kHz mono, exactly 1.0 s (16000 samples; speech centred, zero
padded), peak-normalised to -1 dBFS and stored as 16-bit FLAC in
``gan_audio/data/spoken_digits/<word>/<voice-tag>.flac``. A ``manifest.json``
records how the data were made. The output is deterministic: running the same
command twice gives byte-identical files (espeak-ng and sox are run without
randomness; sox writes 32-bit float so no dither is applied).

espeak-ng and sox are needed only to regenerate the data, never to use it.

Example:
    $ python scripts/make_spoken_digits.py            # regenerate in place
    $ python scripts/make_spoken_digits.py --out /tmp/digits --combos-per-voice 1
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import soundfile as sf

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
ACCENTS = ("en-us", "en-gb", "en-gb-x-rp")
VARIANTS = ("m1", "m2", "m3", "m4", "m5", "f1", "f2", "f3", "klatt", "klatt2")
SPEEDS = (130, 160, 190)  # espeak-ng -s, words per minute
PITCHES = (35, 50, 65)  # espeak-ng -p, 0..99
SAMPLE_RATE = 16000
NUM_SAMPLES = 16000
PEAK_DBFS = -1.0
TRIM_DB = -40.0  # leading/trailing parts quieter than this (re. peak) are silence
FADE_SAMPLES = 80  # 5 ms raised-cosine fade-in/out at the trimmed edges
DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), os.pardir, "gan_audio", "data", "spoken_digits"
)


def voice_settings(combos_per_voice):
    """List the (voice, speed, pitch) settings used for every word.

    The 30 voices are enumerated in a fixed order; voice ``i`` gets the
    speed/pitch combinations ``(i + k * step) mod 9`` for ``k < combos_per_voice``,
    so all nine combinations are used about equally often.

    Args:
        combos_per_voice: how many speed/pitch combinations each voice speaks (1-9).

    Returns:
        A list of ``(voice, speed, pitch)`` tuples, e.g. ``("en-us+m3", 160, 50)``.

    Example:
        >>> voice_settings(2)[:2]
        [('en-us+m1', 130, 35), ('en-us+m1', 160, 50)]
    """
    combos = [(s, p) for s in SPEEDS for p in PITCHES]
    if not 1 <= combos_per_voice <= len(combos):
        raise ValueError(f"combos_per_voice must be in 1..{len(combos)}, got {combos_per_voice}")
    step = 4 if combos_per_voice > 1 else 1  # 4 is coprime with 9: spreads the choices
    settings = []
    for i, (accent, variant) in enumerate((a, v) for a in ACCENTS for v in VARIANTS):
        for k in range(combos_per_voice):
            speed, pitch = combos[(i + k * step) % len(combos)]
            settings.append((f"{accent}+{variant}", speed, pitch))
    return settings


def voice_tag(voice, speed, pitch):
    """File-name tag for a setting, e.g. ``en-us_m3_s160_p50``.

    Args:
        voice: espeak voice name ``accent+variant``.
        speed: words per minute.
        pitch: espeak pitch 0..99.

    Example:
        >>> voice_tag("en-gb-x-rp+f2", 130, 65)
        'en-gb-x-rp_f2_s130_p65'
    """
    return f"{voice.replace('+', '_')}_s{speed}_p{pitch}"


def synthesize(word, voice, speed, pitch, workdir):
    """Speak one word and return it as float32 samples at 16 kHz.

    Args:
        word: the text to speak.
        voice: espeak voice name.
        speed: words per minute (``-s``).
        pitch: pitch (``-p``).
        workdir: folder for the temporary files.

    Example:
        >>> x = synthesize("one", "en-us+m1", 160, 50, "/tmp")  # doctest: +SKIP
    """
    raw = os.path.join(workdir, "espeak.wav")
    res = os.path.join(workdir, "sox.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch),
                    "-w", raw, word], check=True, capture_output=True)
    subprocess.run(["sox", raw, "-e", "floating-point", "-b", "32", res,
                    "remix", "-", "rate", "-h", str(SAMPLE_RATE)], check=True, capture_output=True)
    audio, sr = sf.read(res, dtype="float32")
    assert sr == SAMPLE_RATE
    return audio


def centre_clip(audio, num_samples=NUM_SAMPLES, trim_db=TRIM_DB, peak_dbfs=PEAK_DBFS):
    """Trim silence, fade the edges, centre in ``num_samples`` (zero pad / centre trim),
    normalise the peak.

    Args:
        audio: 1-D float array.
        num_samples: output length.
        trim_db: leading/trailing samples below ``peak * 10**(trim_db/20)`` are dropped.
        peak_dbfs: output peak level in dBFS.

    Example:
        >>> y = centre_clip(np.r_[np.zeros(10), np.ones(400), np.zeros(3)], num_samples=500)
        >>> y.shape, int(np.argmax(y > 0)), round(float(y.max()), 3)
        ((500,), 50, 0.891)
    """
    audio = np.asarray(audio, dtype=np.float64)
    peak = np.max(np.abs(audio))
    if peak <= 0:
        raise ValueError("silent synthesis")
    loud = np.flatnonzero(np.abs(audio) >= peak * 10 ** (trim_db / 20))
    audio = audio[loud[0]:loud[-1] + 1].copy()
    fade = min(FADE_SAMPLES, len(audio) // 4)  # no click where the trimmed edge was
    if fade:
        ramp = 0.5 - 0.5 * np.cos(np.pi * (np.arange(fade) + 0.5) / fade)
        audio[:fade] *= ramp
        audio[-fade:] *= ramp[::-1]
    if len(audio) > num_samples:
        start = (len(audio) - num_samples) // 2
        audio = audio[start:start + num_samples]
    out = np.zeros(num_samples)
    start = (num_samples - len(audio)) // 2
    out[start:start + len(audio)] = audio
    out *= 10 ** (peak_dbfs / 20) / np.max(np.abs(out))
    return out.astype(np.float32)


def espeak_version():
    """Return the espeak-ng version string, e.g. ``"1.51"``."""
    out = subprocess.run(["espeak-ng", "--version"], check=True, capture_output=True, text=True)
    line = out.stdout.strip().splitlines()[0]  # "eSpeak NG text-to-speech: 1.51  Data at: ..."
    return line.split(":", 1)[1].split()[0] if ":" in line else line


def folder_size_mb(path):
    """Total size in MB (1e6 bytes) of all files under ``path``."""
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)
    return total / 1e6


def build(out_dir, combos_per_voice=2, max_mb=10.0):
    """Generate all clips and the manifest into ``out_dir`` (old FLACs are replaced).

    Args:
        out_dir: target folder (``<out_dir>/<word>/<tag>.flac``).
        combos_per_voice: speed/pitch combinations per voice.
        max_mb: fail if the result is larger than this.

    Returns:
        The manifest dict.

    Example:
        >>> build("/tmp/digits", combos_per_voice=1)  # doctest: +SKIP
    """
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed to regenerate the data (apt-get install {tool})")
    settings = voice_settings(combos_per_voice)
    os.makedirs(out_dir, exist_ok=True)
    counts = {}
    longest = 0
    with tempfile.TemporaryDirectory() as work:
        for word in WORDS:
            word_dir = os.path.join(out_dir, word)
            shutil.rmtree(word_dir, ignore_errors=True)
            os.makedirs(word_dir)
            for voice, speed, pitch in settings:
                audio = synthesize(word, voice, speed, pitch, work)
                loud = np.flatnonzero(np.abs(audio) >= np.abs(audio).max() * 10 ** (TRIM_DB / 20))
                longest = max(longest, int(loud[-1] - loud[0] + 1))
                clip = centre_clip(audio)
                path = os.path.join(word_dir, voice_tag(voice, speed, pitch) + ".flac")
                sf.write(path, clip, SAMPLE_RATE, subtype="PCM_16", format="FLAC")
            counts[word] = len(settings)
    manifest = {
        "name": "spoken_digits",
        "note": ("Synthetic speech generated by scripts/make_spoken_digits.py with espeak-ng "
                 "and sox; no recordings of people. Only the voices listed here are used, "
                 "so all other espeak-ng voices are unseen speakers."),
        "generator": "scripts/make_spoken_digits.py",
        "espeak_ng_version": espeak_version(),
        "sample_rate": SAMPLE_RATE,
        "num_samples": NUM_SAMPLES,
        "format": "FLAC, 16-bit PCM, mono",
        "peak_dbfs": PEAK_DBFS,
        "trim_db": TRIM_DB,
        "fade_ms": 1000 * FADE_SAMPLES / SAMPLE_RATE,
        "words": list(WORDS),
        "accents": list(ACCENTS),
        "variants": list(VARIANTS),
        "speeds_wpm": list(SPEEDS),
        "pitches": list(PITCHES),
        "combos_per_voice": combos_per_voice,
        "voices": sorted({v for v, _, _ in settings}),
        "settings": [{"voice": v, "speed": s, "pitch": p, "tag": voice_tag(v, s, p)}
                     for v, s, p in settings],
        "longest_speech_samples": longest,
        "speech_trimmed": longest > NUM_SAMPLES,
        "counts": counts,
        "total_clips": sum(counts.values()),
    }
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    size = folder_size_mb(out_dir)
    print(f"wrote {manifest['total_clips']} clips, {size:.2f} MB to {os.path.normpath(out_dir)}")
    if size > max_mb:
        raise SystemExit(f"data set is {size:.2f} MB > {max_mb} MB: lower --combos-per-voice")
    return manifest


def main(argv=None):
    """Command line entry point (see module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--combos-per-voice", type=int, default=2,
                        help="speed/pitch combinations per voice (30 voices)")
    parser.add_argument("--max-mb", type=float, default=10.0, help="size limit in MB")
    args = parser.parse_args(argv)
    build(args.out, args.combos_per_voice, args.max_mb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
