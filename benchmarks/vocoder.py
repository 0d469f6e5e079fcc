"""Vocoders vs Griffin-Lim on speech of voices the vocoder never heard: quality and speed.

    python benchmarks/vocoder.py --vocoders saved_models/vocoder_small [RUN_OR_EXPORT ...]
    python benchmarks/vocoder.py --vocoders runs/voc_small runs/voc_hifigan --unseen /tmp/unseen_digits
    python benchmarks/vocoder.py --vocoders runs/shipped_wavenet_vocoder saved_models/vocoder_small
    python benchmarks/vocoder.py --untrained small hifigan        # speed of the presets as built
    python benchmarks/vocoder.py --real-speech 0                  # without the real-speech rows

For each clip of the held-out voices of `spoken_digits` (the variants
`SPOKEN_DIGITS_TEST_VARIANTS`, which the shipped vocoder is not trained on),
of `--unseen` (other voices and formats, `scripts/make_unseen_voices.py`),
and of the held-out real speakers (``real_speech:test``: `TEST_SPEAKERS`,
never in a shipped training run; `scripts/make_real_speech.py`; the rows
are left out, with a message, when it has not been built): `--real-speech`
recordings of each speaker of at least 1.5 s, drawn by seed, centred 3 s
crops (zero-padded),
the log-mel (the vocoder's analysis, dB) is turned back into audio by
Griffin-Lim (32 and 100 iterations), by white noise through the frames'
all-pole filters (no network; `gan_audio.features.lpc.noise_excited`), by
pulses at the log-mel's pitch mixed with that noise by voicing (no network;
`gan_audio.features.pitch.pulse_excited`) and by each vocoder; the audio is
analysed again and compared with the original log-mel:

- log-mel L1 (dB, mean over frames and bins; lower is better),
- with the `quality` extra, PESQ (wide band) and STOI against the original clip;

then the real-time factor (audio seconds per second of compute, batch 1,
median of `--repeats` calls of the traced function, after a warm-up) for
1 s and 10 s of input, and the parameter count. One run, side by side, on
this machine's CPU threads.
"""
import argparse
import os
import time

import keras
import numpy as np
import tensorflow as tf

from gan_audio.data import (SPOKEN_DIGITS_TEST_VARIANTS, AudioFileError, audio_dataset, find_audio_files, load_audio,
                            speaker_split, spoken_digits_variant)
from gan_audio.features import GriffinLim, LogMelSpectrogram
from gan_audio.features.lpc import noise_excited
from gan_audio.features.pitch import pulse_excited
from gan_audio.metrics import available, log_mel_l1, pesq_score, stoi_score
from gan_audio.serving import RESYNTHESIZE
from gan_audio.sources import open_source
from gan_audio.vocoding import check_analysis


def held_out_clips():
    _, test = speaker_split(find_audio_files("spoken_digits"), SPOKEN_DIGITS_TEST_VARIANTS,
                            speaker_fn=spoken_digits_variant)
    return np.concatenate([w.numpy() for w in audio_dataset(test, labels=None, batch_size=60, shuffle=False,
                                                            training=False)])


def real_speech_clips(speakers, per_speaker, seed=0, length=48000):
    """`per_speaker` recordings of each of `speakers`, as centred crops of `length` (padded)."""
    from gan_audio.data.real_speech import real_speech_speaker

    files = find_audio_files("real_speech:" + ",".join(speakers)).paths
    rng, clips = np.random.default_rng(seed), []
    for speaker in speakers:
        mine = [p for p in files if real_speech_speaker(p) == speaker]
        taken = 0
        for index in rng.permutation(len(mine)):
            if taken == per_speaker:
                break
            audio = load_audio(mine[index], sample_rate=16000)
            if len(audio) >= 24000:
                start = max(0, (len(audio) - length) // 2)
                clips.append(np.pad(audio[start:start + length], (0, max(0, length - len(audio)))))
                taken += 1
    return np.stack(clips)


def real_speech_sets():
    """The held-out real speakers, 16 kHz and 8 kHz GSM apart: {set name: speakers}."""
    from gan_audio.data.real_speech import SOURCES, TEST_SPEAKERS

    wide = [s for s in TEST_SPEAKERS if SOURCES[s][2] == 16000]
    narrow = [s for s in TEST_SPEAKERS if SOURCES[s][2] != 16000]
    return {f"real {', '.join(wide)}": wide, "real 8 kHz GSM speakers": narrow}


def unseen_clips(folder, length=16000):
    clips = [load_audio(p, sample_rate=16000) for p in find_audio_files(folder, labels=None).paths]
    return np.stack([np.pad(c, (0, max(0, length - len(c))))[:length] for c in clips])


class GriffinLimVocoder:
    def __init__(self, analysis, iterations):
        self.name, self.log_mel = f"Griffin-Lim, {iterations} iterations", LogMelSpectrogram(**analysis)
        self.griffin_lim = GriffinLim(**analysis, iterations=iterations)
        self.function = tf.function(lambda w: self.griffin_lim(self.log_mel(w)),
                                    input_signature=[tf.TensorSpec((None, None), tf.float32)])
        self.parameters = 0

    def __call__(self, waveform):
        return np.asarray(self.function(waveform))


class NoiseExcitedVocoder:
    """No network: white noise (`pitch`: pulses at the log-mel's pitch mixed with noise by voicing) through
    each log-mel frame's all-pole filter (`gan_audio.features.lpc.noise_excited`, `.pitch.pulse_excited`)."""

    def __init__(self, analysis, pitch=False):
        self.name = ("pulses at the log-mel's pitch and noise through its LPC filter" if pitch else
                     "white noise through the log-mel's LPC filter")
        self.log_mel, excited = LogMelSpectrogram(**analysis), (pulse_excited if pitch else noise_excited)
        matrix = self.log_mel.mel_matrix.numpy()
        self.function = tf.function(lambda w: excited(self.log_mel(w), matrix, analysis["frame_step"],
                                                      sample_rate=analysis["sample_rate"]),
                                    input_signature=[tf.TensorSpec((None, None), tf.float32)])
        self.parameters = 0

    def __call__(self, waveform):
        return np.asarray(self.function(waveform))


class TrainedVocoder:
    def __init__(self, source):
        self.target, _ = open_source(source)
        self.name = os.path.relpath(source) if os.path.exists(source) else source
        model = self.target
        if not isinstance(model, keras.Model):  # an export: rebuild the model from its stored config to count
            info = self.target.info
            model = keras.saving.get_registered_object(f"gan_audio>{info['class_name']}").from_config(info["config"])
        self.parameters = getattr(model, "generator", model).count_params()  # a GAN vocoder's G; a WaveNet whole

    def __call__(self, waveform):
        return self.target.run_endpoint(RESYNTHESIZE, waveform=waveform)["waveform"]


class UntrainedVocoder:
    """A preset's generator with its initial weights: its speed only (its audio means nothing)."""

    def __init__(self, preset):
        from gan_audio.models import Vocoder

        model = Vocoder.from_preset(preset, seed=0)
        self.name, self.parameters = f"`{preset}` preset, untrained (speed only)", model.generator.count_params()
        self.function = tf.function(lambda w: model.resynthesize(w)["waveform"],
                                    input_signature=[tf.TensorSpec((None, None), tf.float32)])

    def __call__(self, waveform):
        return np.asarray(self.function(waveform))


def quality(vocoder, clips, log_mel, batch_size=30):
    outputs = np.concatenate([vocoder(clips[i:i + batch_size]) for i in range(0, len(clips), batch_size)])
    reference = np.asarray(log_mel(clips))
    row = {"log-mel L1 (dB)": float(np.mean(log_mel_l1(reference, np.asarray(log_mel(outputs)))))}
    n = outputs.shape[1]
    if available()["pesq"]:
        row["PESQ"] = float(np.nanmean(pesq_score(clips[:, :n], outputs, 16000)))  # NaN: no utterance found
    if available()["stoi"]:
        row["STOI"] = float(np.nanmean(stoi_score(clips[:, :n], outputs, 16000)))  # NaN: too short to score
    return row


def real_time_factor(vocoder, seconds, repeats, budget=30.0):
    """Audio seconds per second: the median of `repeats` calls, fewer (at least 3) once `budget` s are spent."""
    waveform = (0.1 * np.random.default_rng(0).standard_normal((1, int(16000 * seconds)))).astype("float32")
    vocoder(waveform)  # trace and warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        vocoder(waveform)
        times.append(time.perf_counter() - start)
        if len(times) >= 3 and sum(times) > budget:
            break
    return seconds / float(np.median(times))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vocoders", nargs="*", default=["saved_models/vocoder_small"], help="runs or exports")
    parser.add_argument("--untrained", nargs="*", default=[], help="presets timed with initial weights (no quality)")
    parser.add_argument("--unseen", help="a folder of other voices (scripts/make_unseen_voices.py)")
    parser.add_argument("--real-speech", type=int, default=20,
                        help="recordings per held-out real speaker (0: no real-speech rows; default: 20)")
    parser.add_argument("--repeats", type=int, default=20, help="timed calls per length (default: 20)")
    args = parser.parse_args(argv)
    trained = [TrainedVocoder(source) for source in args.vocoders]
    for other in trained[1:]:  # one table compares vocoders of one log-mel
        check_analysis(trained[0].target.serving_metadata(), other.target.serving_metadata(), trained[0].name,
                       other.name)
    analysis = dict(trained[0].target.serving_metadata()["analysis"]) if trained else {
        "sample_rate": 16000, "frame_length": 1024, "frame_step": 256, "num_mel_bins": 64}
    vocoders = [GriffinLimVocoder(analysis, 32), GriffinLimVocoder(analysis, 100), NoiseExcitedVocoder(analysis),
                NoiseExcitedVocoder(analysis, pitch=True),
                *trained,
                *[UntrainedVocoder(preset) for preset in args.untrained]]
    sets = {"held-out voices": held_out_clips()}
    if args.unseen:
        sets[f"other voices ({os.path.basename(args.unseen.rstrip('/'))})"] = unseen_clips(args.unseen)
    if args.real_speech:
        try:
            for name, speakers in real_speech_sets().items():
                sets[name] = real_speech_clips(speakers, args.real_speech)
        except AudioFileError as error:
            print(f"No real-speech rows: {error}")
    log_mel = LogMelSpectrogram(**analysis)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; clips: "
          + ", ".join(f"{name} {len(clips)}" for name, clips in sets.items()), flush=True)
    rows = []
    for vocoder in vocoders:
        row = {"vocoder": vocoder.name, "parameters": vocoder.parameters}
        for name, clips in sets.items():
            scores = (quality(vocoder, clips, log_mel) if not isinstance(vocoder, UntrainedVocoder)
                      else {key: "-" for key in quality(vocoders[0], clips[:2], log_mel)})
            row.update({f"{key}, {name}": value for key, value in scores.items()})
        row["× real time, 1 s"] = real_time_factor(vocoder, 1.0, args.repeats)
        row["× real time, 10 s"] = real_time_factor(vocoder, 10.0, max(3, args.repeats // 4))
        rows.append(row)
        print(row, flush=True)
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |\n|---|" + "---:|" * (len(columns) - 1))
    for row in rows:
        print("| " + " | ".join(f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()
