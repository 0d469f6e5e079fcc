"""The zoo's denoisers beside RNNoise, DeepFilterNet3, noisereduce and spectral subtraction, on speech they never heard.

    python benchmarks/denoise.py                                  # saved_models/mask_denoiser and wavenet_denoiser
    python benchmarks/denoise.py --model runs/denoiser --snrs 0 5 10 --noises white pink hum --limit 6

Clean speech (16 kHz), none of it in the shipped denoiser's training:

- *real fr_CA_f_June* and *real 8 kHz GSM speakers*: recordings of the
  held-out real speakers (``real_speech:test``, `scripts/make_real_speech.py`;
  skipped with a message when not built), `--limit` per speaker, at least
  1.5 s, centred 4 s crops at most;
- *held-out digit voices*: `--limit` clips of ``spoken_digits:test``;
- *unseen-voice sentences*: Harvard sentences (IEEE 1969, list 1) spoken by
  the 10 espeak-ng voices of `scripts/make_unseen_voices.py` (made on the fly;
  skipped, with a message, without espeak-ng and sox).

Each clip is mixed with each noise (`gan_audio.data.noises.make_noise`, seeded
per clip) at each SNR (`mix_at_snr`, over the whole clip). Noises: white,
pink, mains hum and babble (kinds the denoiser trained on, but babble of other
held-out speakers than the clip's), music from the two tracks training never
used (`HELD_OUT_MUSIC`) and clatter (a kind training never used). Methods:
the noisy input, `spectral_subtraction`, each `--model` (`gan_audio.denoising.denoise`,
whole clip, chunked as the CLI; named by its path) and, with the `peers` extra, RNNoise,
DeepFilterNet3 and noisereduce (`benchmarks/denoise_peers.py`: resampled to
their rate and back, their measured constant delay removed) and, with
`--oracle`, the oracle masks of `benchmarks/denoise_oracle.py`, which know the
clean clip (what limits a mask denoiser). Printed: SI-SDR
(dB) and, with the `quality` extra, PESQ (wide band) and STOI against the clean
clip, as means per material and method; the SI-SDR gain and PESQ per noise;
and each method's real-time factor on 10 s of noisy speech (median of
`--repeats` calls after a warm-up, this machine's CPU threads).
"""
import argparse
import collections
import importlib.util
import os
import shutil
import tempfile
import time

import numpy as np

from gan_audio.data import AudioFileError, colored_noise, find_audio_files, load_audio
from gan_audio.data.mixing import mix_at_snr
from gan_audio.data.noises import NoiseBank, make_noise, music_split
from gan_audio.denoising import denoise, open_denoiser
from gan_audio.metrics import available, pesq_score, si_sdr, snr, stoi_score
from gan_audio.spectral_subtraction import spectral_subtraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RATE = 16000
#: The default noises: white, pink, hum and babble (kinds the shipped denoiser trained on), music (tracks it
#: never heard) and clatter (a kind it never heard).
NOISES = ("white", "pink", "hum", "babble", "music", "clatter")
SENTENCES = (  # Harvard sentences, list 1 (IEEE Recommended Practice for Speech Quality Measurements, 1969)
    "The birch canoe slid on the smooth planks.", "Glue the sheet to the dark blue background.",
    "It's easy to tell the depth of a well.", "These days a chicken leg is a rare dish.",
    "Rice is often served in round bowls.", "The juice of lemons makes fine punch.",
    "The box was thrown beside the parked truck.", "The hogs were fed chopped corn and garbage.",
    "Four hours of steady work faced us.", "A large size in stockings is hard to sell.",
)


def held_out_digits(limit):
    paths = find_audio_files("spoken_digits:test").paths
    return [load_audio(paths[i], sample_rate=RATE) for i in np.random.default_rng(0).permutation(len(paths))[:limit]]


def real_speakers(speakers, limit, seconds=4.0):
    """`limit` recordings (>= 1.5 s, centred crops of at most `seconds`) of each speaker, drawn by seed 0."""
    from gan_audio.data.real_speech import real_speech_speaker

    files, rng, clips = find_audio_files("real_speech:" + ",".join(speakers)).paths, np.random.default_rng(0), []
    for speaker in speakers:
        mine = [p for p in files if real_speech_speaker(p) == speaker]
        taken = [load_audio(mine[i], sample_rate=RATE) for i in rng.permutation(len(mine))[:4 * limit]]
        taken = [a for a in taken if len(a) >= 1.5 * RATE][:limit]
        keep = int(seconds * RATE)
        clips += [a[max(0, (len(a) - keep) // 2):][:keep] for a in taken]
    return clips


def materials_and_banks(limit):
    """``{material: clips}`` and ``{material: NoiseBank}`` (held-out music; babble of other held-out speakers)."""
    from gan_audio.data.real_speech import SOURCES, TEST_SPEAKERS

    materials, talkers = {}, {}
    wide = [s for s in TEST_SPEAKERS if SOURCES[s][2] == 16000]
    narrow = [s for s in TEST_SPEAKERS if SOURCES[s][2] != 16000]
    try:
        music = music_split(find_audio_files("real_speech:music").paths)[1]
        materials[f"real {', '.join(wide)}"] = real_speakers(wide, limit)
        materials["real 8 kHz GSM speakers"] = real_speakers(narrow, max(1, limit // len(narrow)))
        talkers = {f"real {', '.join(wide)}": narrow, "real 8 kHz GSM speakers": wide}
    except AudioFileError as error:
        print(f"Skipping the real speakers and the music noise: {error}")
        music = []
    materials["held-out digit voices"] = held_out_digits(limit)
    materials["unseen-voice sentences"] = unseen_sentences()
    banks = {}
    for material in materials:
        speakers = talkers.get(material, TEST_SPEAKERS if music else [])
        speech = [p for p in (find_audio_files("real_speech:" + ",".join(speakers)).paths if speakers else [])]
        speech = [speech[i] for i in np.random.default_rng(1).permutation(len(speech))[:60]]
        banks[material] = NoiseBank.from_files(music, speech or find_audio_files("spoken_digits:test").paths, RATE)
    return {m: c for m, c in materials.items() if c}, banks


def _module(folder, name):
    """The module of ``ROOT/folder/name.py`` (the benchmarks and scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, folder, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def peer_methods():
    """``{name: fn}`` of the peers that import (`benchmarks/denoise_peers.py`)."""
    return {peer.name: peer for peer in _module("benchmarks", "denoise_peers").available_peers()}


def oracle_methods():
    """``{name: fn(noisy, clean)}`` of `benchmarks/denoise_oracle.py`, each marked ``fn.oracle = True``."""
    oracles = _module("benchmarks", "denoise_oracle").ORACLES
    for fn in oracles.values():
        fn.oracle = True
    return dict(oracles)


def unseen_sentences():
    """The sentences by unseen voices, trimmed to 0.1 s of silence each side, peak 0.5; [] without espeak-ng."""
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        print("Skipping the unseen-voice sentences: espeak-ng and sox are needed to make them.")
        return []
    digits, voices = _module("scripts", "make_spoken_digits"), _module("scripts", "make_unseen_voices").VOICES
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


def evaluate(methods, materials, banks, snrs, noises, quality, seed, gain_db=0.0):
    """``{(material, method, snr, noise): [metric dicts]}`` over every clip (scaled by `gain_db`)."""
    results = collections.defaultdict(list)
    for material, clips in materials.items():
        for index, clean in enumerate(clips):
            clean = clean * np.float32(10 ** (gain_db / 20))
            for n, kind in enumerate(noises):
                noise = make_noise(kind, len(clean), seed * 100003 + index * 17 + n, banks[material], RATE)
                for level in snrs:
                    noisy, scaled = mix_at_snr(clean, noise, level, return_clean=True)
                    for method, fn in methods.items():
                        if fn is None:
                            estimate = noisy
                        else:  # an oracle (`benchmarks/denoise_oracle.py`) also sees the clean clip
                            estimate = fn(noisy, scaled) if getattr(fn, "oracle", False) else fn(noisy)
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


def real_time_factor(fn, clips, seconds, repeats, seed):
    """Seconds of audio denoised per second of compute, on `seconds` of noisy speech."""
    speech = np.concatenate(clips)
    speech = np.tile(speech, -(-seconds * RATE // len(speech)))[: seconds * RATE]
    noisy = mix_at_snr(speech, colored_noise("pink", len(speech), seed=seed), 5.0)
    fn(noisy)  # warm-up: traces the chunk shapes
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(noisy)
        times.append(time.perf_counter() - start)
    return seconds / float(np.median(times))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", nargs="+", default=["saved_models/mask_denoiser", "saved_models/wavenet_denoiser"],
                        help="denoiser runs or exports, side by side (default: the two shipped ones)")
    parser.add_argument("--snrs", type=float, nargs="+", default=[0.0, 5.0, 10.0], help="input SNRs (dB)")
    parser.add_argument("--noises", nargs="+", default=list(NOISES), help=f"noise kinds (default: {' '.join(NOISES)})")
    parser.add_argument("--seed", type=int, default=0, help="seed of the noise")
    parser.add_argument("--repeats", type=int, default=3, help="timed calls for the real-time factor")
    parser.add_argument("--limit", type=int, default=6, help="clips per material / real speaker (default: 6)")
    parser.add_argument("--gain-db", type=float, default=0.0, help="scale the clean speech by this (level test)")
    parser.add_argument("--raw", action="store_true", help="no input level normalisation in `denoise`")
    parser.add_argument("--no-peers", action="store_true", help="leave RNNoise, DeepFilterNet3, noisereduce out")
    parser.add_argument("--oracle", action="store_true",
                        help="add the oracle-mask rows (`benchmarks/denoise_oracle.py`: what a real gain per bin "
                             "could reach knowing the clean speech; no real-time factor)")
    args = parser.parse_args(argv)
    models = {path.rstrip("/"): open_denoiser(path) for path in args.model}
    quality = {metric for metric, found in available().items() if found}
    if len(quality) < 2:
        print("PESQ/STOI skipped: pip install 'gan_audio[quality]' for them.")
    materials, banks = materials_and_banks(args.limit)
    methods = {"noisy input": None, "spectral subtraction": lambda x: spectral_subtraction(x, RATE),
               **{name: (lambda x, m=model: denoise(m, x, RATE, normalize=not args.raw))
                  for name, model in models.items()},
               **({} if args.no_peers else peer_methods()), **(oracle_methods() if args.oracle else {})}
    print(f"Denoisers {', '.join(models)}: {', '.join(f'{len(c)} {m}' for m, c in materials.items())}; "
          f"noises {', '.join(args.noises)}; SNRs {', '.join(f'{s:g}' for s in args.snrs)} dB; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)
    results = evaluate(methods, materials, banks, args.snrs, args.noises, quality, args.seed, args.gain_db)
    metrics = ["SI-SDR"] + [m.upper() for m in ("pesq", "stoi") if m in quality]
    print(f"\nMeans over {', '.join(args.noises)} noise at {', '.join(f'{s:g}' for s in args.snrs)} dB input SNR "
          f"(SI-SDR in dB; higher is better):\n")
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
    for metric, title in (("SI-SDR", "SI-SDR gain over the noisy input (dB)"), ("PESQ", "PESQ")):
        if metric == "PESQ" and "pesq" not in quality:
            continue
        print(f"\n{title}, by input SNR and by noise (clatter and the music tracks were never in training):\n")
        columns = [f"{s:g} dB" for s in args.snrs] + list(args.noises) + ["mean"]
        print("| material | method | " + " | ".join(columns) + " |")
        print("|---|---|" + "---:|" * len(columns))
        for material in materials:
            for method in list(methods)[metric == "SI-SDR":]:
                def value(**where):
                    base = 0.0 if metric == "PESQ" else mean_of(results, metric, material=material,
                                                                method="noisy input", **where)
                    return mean_of(results, metric, material=material, method=method, **where) - base
                cells = [value(snr=s) for s in args.snrs] + [value(noise=k) for k in args.noises] + [value()]
                form = "{:+.2f}" if metric == "SI-SDR" else "{:.2f}"
                print(f"| {material} | {method} | " + " | ".join(form.format(c) for c in cells) + " |")
    clips = [c for clips in materials.values() for c in clips]
    print("\nReal-time factor (10 s of noisy speech at 16 kHz, median of "
          f"{args.repeats} calls, {os.cpu_count()} CPU threads):\n\n| method | × real time |\n|---|---:|")
    for method, fn in methods.items():
        if fn is not None and not getattr(fn, "oracle", False):
            print(f"| {method} | {real_time_factor(fn, clips, 10, args.repeats, args.seed):.1f} |", flush=True)


if __name__ == "__main__":
    main()
