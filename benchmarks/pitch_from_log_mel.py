"""How well a log-mel gives the pitch (`gan_audio.features.pitch`), against pYIN on the audio itself.

    python benchmarks/pitch_from_log_mel.py
    python benchmarks/pitch_from_log_mel.py --per-speaker 20

For `--per-speaker` recordings (centred 3 s crops, drawn by seed) of every
speaker of `real_speech` (16 kHz; the 8 kHz GSM speakers resampled, so their
top octave is empty), the 64-band log-mel of the shipped vocoders' analysis
(1024-sample window, hop 256) gives each frame's pitch lag and voicing;
`librosa.pyin` on the same frames of the audio (60-400 Hz) is the reference.
Per speaker: the voiced frames (pYIN), how many of them get a lag within
10 % (and within 20 %) of pYIN's period, and the mean voicing the log-mel
gives in pYIN's voiced and unvoiced frames. One run.
"""
import argparse

import numpy as np

from gan_audio.features import LogMelSpectrogram
from gan_audio.features.lpc import mel_pseudo_inverse
from gan_audio.features.pitch import PITCH_MAX_HZ, PITCH_MIN_HZ, pitch_from_log_mel, voicing
from vocoder import real_speech_clips


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-speaker", type=int, default=8, help="recordings per speaker (default: 8)")
    args = parser.parse_args(argv)
    import librosa

    from gan_audio.data.real_speech import SOURCES, TEST_SPEAKERS

    sample_rate, frame_length, frame_step = 16000, 1024, 256
    log_mel = LogMelSpectrogram(sample_rate, frame_length, frame_step, num_mel_bins=64)
    pinv = mel_pseudo_inverse(log_mel.mel_matrix.numpy())
    print("| speaker | held out | voiced frames (pYIN) | lag within 10 % | within 20 % | voicing, voiced frames "
          "| voicing, unvoiced frames |\n|---|---|---:|---:|---:|---:|---:|")
    for speaker, source in SOURCES.items():
        if source[3] != "speech":
            continue
        clips = real_speech_clips([speaker], args.per_speaker, seed=1).astype("float32")
        lag, correlation = pitch_from_log_mel(log_mel(clips), pinv, sample_rate)
        lag, voiced_mel = lag.numpy(), voicing(correlation).numpy()
        errors, on, off = [], [], []
        for clip, lags, voiced in zip(clips, lag, voiced_mel):
            f0, flags, _ = librosa.pyin(clip, fmin=PITCH_MIN_HZ, fmax=PITCH_MAX_HZ, sr=sample_rate,
                                        frame_length=frame_length, hop_length=frame_step, center=False)
            n = min(len(f0), len(lags))
            flags = flags[:n]
            errors.append(np.abs(lags[:n][flags] * f0[:n][flags] / sample_rate - 1))
            on.append(voiced[:n][flags]), off.append(voiced[:n][~flags])
        errors, on, off = np.concatenate(errors), np.concatenate(on), np.concatenate(off)
        print(f"| {speaker} | {'yes' if speaker in TEST_SPEAKERS else 'no'} | {len(errors)} "
              f"| {np.mean(errors < 0.1):.0%} | {np.mean(errors < 0.2):.0%} | {np.mean(on):.2f} | {np.mean(off):.2f} |",
              flush=True)


if __name__ == "__main__":
    main()
