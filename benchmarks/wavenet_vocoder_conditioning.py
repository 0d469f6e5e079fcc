"""How much a WaveNet vocoder's log-mel tells it: bits per sample of real speech given its own
log-mel, another clip's, and a silent one's.

    python benchmarks/wavenet_vocoder_conditioning.py --models runs/shipped_wavenet_vocoder
    python benchmarks/wavenet_vocoder_conditioning.py --models runs/a runs/b --per-speaker 12

A vocoder WaveNet predicts each μ-law code from the codes before it and
the log-mel. If it leans on the codes alone, it predicts speech well under
teacher forcing yet drifts from the log-mel when it runs free (what
`benchmarks/vocoder.py` measures: log-mel L1, STOI). This scores
`--per-speaker` recordings (centred 3 s crops, drawn by seed) of the
training speakers of `real_speech` and of each held-out set with the
model's cross-entropy (bits per sample, teacher forcing) given

- the clip's own log-mel (the model's analysis of the clip);
- another clip's log-mel (clip i takes clip i + 1's, same set);
- the log-mel of silence (every bin at the analysis floor).

The gap between the first two is what the log-mel is worth to the model, in
bits per sample; the run's `history.csv` gives its training cross-entropy.
One run, this machine's CPU, each model in turn on the same clips.
"""
import argparse

import numpy as np
import tensorflow as tf

from gan_audio.models.wavenet.wavenet_conditioning import mel_of
from gan_audio.models.wavenet.wavenet_vocoding import is_vocoder
from gan_audio.training import load_run
from vocoder import real_speech_clips, real_speech_sets


def bits_per_sample(model, clips, mel):
    """Mean cross-entropy (bits) of each clip's next codes given `mel`."""
    codes = model.encode(tf.constant(clips))
    logits = tf.cast(model(codes, None, tf.constant(mel)), tf.float32)
    nats = tf.nn.sparse_softmax_cross_entropy_with_logits(codes[:, 1:], logits[:, :-1])
    return float(tf.reduce_mean(nats)) / np.log(2.0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", required=True, help="WaveNet vocoder runs")
    parser.add_argument("--per-speaker", type=int, default=6, help="recordings per speaker (default: 6)")
    args = parser.parse_args(argv)
    from gan_audio.data.real_speech import SOURCES, TEST_SPEAKERS

    training = [s for s, source in SOURCES.items() if s not in TEST_SPEAKERS and s != "music" and source[2] == 16000]
    sets = {"training speakers": training, **{f"held out: {name}": s for name, s in real_speech_sets().items()}}
    clips = {name: real_speech_clips(speakers, args.per_speaker, seed=1).astype("float32")
             for name, speakers in sets.items()}
    print("| model | clips | own log-mel | another clip's | silence's | own − another |")
    print("|---|---|---:|---:|---:|---:|")
    for path in args.models:
        model, _ = load_run(path)
        if not is_vocoder(model):
            raise SystemExit(f"{path} is not a vocoder WaveNet (log-mel conditioned, no label).")
        for name, batch in clips.items():
            own = np.asarray(mel_of(model, tf.constant(batch)))
            floor = np.full_like(own, 10.0 * np.log10(model.log_mel.amin))  # the analysis floor
            bits = [bits_per_sample(model, batch, mel) for mel in (own, np.roll(own, 1, axis=0), floor)]
            print(f"| {path} | {name} | {bits[0]:.2f} | {bits[1]:.2f} | {bits[2]:.2f} | {bits[1] - bits[0]:.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
