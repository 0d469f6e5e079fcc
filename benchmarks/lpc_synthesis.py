"""The LPC vocoder's all-pole filter two ways: sample by sample against by blocks of a frame (equal work).

    python benchmarks/lpc_synthesis.py [--seconds 1 10] [--streams 1 16] [--repeats 5]

`gan_audio.features.lpc.lpc_synthesis` runs ``x_t = e_t + Σ_k a_k x_{t-k}`` one
sample at a time (a traced `tf.scan`); `framed_synthesis` gives the same from
the frames' predictors in blocks of 128 samples that share one (1024/256
frames). Both filter the same excitation (white noise at each frame's level)
with the 16th-order predictors of the same log-mel frames (real speech from
`spoken_digits`, tiled to length), side by side in one process: the best of
`--repeats` calls after one warm-up call, and the largest difference between
their outputs against the largest output. × real time: seconds of audio per
second, for each stream of a batch filtered at once.
"""
import argparse
import time

import numpy as np
import tensorflow as tf

from gan_audio.data import find_audio_files, load_audio
from gan_audio.features import LogMelSpectrogram
from gan_audio.features.lpc import framed_synthesis, lpc_from_log_mel, lpc_synthesis, mel_pseudo_inverse, per_sample

RATE, STEP, LENGTH = 16000, 256, 1024


def best_seconds(function, repeats):
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--seconds", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    files = find_audio_files("spoken_digits")
    speech = np.concatenate([load_audio(p, RATE) for p in files.paths[:10]]).astype(np.float32)
    log_mel = LogMelSpectrogram(RATE, LENGTH, STEP, num_mel_bins=64)
    pinv = mel_pseudo_inverse(log_mel.mel_matrix.numpy())
    print("| streams | seconds | sample by sample: × real time, each stream | framed: × real time, each stream | "
          "framed / sample by sample "
          "| largest difference / largest value |")
    print("|---:|---:|---:|---:|---:|---:|")
    for streams in args.streams:
        for seconds in args.seconds:
            length = seconds * RATE
            clips = np.stack([np.roll(np.resize(speech, length), 4000 * i) for i in range(streams)])
            a, variance = lpc_from_log_mel(log_mel(clips), pinv, order=16)
            noise = tf.random.stateless_normal([streams, length], [0, 1])
            excitation = noise * tf.sqrt(per_sample(variance, length, STEP, LENGTH))
            a_t = per_sample(a, length, STEP, LENGTH)
            plain = best_seconds(lambda: lpc_synthesis(excitation, a_t).numpy(), args.repeats)
            framed = best_seconds(lambda: framed_synthesis(excitation, a, STEP, LENGTH).numpy(), args.repeats)
            reference = lpc_synthesis(excitation, a_t).numpy()
            difference = np.abs(framed_synthesis(excitation, a, STEP, LENGTH).numpy() - reference).max()
            print(f"| {streams} | {seconds} | {seconds / plain:.1f} | {seconds / framed:.1f} | {plain / framed:.1f}× | "
                  f"{difference / np.abs(reference).max():.1e} |", flush=True)


if __name__ == "__main__":
    main()
