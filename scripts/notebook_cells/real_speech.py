"""Notebook 06: real recorded speech, a held-out speaker, the vocoder vs Griffin-Lim and the denoiser vs its peers."""
CELLS = [
    ("md", r"""# Real recorded speech: train on voices, measure on a voice never heard

Everything before this tutorial used `spoken_digits`, 600 one-second espeak words. Real voices are harder:
breath, room tone, harmonics that a synthesiser never makes. This tutorial

1. builds the **real-speech recipe**: Debian's Asterisk voice prompts (professional speakers in five
   languages, 16 kHz G.722, and two more at 8 kHz GSM), decoded to FLAC by speaker with a manifest;
2. shows the **speaker split**: `real_speech` (training speakers) and `real_speech:test` (one whole 16 kHz
   speaker and both 8 kHz speakers, held out of every shipped training run);
3. puts the shipped **vocoder** beside Griffin-Lim, and the shipped **denoiser** beside RNNoise and
   DeepFilterNet3 (the `peers` extra), on the held-out speaker: spectrograms, audio players, numbers;
4. says how to run both on your own recordings (any format FFmpeg reads) and how to fine-tune on them.

The recordings are not in the repository: `scripts/make_real_speech.py` installs the Debian packages (as
root) and decodes them (about a minute). Licences: the Asterisk core prompts and the music are CC BY-SA
3.0, the French prompts by Armelle Desjardins BSD-style, the Colombian Spanish prompts GPL-2
(`gan_audio.data.real_speech.LICENSES`). `GAN_AUDIO_QUICK=1` (CI) scores one clip per method."""),
    ("code", """import collections
import importlib.util
import os
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Audio, display

import gan_audio
from gan_audio.data import AudioFileError, find_audio_files, load_audio
from gan_audio.data.mixing import mix_at_snr
from gan_audio.data.noises import NoiseBank, make_noise, music_split
from gan_audio.data.real_speech import SOURCES, TEST_SPEAKERS, TRAIN_SPEAKERS, read_manifest, real_speech_speaker
from gan_audio.denoising import denoise, open_denoiser
from gan_audio.export import load_saved_model
from gan_audio.features import GriffinLim, LogMelSpectrogram
from gan_audio.metrics import available, log_mel_l1, pesq_score, si_sdr
from gan_audio.samples import plot_spectrograms

QUICK = os.environ.get("GAN_AUDIO_QUICK") == "1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(gan_audio.__file__)))  # the clone
NUM = 1 if QUICK else 4
try:
    rows = read_manifest()
except AudioFileError:  # not built on this machine yet: install the packages and decode them
    done = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make_real_speech.py")],
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stdout[-2000:] + done.stderr[-2000:])
    rows = read_manifest()
print(f"{len(rows)} recordings; PESQ {'available' if available()['pesq'] else 'not installed (quality extra)'}")"""),
    ("md", """## 1. The recipe and its speaker split

Each row of `manifest.csv` is one recording: speaker, language, kind (speech or music), the rate and codec
it came in, its length. `find_audio_files("real_speech")` gives the training speakers' files,
`"real_speech:test"` the held-out ones, `"real_speech:music"` the music (a real noise); anywhere a data
source is taken (`gan-audio train vocoder --data real_speech spoken_digits:train`)."""),
    ("code", """minutes = collections.Counter()
for row in rows:
    minutes[row["speaker"]] += row["seconds"] / 60
fig, ax = plt.subplots(figsize=(9, 3))
names = list(SOURCES)
colors = ["C0" if s in TRAIN_SPEAKERS else "C3" if s in TEST_SPEAKERS else "gray" for s in names]
ax.barh(names, [minutes[s] for s in names], color=colors)
ax.set_xlabel("minutes")
ax.set_title("training speakers (blue), held out (red), music (gray)")
plt.tight_layout()
plt.show()
for speaker in names:
    package, language, rate, kind = SOURCES[speaker]
    role = "train" if speaker in TRAIN_SPEAKERS else "held out" if speaker in TEST_SPEAKERS else kind
    print(f"{speaker:>20}  {language}  {rate:>5} Hz  {minutes[speaker]:5.1f} min  {role}")"""),
    ("md", """## 2. The vocoder against Griffin-Lim on a speaker it never heard

The vocoder turns a log-mel (64 bins, 1024/256 at 16 kHz) back into a waveform; Griffin-Lim iterates
from the magnitude alone. Both get the same log-mels of the held-out speaker `fr_CA_f_June`.
`benchmarks/vocoder.py` measures this on more recordings (the README's table)."""),
    ("code", """held = [p for p in find_audio_files("real_speech:test").paths if real_speech_speaker(p) == "fr_CA_f_June"]
rng = np.random.default_rng(0)
clips = []
for index in rng.permutation(len(held)):
    audio = load_audio(held[index], sample_rate=16000)
    if len(audio) >= 32000:
        clips.append(audio[(len(audio) - 32000) // 2:][:32000])
    if len(clips) == NUM:
        break
clips = np.stack(clips)
analysis = {"sample_rate": 16000, "frame_length": 1024, "frame_step": 256, "num_mel_bins": 64}
log_mel = LogMelSpectrogram(**analysis)
mel = log_mel(clips).numpy()
vocoder = load_saved_model(os.path.join(ROOT, "saved_models", "vocoder_small"))
outputs = {"Griffin-Lim 32": GriffinLim(**analysis, iterations=32)(mel).numpy(),
           "shipped vocoder": vocoder(mel=mel)["waveform"]}
for name, audio in outputs.items():
    n = audio.shape[1]
    line = f"{name:>16}: log-mel L1 {np.mean(log_mel_l1(mel, log_mel(audio).numpy())):.2f} dB"
    if available()["pesq"]:
        line += f", PESQ {np.mean(pesq_score(clips[:, :n], audio, 16000)):.2f}"
    print(line)
plot_spectrograms(np.stack([mel[0]] + [log_mel(a[:1]).numpy()[0] for a in outputs.values()]),
                  titles=["original (fr_CA_f_June)"] + list(outputs), frame_step=256, sample_rate=16000)
plt.show()
display(Audio(clips[0], rate=16000))
for name, audio in outputs.items():
    print(name)
    display(Audio(audio[0], rate=16000))"""),
    ("md", """## 3. The denoisers against RNNoise and DeepFilterNet3

The same speaker, mixed at 5 dB SNR with babble of *other* held-out speakers and with music from tracks
the denoisers never trained on: the shipped spectral-mask denoiser (`saved_models/mask_denoiser`, a gain
per STFT bin) and the shipped WaveNet denoiser (`saved_models/wavenet_denoiser`, waveform to waveform).
RNNoise and DeepFilterNet3 run at 48 kHz: `benchmarks/denoise_peers.py`
resamples to their rate and back and removes their constant delay (20 and 30 ms), so that all are scored
alike. Without the `peers` extra (`pip install -e ".[peers]"`) only our denoisers and the noisy input are
shown."""),
    ("code", """spec = importlib.util.spec_from_file_location("denoise_peers", os.path.join(ROOT, "benchmarks", "denoise_peers.py"))
peers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peers)
shipped = {name: open_denoiser(os.path.join(ROOT, "saved_models", folder))
           for name, folder in (("mask denoiser", "mask_denoiser"), ("WaveNet denoiser", "wavenet_denoiser"))}
methods = {"noisy input": lambda x: x,
           **{name: (lambda x, m=model: denoise(m, x, 16000)) for name, model in shipped.items()},
           **{peer.name: peer for peer in peers.available_peers()}}
others = [p for p in find_audio_files("real_speech:test").paths if real_speech_speaker(p) != "fr_CA_f_June"]
bank = NoiseBank.from_files(music_split(find_audio_files("real_speech:music").paths)[1], others[:40], 16000)
clean = clips[0]
mixtures = {kind: mix_at_snr(clean, make_noise(kind, len(clean), seed=1, bank=bank), 5.0, return_clean=True)
            for kind in ("babble", "music")}
results = {}
for kind, (noisy, scaled) in mixtures.items():
    for name, method in methods.items():
        estimate = np.asarray(method(noisy), np.float32)
        results[(kind, name)] = estimate
        line = f"{kind:>6} | {name:>24}: SI-SDR {float(si_sdr(scaled, estimate)):6.2f} dB"
        if available()["pesq"]:
            line += f", PESQ {float(pesq_score(scaled, estimate, 16000)):.2f}"
        print(line)"""),
    ("code", """for kind in mixtures:
    shown = [log_mel(results[(kind, name)][None]).numpy()[0] for name in methods]
    plot_spectrograms(np.stack(shown), titles=[f"{name} ({kind})" for name in methods], frame_step=256,
                      sample_rate=16000)
    plt.show()
for (kind, name), audio in results.items():
    print(kind, "-", name)
    display(Audio(audio, rate=16000))"""),
    ("md", """## 4. Your own recordings

Any format FFmpeg reads (WAV, FLAC, MP3, M4A/AAC, Opus, G.722, GSM, AMR, ...) at any rate:

```bash
gan-audio vocode my_recordings/*.m4a --model saved_models/vocoder_small --out resynthesised/
gan-audio denoise my_recordings/*.m4a --model saved_models/mask_denoiser --out cleaned/
```

To fit the shipped models to your voices, fine-tune them (the run starts from the export's weights):

```bash
gan-audio train vocoder --preset small --data my_recordings/ --init-from saved_models/vocoder_small --out runs/my_vocoder
gan-audio train mask-denoiser --data my_recordings/ --init-from saved_models/mask_denoiser \\
    --recipe-option 'noise_kinds=["white", "pink", "hum", "babble"]' --out runs/my_denoiser
```

Keep some of your speakers out of the training folder and score on them: `benchmarks/vocoder.py` and
`benchmarks/denoise.py` take the models and print the tables beside Griffin-Lim and the peers."""),
]
