"""Do WaveNet vocoders keep the words? The judge's accuracy on held-out spoken digits they resynthesised.

    python benchmarks/wavenet_vocoder_words.py --models runs/shipped_wavenet_vocoder saved_models/vocoder_wavenet
    python benchmarks/wavenet_vocoder_words.py --models runs/a runs/b --temperatures 0.3 1.0 --clips 200
    python benchmarks/wavenet_vocoder_words.py --models runs/a --data spoken_digits:train   # to choose a temperature

`--clips` clips of `--data` (by default `spoken_digits:test`, the 9 voices
no shipped vocoder trained on; drawn by seed 1) are turned into their log-mels with each
vocoder's own analysis and vocoded: by an autoregressive WaveNet vocoder
free-running at each temperature (seed 0, its `generate` with `mel`), by
any other vocoder (the `Vocoder` family, e.g. its WaveNet head) once. The judge (`gan_audio.judge`)
then names the word of every resynthesis; the table gives the fraction it
names right, and the log-mel L1 (dB) of the resynthesis against the clip
(how much of the spectrum survives). The clips themselves, Griffin-Lim
with 100 iterations, white noise through the frames' all-pole filters
(`gan_audio.features.lpc.noise_excited`) and pulses at the log-mel's pitch
mixed with that noise (`gan_audio.features.pitch.pulse_excited`) on the same
log-mels are the reference rows. One run,
this machine's CPU.
"""
import argparse
import time

import numpy as np

from gan_audio.held_out import real_clips
from gan_audio.judge import load_judge
from gan_audio.judge.robustness import accuracy
from gan_audio.serving_tasks import tasks_of
from gan_audio.sources import open_source
from vocoder import GriffinLimVocoder, NoiseExcitedVocoder


def log_mel_l1(griffin_lim, clips, audio):
    """Mean absolute difference (dB) of the log-mels of `audio` and `clips` (the shorter length of the two)."""
    length = min(clips.shape[1], audio.shape[1])
    return float(np.mean(np.abs(np.asarray(griffin_lim.log_mel(audio[:, :length]))
                                - np.asarray(griffin_lim.log_mel(clips[:, :length])))))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", required=True, help="WaveNet vocoder runs or exports")
    parser.add_argument("--temperatures", type=float, nargs="+", default=[0.3, 0.6, 1.0],
                        help="temperatures to vocode at (default: 0.3 0.6 1.0)")
    parser.add_argument("--clips", type=int, default=100, help="held-out digit clips (default: 100)")
    parser.add_argument("--data", default="spoken_digits:test",
                        help="labelled digit clips (default: spoken_digits:test, the held-out voices)")
    args = parser.parse_args(argv)
    clips, labels, names = real_clips(args.data, args.clips, seed=1)
    judge = load_judge()
    truth = np.array([judge.class_names.index(names[i]) for i in labels])
    rows = [("the clips themselves", "", accuracy(judge, clips, truth), 0.0)]
    reference = None
    for path in args.models:
        model, _ = open_source(path)
        metadata = model.serving_metadata()
        if "vocode" not in tasks_of(model):
            raise SystemExit(f"{path} is not a vocoder.")
        sampled = "generate" in model.endpoint_names and "mel" in model.endpoint_specs("generate")
        griffin_lim = GriffinLimVocoder(metadata["analysis"], 100)
        mel = np.asarray(griffin_lim.log_mel(clips))
        if reference is None:
            audio = griffin_lim(clips)[:, :clips.shape[1]]
            rows.append(("Griffin-Lim, 100 iterations", "", accuracy(judge, audio, truth),
                         log_mel_l1(griffin_lim, clips, audio)))
            for baseline in (NoiseExcitedVocoder(metadata["analysis"]),
                             NoiseExcitedVocoder(metadata["analysis"], pitch=True)):
                audio = baseline(clips)[:, :clips.shape[1]]
                rows.append((baseline.name + " (no network)", "", accuracy(judge, audio, truth),
                             log_mel_l1(griffin_lim, clips, audio)))
            reference = griffin_lim
        for temperature in args.temperatures if sampled else [None]:
            start = time.perf_counter()
            if sampled:
                audio = model.synthesize(len(clips), seed=0, temperature=temperature, num_samples=clips.shape[1],
                                         mel=mel)["waveform"]
            else:
                audio = np.asarray(model.run_endpoint("serving_default", mel=mel)["waveform"])[:, :clips.shape[1]]
            label = "" if temperature is None else f"{temperature:g}"
            rows.append((path, label, accuracy(judge, audio, truth), log_mel_l1(griffin_lim, clips, audio)))
            print(f"{path}, T = {label or '-'}: judge {rows[-1][2]:.1%}, log-mel L1 {rows[-1][3]:.2f} dB "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
    print(f"\nThe judge on {len(clips)} spoken digits ({args.data}) vocoded from their log-mels\n")
    print("| vocoder | temperature | judge hears the word | log-mel L1 (dB) |\n|---|---:|---:|---:|")
    for name, temperature, heard, l1 in rows:
        print(f"| {name} | {temperature} | {heard:.1%} | {l1:.2f} |")


if __name__ == "__main__":
    main()
