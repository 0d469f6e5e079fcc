"""The WaveNet denoiser vs the noisy input and power spectral subtraction, on speech it never heard.

    python benchmarks/denoise.py                                  # saved_models/wavenet_denoiser
    python benchmarks/denoise.py --model runs/denoiser --snrs 0 5 10 --noises white pink brown

Clean speech (16 kHz):

- *held-out digit voices*: the 180 clips of `spoken_digits` by the variants
  `SPOKEN_DIGITS_TEST_VARIANTS` (m5, f3, klatt2), which the shipped
  denoiser is not trained on;
- *unseen-voice sentences*: Harvard sentences (IEEE 1969, list 1) spoken by
  the 10 espeak-ng voices of `scripts/make_unseen_voices.py`, none of them
  in `spoken_digits` (made on the fly; skipped, with a message, without
  espeak-ng and sox).

Each clip is mixed with each noise (`colored_noise`, seeded per clip) at
each SNR (`mix_at_snr`, the SNR over the whole clip), then denoised by
the model (`gan_audio.denoising.denoise`, whole clip, chunked as the CLI)
and by `spectral_subtraction`. Printed: SI-SDR and SNR against the clean
clip (dB) and, with the `quality` extra, PESQ (wide band) and STOI, as
means per material and method; the SI-SDR gain over the noisy input per
input SNR and per noise; and the real-time factor of the model on 10 s
of noisy speech (median of `--repeats` calls after a warm-up, this
machine's CPU threads).
"""
import argparse
import collections
import importlib.util
import os
import shutil
import tempfile
import time

import numpy as np

from gan_audio.data import SPOKEN_DIGITS_TEST_VARIANTS, find_audio_files, load_audio, speaker_split
from gan_audio.data import colored_noise, spoken_digits_variant
from gan_audio.data.mixing import mix_at_snr
from gan_audio.denoising import denoise, open_denoiser
from gan_audio.metrics import available, pesq_score, si_sdr, snr, stoi_score
from gan_audio.spectral_subtraction import spectral_subtraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RATE = 16000
SENTENCES = (  # Harvard sentences, list 1 (IEEE Recommended Practice for Speech Quality Measurements, 1969)
    "The birch canoe slid on the smooth planks.", "Glue the sheet to the dark blue background.",
    "It's easy to tell the depth of a well.", "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.", "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.", "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.", "A large size in stockings is hard to sell.",
)


def held_out_digits():
    _, test = speaker_split(find_audio_files("spoken_digits"), SPOKEN_DIGITS_TEST_VARIANTS,
                            speaker_fn=spoken_digits_variant)
    return [load_audio(p, sample_rate=RATE) for p in test.paths]


def _script(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "scripts", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unseen_sentences():
    """The sentences by unseen voices, trimmed to 0.1 s of silence each side, peak 0.5; [] without espeak-ng."""
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        print("Skipping the unseen-voice sentences: espeak-ng and sox are needed to make them.")
        return []
    digits, voices = _script("make_spoken_digits"), _script("make_unseen_voices").VOICES
    clips = []
    with tempfile.TemporaryDirectory() as work:
        for sentence, voice in zip(SENTENCES, voices):
            audio = digits.synthesize(sentence, voice, 160, 50, work)
            loud = np.flatnonzero(np.abs(audio) > 1e-3 * np.abs(audio).max())
            audio = audio[max(0, loud[0] - RATE // 10):loud[-1] + RATE // 10]
            clips.append((0.5 * audio / np.abs(audio).max()).astype(np.float32))
    return clips


def score(clean, estimate, quality):
    row = {"SI-SDR": float(si_sdr(clean, estimate)), "SNR": float(snr(clean, estimate))}
    if "pesq" in quality:
        row["PESQ"] = float(pesq_score(clean, estimate, RATE))
    if "stoi" in quality:
        row["STOI"] = float(stoi_score(clean, estimate, RATE))
    return row


def evaluate(model, materials, snrs, noises, quality, seed, gain_db=0.0, normalize=True):
    """``{(material, method, snr, noise): [metric dicts]}`` over every clip (scaled by `gain_db`)."""
    results = collections.defaultdict(list)
    for material, clips in materials.items():
        for index, clean in enumerate(clips):
            clean = clean * np.float32(10 ** (gain_db / 20))
            for n, kind in enumerate(noises):
                noise = colored_noise(kind, len(clean), seed=seed * 100003 + index * 17 + n)
                for level in snrs:
                    noisy, scaled = mix_at_snr(clean, noise, level, return_clean=True)
                    estimates = {"noisy input": noisy, "spectral subtraction": spectral_subtraction(noisy, RATE),
                                 "WaveNet denoiser": denoise(model, noisy, RATE, normalize=normalize)}
                    for method, estimate in estimates.items():
                        results[(material, method, level, kind)].append(score(scaled, estimate, quality))
        print(f"  scored {material}: {len(clips)} clips x {len(noises)} noises x {len(snrs)} SNRs", flush=True)
    return results


def mean_of(results, metric, **where):
    keys = ("material", "method", "snr", "noise")
    values = [row[metric] for key, rows in results.items() for row in rows
              if all(key[keys.index(k)] == v for k, v in where.items())]
    values = np.array(values, dtype=float)  # NaN: a clip too short for STOI (see `stoi_score`)
    return float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")


def stoi_scored(results, material):
    """How many of `material`'s clean clips STOI could score (of how many)."""
    rows = [row for key, rows in results.items() if key[0] == material and key[1] == "noisy input" for row in rows]
    return sum(np.isfinite(row["STOI"]) for row in rows), len(rows)


def real_time_factor(model, clips, seconds, repeats, seed):
    """Seconds of audio denoised per second of compute, on `seconds` of noisy speech."""
    speech = np.concatenate(clips)
    speech = np.tile(speech, -(-seconds * RATE // len(speech)))[: seconds * RATE]
    noisy = mix_at_snr(speech, colored_noise("pink", len(speech), seed=seed), 5.0)
    denoise(model, noisy, RATE)  # warm-up: traces the chunk shapes
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        denoise(model, noisy, RATE)
        times.append(time.perf_counter() - start)
    return seconds / float(np.median(times))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="saved_models/wavenet_denoiser", help="a denoiser run or export")
    parser.add_argument("--snrs", type=float, nargs="+", default=[0.0, 5.0, 10.0], help="input SNRs (dB)")
    parser.add_argument("--noises", nargs="+", default=["white", "pink", "brown"], help="noise colours")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise")
    parser.add_argument("--repeats", type=int, default=3, help="timed calls for the real-time factor")
    parser.add_argument("--limit", type=int, help="clips per material (default: all)")
    parser.add_argument("--gain-db", type=float, default=0.0, help="scale the clean speech by this (level test)")
    parser.add_argument("--raw", action="store_true", help="no input level normalisation in `denoise`")
    args = parser.parse_args(argv)
    model = open_denoiser(args.model)
    quality = {metric for metric, found in available().items() if found}
    if len(quality) < 2:
        print("PESQ/STOI skipped: pip install 'gan_audio[quality]' for them.")
    materials = {"held-out digit voices": held_out_digits(), "unseen-voice sentences": unseen_sentences()}
    materials = {name: clips[: args.limit] for name, clips in materials.items() if clips}
    print(f"Denoiser {args.model}: {', '.join(f'{len(c)} {m}' for m, c in materials.items())}; "
          f"noises {', '.join(args.noises)}; SNRs {', '.join(f'{s:g}' for s in args.snrs)} dB", flush=True)
    results = evaluate(model, materials, args.snrs, args.noises, quality, args.seed, args.gain_db, not args.raw)
    methods = ("noisy input", "spectral subtraction", "WaveNet denoiser")
    metrics = ["SI-SDR", "SNR"] + [m.upper() for m in ("pesq", "stoi") if m in quality]
    print(f"\nMeans over {', '.join(args.noises)} noise at {', '.join(f'{s:g}' for s in args.snrs)} dB input SNR "
          f"(dB for SI-SDR and SNR; higher is better):\n")
    print("| material | method | " + " | ".join(metrics) + " |")
    print("|---|---|" + "---:|" * len(metrics))
    for material in materials:
        for method in methods:
            cells = [f"{mean_of(results, m, material=material, method=method):.2f}" for m in metrics]
            print(f"| {material} | {method} | " + " | ".join(cells) + " |")
    if "stoi" in quality:
        counts = {material: stoi_scored(results, material) for material in materials}
        print("\nSTOI over the mixtures with 384 ms of speech after silence removal (shorter ones have no score): "
              + ", ".join(f"{n} of {total} for {material}" for material, (n, total) in counts.items()) + ".")
    print("\nSI-SDR gain over the noisy input (dB), by input SNR and by noise:\n")
    columns = [f"{s:g} dB" for s in args.snrs] + list(args.noises) + ["mean"]
    print("| material | method | " + " | ".join(columns) + " |")
    print("|---|---|" + "---:|" * len(columns))
    for material in materials:
        for method in methods[1:]:
            def gain(**where):
                return (mean_of(results, "SI-SDR", material=material, method=method, **where)
                        - mean_of(results, "SI-SDR", material=material, method="noisy input", **where))
            cells = [gain(snr=s) for s in args.snrs] + [gain(noise=k) for k in args.noises] + [gain()]
            print(f"| {material} | {method} | " + " | ".join(f"{c:+.2f}" for c in cells) + " |")
    factor = real_time_factor(model, [c for clips in materials.values() for c in clips], 10, args.repeats, args.seed)
    print(f"\nReal-time factor: {factor:.1f}x real time (10 s of noisy speech at 16 kHz, `denoise` with 4 s chunks, "
          f"median of {args.repeats} calls, {os.cpu_count()} CPU threads).")


if __name__ == "__main__":
    main()
