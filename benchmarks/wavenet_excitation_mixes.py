"""Is a pitch-excited WaveNet's drawn excitation worth more than white noise? And how periodic is the real one?

    python benchmarks/wavenet_excitation_mixes.py --model runs/shipped_wavenet_pitch_vocoder

For `--per-speaker` recordings (centred 3 s crops, drawn by seed, as
`vocoder.py` takes them) of the training speakers and of each held-out set of
`real_speech`, every excitation below goes through the same all-pole filters
of the log-mel (the model's analysis), and PESQ (wide band) compares the audio
with the recording. In units of the code range (residual / (8 σ)), with
``p`` the free-running pulse train at the log-mel's pitch, ``v`` the voicing,
``T`` the lag and ``d`` the WaveNet's excitation drawn from the log-mel alone
(seed 0, temperature 1):

- *drawn*: ``d`` (the pitch-excited WaveNet as a vocoder);
- *buzz and hiss*: ``√v · p · √T / 8 + √(1 - v) · n / 8``, white noise ``n``
  (`gan_audio.features.pitch.pulse_excited`'s excitation);
- *buzz and the drawn hiss*: the same with ``d`` in place of ``n / 8``;
- *buzz plus the drawn excitation*: ``√v · p · √T / 8 + d``.

A second table measures how periodic the recordings' own excitation is: the
correlation of the scaled residual at each voiced sample with the residual one
period back (the distance between the recording's last two pitch marks), and
one or two samples either side of that. A long-term predictor (an input of the
excitation one period back) can only help as far as this correlation goes.
One run. Needs a run folder of a `pitch_source=True` WaveNet (it reads the
model's layers).
"""
import argparse

import numpy as np
import tensorflow as tf

from gan_audio.features.lpc import framed_synthesis, lpc_residual, per_sample
from gan_audio.features.pitch import pitch_from_log_mel, pulse_train, voicing
from gan_audio.metrics import pesq_score
from gan_audio.models.wavenet import wavenet_generation
from gan_audio.models.wavenet.wavenet_lpc import EXCITATION_SCALE, frame_filters, pseudo_inverse
from gan_audio.models.wavenet.wavenet_pitch import excitation_source
from vocoder import real_speech_clips
from wavenet_pitch_pulses import pitch_model_and_sets

#: Offsets (samples) around one period back at which the residual's correlation is measured.
OFFSETS = (-2, -1, 0, 1, 2)


def per_sample_frames(model, frames, length):
    return per_sample(frames[..., None], length, model.frame_step, model.mel_frame_length)[..., 0].numpy()


def excitation_rows(model, clips, mel):
    """{row name: excitation (B, S)} in code units, and the filters and scale that make audio of them."""
    length = clips.shape[1]
    a, scale = frame_filters(model, mel)
    lag, correlation = pitch_from_log_mel(mel, pseudo_inverse(model), model.sample_rate)
    lag, voiced = per_sample_frames(model, lag, length), per_sample_frames(model, voicing(correlation), length)
    buzz = np.sqrt(voiced) * pulse_train(tf.constant(lag)).numpy() * np.sqrt(lag) / EXCITATION_SCALE
    hiss = np.random.default_rng(0).standard_normal(clips.shape).astype("float32") / EXCITATION_SCALE
    codes = wavenet_generation.fast_generate(model, length, num=len(clips), mel=mel.numpy(), seed=0)
    drawn = model.decoder(codes).numpy()
    rows = {"drawn (the pitch-excited WaveNet)": drawn, "buzz and hiss (white noise; no network)":
            buzz + np.sqrt(1 - voiced) * hiss, "buzz and the drawn excitation as hiss": buzz + np.sqrt(1 - voiced) * drawn,
            "buzz plus the drawn excitation": buzz + drawn}
    return rows, a, per_sample(scale, length, model.frame_step, model.mel_frame_length)


def period_correlations(model, clips, mel):
    """Mean over clips of corr(e[n], e[n - T(n) + k]) over voiced samples, for k in `OFFSETS`."""
    length = clips.shape[1]
    a, scale = frame_filters(model, mel)
    step, window = model.frame_step, model.mel_frame_length
    residual = (lpc_residual(clips, per_sample(a, length, step, window)) / per_sample(scale, length, step, window))
    source = excitation_source(model, mel, length, clips).numpy()
    found = {k: [] for k in OFFSETS}
    index = np.arange(length)
    for e, marks, voiced in zip(residual.numpy(), source[..., 0] > 0, source[..., 1]):
        last = np.maximum.accumulate(np.where(marks, index, -1))
        before = np.full(length, -1)
        positions = np.flatnonzero(marks)
        before[positions[1:]] = positions[:-1]
        previous = np.where(last >= 0, before[np.maximum(last, 0)], -1)
        period = last - previous
        usable = (voiced > 0.5) & (previous >= 0) & (index - period - max(OFFSETS) >= 0)
        if usable.sum() < 100:
            continue
        for k in OFFSETS:
            found[k].append(np.corrcoef(e[usable], e[index[usable] - period[usable] + k])[0, 1])
    return {k: float(np.mean(v)) if v else float("nan") for k, v in found.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a pitch-excited WaveNet vocoder's run folder")
    parser.add_argument("--per-speaker", type=int, default=6, help="recordings per speaker (default: 6)")
    args = parser.parse_args(argv)
    model, sets = pitch_model_and_sets(args.model)
    pesq, periodic = {}, {}
    for name, speakers in sets.items():
        clips = real_speech_clips(speakers, args.per_speaker, seed=0).astype("float32")
        mel = model.log_mel(clips)
        rows, a, scale = excitation_rows(model, clips, mel)
        for row, excitation in rows.items():
            audio = framed_synthesis(excitation * scale, a, model.frame_step, model.mel_frame_length)
            audio = tf.clip_by_value(audio, -1.0, 1.0).numpy()
            pesq.setdefault(row, {})[name] = float(np.nanmean(pesq_score(clips[:, :audio.shape[1]], audio, 16000)))
        periodic[name] = period_correlations(model, clips, mel)
        print(f"{name}: done", flush=True)
    print("\n| excitation | " + " | ".join(f"PESQ, {n}" for n in sets) + " |\n|---|" + "---:|" * len(sets))
    for row, scores in pesq.items():
        print(f"| {row} | " + " | ".join(f"{scores[n]:.2f}" for n in sets) + " |")
    print("\n| clips | " + " | ".join(f"one period back {k:+d}" if k else "one period back" for k in OFFSETS)
          + " |\n|---|" + "---:|" * len(OFFSETS))
    for name, found in periodic.items():
        print(f"| {name} | " + " | ".join(f"{found[k]:.2f}" for k in OFFSETS) + " |")


if __name__ == "__main__":
    main()
