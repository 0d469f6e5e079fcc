"""Label → SpecGAN log-mel → vocoder → audio: does the judge hear the requested word?

    python benchmarks/spec_gan_vocoders.py --vocoders saved_models/vocoder_small saved_models/wavenet_lpc_vocoder
    python benchmarks/spec_gan_vocoders.py --vocoders runs/a --temperatures 0.6 1.0 --per-label 20

The generator (by default the shipped `saved_models/spec_gan_digits`) draws
`--per-label` log-mels of every word (seed `--seed`), and each vocoder turns
the same log-mels into audio: the generator's own waveform (Griffin-Lim in
its export), Griffin-Lim with 100 iterations, white noise through each
frame's all-pole filter (`gan_audio.features.lpc.noise_excited`: no network,
the baseline of a WaveNet that draws the excitation), pulses at the log-mel's
pitch mixed with that noise by voicing (`gan_audio.features.pitch.pulse_excited`:
no network, the baseline of a pitch-excited one), and every `--vocoders`
entry.
An autoregressive WaveNet vocoder is drawn at each `--temperatures` (seed 0,
its ``generate`` with ``mel``), any other vocoder once (``serving_default``).
The judge (`gan_audio.judge`) names the word of every clip; the table gives
the fraction it names as requested, the judge's mean confidence in that
word, and how many distinct words the judge hears per label on average (1.0:
every take of a label is heard as one word). One run, this machine's CPU.
"""
import argparse
import time

import numpy as np

from gan_audio.judge import load_judge
from gan_audio.serving_tasks import tasks_of
from gan_audio.sources import open_source
from gan_audio.vocoding import check_analysis
from gan_audio.features.griffin_lim import GriffinLim
from gan_audio.features.lpc import noise_excited
from gan_audio.features.pitch import pulse_excited
from gan_audio.features.spectral import mel_weight_matrix


def judged(judge, audio, requested, batch_size=100):
    """(the words heard, mean probability of the requested word) for clips ``(N, S)``."""
    probabilities = np.concatenate([np.asarray(judge.serve(waveform=audio[i:i + batch_size])["probabilities"])
                                    for i in range(0, len(audio), batch_size)])
    return probabilities.argmax(-1), float(np.mean(probabilities[np.arange(len(audio)), requested]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generator", default="saved_models/spec_gan_digits",
                        help="a label-conditional log-mel generator (default: saved_models/spec_gan_digits)")
    parser.add_argument("--vocoders", nargs="+", required=True, help="vocoder runs or exports")
    parser.add_argument("--temperatures", type=float, nargs="+", default=[0.6, 0.8, 1.0],
                        help="temperatures of autoregressive vocoders (default: 0.6 0.8 1.0)")
    parser.add_argument("--per-label", type=int, default=10, help="log-mels per word (default: 10)")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed (default: 0)")
    args = parser.parse_args(argv)
    generator, class_names = open_source(args.generator)
    judge = load_judge()
    requested_names = [class_names[i] for i in range(len(class_names)) for _ in range(args.per_label)]
    index = np.array([class_names.index(name) for name in requested_names])
    requested = np.array([judge.class_names.index(name) for name in requested_names])
    outputs = generator.synthesize(len(index), labels=index, seed=args.seed)
    mel, metadata = np.asarray(outputs["log_mel"]), generator.serving_metadata()
    rows = []

    def add(name, temperature, audio, seconds):
        words, confidence = judged(judge, np.asarray(audio, np.float32), requested)
        heard = float(np.mean(words == requested))
        distinct = float(np.mean([len(set(row)) for row in words.reshape(-1, args.per_label)]))
        rows.append((name, temperature, heard, confidence, distinct))
        print(f"{name}, T = {temperature or '-'}: judge {heard:.1%}, confidence {confidence:.3f}, "
              f"{distinct:.1f} words per label ({seconds:.0f} s)", flush=True)

    add(f"{args.generator}'s own waveform", "", outputs["waveform"], 0.0)
    start = time.perf_counter()
    griffin_lim = GriffinLim(**metadata["analysis"], iterations=100)
    add("Griffin-Lim, 100 iterations", "", griffin_lim(mel), time.perf_counter() - start)
    start, analysis = time.perf_counter(), metadata["analysis"]
    matrix = mel_weight_matrix(analysis["sample_rate"], analysis["fft_length"], analysis["num_mel_bins"],
                               analysis["fmin"], analysis["fmax"])
    for name, excited in [("white noise through the log-mel's LPC filter", noise_excited),
                          ("pulses at the log-mel's pitch and noise through its LPC filter", pulse_excited)]:
        add(f"{name} (no network)", "", excited(mel, matrix, analysis["frame_step"], sample_rate=analysis["sample_rate"]),
            time.perf_counter() - start)
        start = time.perf_counter()
    for path in args.vocoders:
        vocoder, _ = open_source(path)
        if "vocode" not in tasks_of(vocoder):
            raise SystemExit(f"{path} is not a vocoder.")
        check_analysis(metadata, vocoder.serving_metadata(), args.generator, path)
        sampled = "generate" in vocoder.endpoint_names and "mel" in vocoder.endpoint_specs("generate")
        for temperature in args.temperatures if sampled else [None]:
            start = time.perf_counter()
            if sampled:
                samples = (mel.shape[1] - 1) * metadata["frame_step"] + metadata["analysis"]["frame_length"]
                audio = vocoder.synthesize(len(mel), seed=0, temperature=temperature, num_samples=samples,
                                           mel=mel)["waveform"]
            else:
                audio = vocoder.run_endpoint("serving_default", mel=mel)["waveform"]
            add(path, "" if temperature is None else f"{temperature:g}", audio, time.perf_counter() - start)
    print(f"\nThe judge on {len(mel)} log-mels of {args.generator} ({args.per_label} per word, seed {args.seed}), "
          "each vocoded\n")
    print("| vocoder | temperature | judge hears the requested word | judge's confidence | words heard per label |\n"
          "|---|---:|---:|---:|---:|")
    for name, temperature, heard, confidence, distinct in rows:
        print(f"| {name} | {temperature} | {heard:.1%} | {confidence:.3f} | {distinct:.1f} |")


if __name__ == "__main__":
    main()
