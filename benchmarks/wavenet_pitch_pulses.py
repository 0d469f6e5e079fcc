"""Does a pitch-excited WaveNet draw the pulses its source marks? The excitation at the marks, against the recording's.

    python benchmarks/wavenet_pitch_pulses.py --model runs/shipped_wavenet_lpc_vocoder

For `--per-speaker` recordings (centred 3 s crops, drawn by seed) of each
held-out and training set of `real_speech`, with the model's own analysis:

- *the recording*: its scaled LPC residual (what the WaveNet's codes code) at
  its own pitch marks (the training source) and at the other voiced samples;
- *teacher-forced*: the WaveNet's expected value there, given the true past and marks;
- *drawn*: its excitation drawn from the log-mel alone (seed 0, temperature 1),
  at the free-running source's pulses and at the other voiced samples;

each as the mean magnitude (units of the code range: residual / (8 σ)), the
fraction of pulses that are positive, and how often a pulse has the sign of
the one before. One run. Needs a run folder or model (not an export): it
reads the model's layers.
"""
import argparse

import numpy as np
import tensorflow as tf

from gan_audio.features.lpc import lpc_residual, per_sample
from gan_audio.models.wavenet import wavenet_generation
from gan_audio.models.wavenet.wavenet_lpc import frame_filters
from gan_audio.models.wavenet.wavenet_pitch import excitation_source
from gan_audio.sources import open_source
from vocoder import real_speech_clips, real_speech_sets


def pulse_statistics(excitation, pulses, voiced):
    """Mean |e| at pulses and at other voiced samples, fraction of positive pulses, sign persistence."""
    at, rest = pulses > 0.5, (voiced > 0.5) & (pulses <= 0.5)
    persistence = []
    for row, marks in zip(excitation, at):
        signs = np.sign(row[marks])
        persistence.extend(signs[1:] == signs[:-1])
    return (np.abs(excitation[at]).mean(), np.abs(excitation[rest]).mean(), np.mean(excitation[at] > 0),
            np.mean(persistence))


def pitch_model_and_sets(source):
    """The pitch-excited WaveNet of run folder `source`, and {set name: speakers}: the 16 kHz training
    speakers of `real_speech`, then each held-out set."""
    from gan_audio.data.real_speech import SOURCES, TEST_SPEAKERS

    model, _ = open_source(source)
    if not getattr(model, "pitch_source", False):
        raise SystemExit(f"{source} is not a pitch-excited WaveNet (a run folder with `pitch_source=True`).")
    training = [s for s, x in SOURCES.items() if s not in TEST_SPEAKERS and x[3] == "speech" and x[2] == 16000]
    return model, {"training speakers": training, **{f"held out: {k}": v for k, v in real_speech_sets().items()}}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a pitch-excited WaveNet vocoder's run folder")
    parser.add_argument("--per-speaker", type=int, default=3, help="recordings per speaker (default: 3)")
    args = parser.parse_args(argv)
    model, sets = pitch_model_and_sets(args.model)
    decoded = model.decoder(np.arange(model.quantization_channels)).numpy()
    print("| clips | excitation | mean magnitude at pulses | at other voiced samples | pulses positive "
          "| sign as the pulse before |\n|---|---|---:|---:|---:|---:|")
    for name, speakers in sets.items():
        clips = real_speech_clips(speakers, args.per_speaker, seed=1).astype("float32")
        mel, length = model.log_mel(clips), clips.shape[1]
        a, scale = frame_filters(model, mel)
        step, window = model.frame_step, model.mel_frame_length
        residual = (lpc_residual(clips, per_sample(a, length, step, window)) / per_sample(scale, length, step, window))
        marks = excitation_source(model, mel, length, clips).numpy()
        codes = model.encode(clips, mel)
        probabilities = tf.nn.softmax(model(codes[:, :-1], None, mel, source=marks[:, 1:])).numpy()
        expected = np.pad((probabilities * decoded).sum(-1), [[0, 0], [1, 0]])  # E[e] at each predicted sample
        drawn_codes = wavenet_generation.fast_generate(model, length, num=len(clips), mel=mel.numpy(), seed=0)
        free = excitation_source(model, mel, length).numpy()
        rows = [("the recording", residual.numpy(), marks), ("teacher-forced (expected value)", expected, marks),
                ("drawn from the log-mel", model.decoder(drawn_codes).numpy(), free)]
        for label, excitation, source in rows:
            stats = pulse_statistics(excitation, source[..., 0], source[..., 1])
            print(f"| {name} | {label} | {stats[0]:.3f} | {stats[1]:.3f} | {stats[2]:.0%} | {stats[3]:.0%} |",
                  flush=True)


if __name__ == "__main__":
    main()
