"""A WaveNet vocoder's sampling temperature: PESQ of its resynthesis at each temperature, beside Griffin-Lim.

    python benchmarks/wavenet_vocoder_temperature.py --model runs/shipped_wavenet_vocoder
    python benchmarks/wavenet_vocoder_temperature.py --model runs/wn_voc --temperatures 0.6 0.8

A WaveNet draws every sample from its softmax; at temperature 1 the draws
add a hiss that PESQ punishes, lower temperatures trade it for a flatter
sound. For `--per-speaker` recordings (centred 3 s crops, drawn by seed) of
the *training* speakers of `real_speech` (16 kHz: where the temperature is
chosen; the model heard these recordings) and of each held-out set (the
16 kHz speaker and the 8 kHz GSM speakers: reported, never used to choose),
each clip's log-mel is vocoded at each temperature (seed 0, the vocoder's
`generate` with `mel`) and scored with wide-band PESQ against the clip,
beside Griffin-Lim with 100 iterations on the same log-mel. One run, this
machine's CPU.
"""
import argparse
import time

import numpy as np

from gan_audio.metrics import pesq_score
from gan_audio.serving_tasks import tasks_of
from gan_audio.sources import open_source
from vocoder import GriffinLimVocoder, real_speech_clips, real_speech_sets


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a WaveNet vocoder run or export")
    parser.add_argument("--temperatures", type=float, nargs="+", default=[0.5, 0.6, 0.7, 0.8, 1.0],
                        help="temperatures to score (default: 0.5 0.6 0.7 0.8 1.0)")
    parser.add_argument("--per-speaker", type=int, default=6, help="recordings per speaker (default: 6)")
    args = parser.parse_args(argv)
    from gan_audio.data.real_speech import SOURCES, TEST_SPEAKERS

    model, _ = open_source(args.model)
    metadata = model.serving_metadata()
    if "vocode" not in tasks_of(model) or "mel" not in model.endpoint_specs("generate"):
        raise SystemExit(f"{args.model} is not a vocoder WaveNet (log-mel conditioned, no label).")
    training = [s for s, source in SOURCES.items() if s not in TEST_SPEAKERS and s != "music" and source[2] == 16000]
    sets = {f"training speakers ({', '.join(training)}): choose": training,
            **{f"held out: {name}": speakers for name, speakers in real_speech_sets().items()}}
    griffin_lim = GriffinLimVocoder(metadata["analysis"], 100)
    rows = []
    for name, speakers in sets.items():
        clips = real_speech_clips(speakers, args.per_speaker, seed=1).astype("float32")
        mel = np.asarray(griffin_lim.log_mel(clips))
        reference = griffin_lim(clips)
        row = {"clips": name, "Griffin-Lim 100": float(np.nanmean(pesq_score(clips[:, :reference.shape[1]],
                                                                                reference, 16000)))}
        for temperature in args.temperatures:
            start = time.perf_counter()
            audio = model.synthesize(len(clips), seed=0, temperature=temperature, num_samples=clips.shape[1],
                                     mel=mel)["waveform"]
            row[f"T = {temperature:g}"] = float(np.nanmean(pesq_score(clips, audio, 16000)))
            print(f"{name}, T = {temperature:g}: PESQ {row[f'T = {temperature:g}']:.3f} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
        rows.append(row)
    best = max(args.temperatures, key=lambda t: rows[0][f"T = {t:g}"])
    print(f"\nWide-band PESQ of {args.model}'s resynthesis by temperature ({args.per_speaker} recordings per "
          f"speaker; chosen on the training speakers: T = {best:g})\n")
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |\n|---|" + "---:|" * (len(columns) - 1))
    for row in rows:
        print("| " + " | ".join(f"{row[c]:.2f}" if isinstance(row[c], float) else row[c] for c in columns) + " |")


if __name__ == "__main__":
    main()
