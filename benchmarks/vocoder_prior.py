"""The mel magnitude prior of the Fourier head, on one clip: log-mel L1 against steps.

    python benchmarks/vocoder_prior.py [--steps 400] [--every 100]

Trains the `tiny` vocoder (dim 32, 2 blocks; the `small` schedule shortened:
300 G-only steps on mel L1 + multi-resolution STFT, then adversarial) on the
first clip of `spoken_digits`, with and without `magnitude_prior`, and prints
the log-mel L1 (dB) of its resynthesis of that clip every `--every` steps, in
all frames and split into voiced frames (loudest band within 40 dB of the
clip's peak) and quiet ones, beside 32-iteration Griffin-Lim. One run, seed 0.
"""
import argparse

import numpy as np
import tensorflow as tf

from gan_audio.data import audio_dataset
from gan_audio.features import GriffinLim, LogMelSpectrogram
from gan_audio.models import Vocoder

ANALYSIS = {"frame_length": 512, "frame_step": 128, "num_mel_bins": 16}


def errors(audio, target, log_mel, voiced):
    error = np.abs(log_mel(audio).numpy() - target)[0]
    return error.mean(), error[voiced].mean(), error[~voiced].mean()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=400, help="training steps (default: 400)")
    parser.add_argument("--every", type=int, default=100, help="steps between measurements (default: 100)")
    args = parser.parse_args(argv)
    clip = next(iter(audio_dataset("spoken_digits", labels=None, batch_size=1, shuffle=False, training=False)))
    log_mel = LogMelSpectrogram(**ANALYSIS)
    target = log_mel(clip).numpy()
    voiced = target[0].max(axis=1) > target.max() - 40
    print("| model | steps | log-mel L1 (dB) | voiced frames | quiet frames |\n|---|---:|---:|---:|---:|")
    griffin_lim = GriffinLim(**ANALYSIS, iterations=32)(target)
    print("| Griffin-Lim, 32 iterations | - | %.2f | %.2f | %.2f |" % errors(griffin_lim, target, log_mel, voiced))
    for prior in (False, True):
        vocoder = Vocoder.from_preset("tiny", dim=32, num_blocks=2, segment_frames=32, warmup_steps=300,
                                      stft_weight=1.0, magnitude_prior=prior, seed=0)
        vocoder.compile(**Vocoder.compile_kwargs("tiny"))
        data = tf.data.Dataset.from_tensors(clip).repeat()
        for step in range(args.every, args.steps + 1, args.every):
            vocoder.fit(data, epochs=1, steps_per_epoch=args.every, verbose=0)
            audio = vocoder.serve(mel=target)["waveform"]
            name = "tiny, magnitude prior" if prior else "tiny, no prior"
            print(f"| {name} | {step} | " + " | ".join(f"{e:.2f}" for e in errors(audio, target, log_mel, voiced))
                  + " |", flush=True)


if __name__ == "__main__":
    main()
