"""Notebook 03: the spectrogram GAN and the vocoder (article 2)."""
CELLS = [
    ("md", """# Speech generation with GANs (article 2): a Conv2D spectrogram GAN and a GAN vocoder

Article 2 generates speech with a Conv2D generator and discriminator (BatchNorm, tanh). A GAN that makes
spectrograms still needs a way back to a waveform: Griffin-Lim is slow and sounds metallic; a **GAN
vocoder** learns the inverse. This tutorial shows the article's network, the zoo's conditional SpecGAN,
and Griffin-Lim against the vocoder heads, by ear, by eye, by number and by the clock.

`GAN_AUDIO_QUICK=1` (CI) trains for seconds; the shipped models in `saved_models/` do the rest."""),
    ("code", """import os
import time

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Audio, display

from gan_audio.data import (SPOKEN_DIGITS_TEST_VARIANTS, audio_dataset, find_audio_files, speaker_split,
                            spoken_digits_variant)
from gan_audio.export import load_saved_model
from gan_audio.features import GriffinLim, LogMelSpectrogram
from gan_audio.judge import load_judge
from gan_audio.metrics import log_mel_l1
from gan_audio.models import SpecGAN, Vocoder
from gan_audio.recipes import spectrogram_gan_dataset, vocoder_dataset
from gan_audio.samples import plot_spectrograms

QUICK = os.environ.get("GAN_AUDIO_QUICK") == "1"
import gan_audio

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(gan_audio.__file__)))  # the clone: saved_models/ is there
SPEC_GAN = os.path.join(ROOT, "saved_models", "spec_gan_digits")
VOCODER = os.path.join(ROOT, "saved_models", "vocoder_small")
print("quick mode" if QUICK else "full mode", SPEC_GAN, VOCODER)"""),
    ("md", """## 1. The article's network: `article2`

The article's discriminator is kept as written (Conv2D 64, 128, 256, 512, 4×4, stride 2, BatchNorm,
LeakyReLU, then Conv2D 7×7 and Dense 1) on 128×128 log-mels. Its "generator" maps an image to an image;
as a generator from noise the same layers are mirrored into transposed convolutions. At 10 M weights it
takes seconds per step on two CPU cores, so we only look at it."""),
    ("code", """article = SpecGAN.from_preset("article2")
article.discriminator.summary(line_length=90)
print(f"generator: {article.generator.count_params():,} weights -> {article.generator.output_shape}")"""),
    ("md", """## 2. The zoo's SpecGAN: label-conditional, projection discriminator, hinge loss

`SpecGAN.from_preset("default")` works on 64×64 log-mels (1024/256 at 16 kHz: the vocoder's analysis).
The generator takes noise and a label embedding (Dense → 4×4×192 → four stride-2 transposed convolutions
with BatchNorm → tanh, 1.6 M weights); the discriminator is four stride-2 convolutions with LeakyReLU and a
projection head, which sees the label as an inner product with its features. Hinge loss, Adam 2e-4 β1 0.5.
Spectral normalisation, DiffAugment-style time shifts and an auxiliary classifier are constructor
options; on `spoken_digits` each of them made this model *slower* to produce recognisable words
(`benchmarks/spec_gan.py`, README). A few steps here; the shipped model trained for much longer (see its
model card, `saved_models/spec_gan_digits/README.md`)."""),
    ("code", """model = SpecGAN.from_preset("default", conditional=True, num_classes=10, seed=0)
data = spectrogram_gan_dataset(model, {"data": "spoken_digits", "labelled": True})
model.compile(**SpecGAN.compile_kwargs("default"))
history = model.fit(data.dataset, epochs=1, steps_per_epoch=5 if QUICK else 200, verbose=2)

shipped = load_saved_model(SPEC_GAN)
names = shipped.metadata["class_names"]
digits = shipped.synthesize(10, labels=list(range(10)), seed=0)
plot_spectrograms(digits["log_mel"], titles=names)
plt.show()"""),
    ("md", """## 3. Two vocoder heads

`Vocoder` has two generator heads. The **HiFi-GAN** head upsamples frames to samples with weight-normalised
transposed convolutions and multi-receptive-field residual blocks; the **Fourier** head (Vocos-style)
stays at frame rate, predicts each frame's STFT log-magnitude and phase with ConvNeXt blocks, and lets an
inverse STFT make the samples: no upsampling convolutions, which is what makes it fast. Both share the
discriminators (multi-period and multi-resolution STFT, each a list of logits and feature maps) and the
losses (least squares + feature matching + mel L1 + multi-resolution STFT, after a generator-only warm-up).
Here both heads train briefly on the training voices; the shipped `small` Fourier head trained for 6000
steps."""),
    ("code", """train_files, _ = speaker_split(find_audio_files("spoken_digits"), SPOKEN_DIGITS_TEST_VARIANTS,
                              speaker_fn=spoken_digits_variant)
heads = {}
for preset in ["small", "hifigan"]:
    head = Vocoder.from_preset(preset, seed=0)
    head_data = vocoder_dataset(head, {"data": train_files, "batch_size": 8})
    head.compile(**Vocoder.compile_kwargs(preset))
    if QUICK:  # CI: building the two training graphs would take most of this notebook's time
        print(f"{preset:>8} head: {head.generator.count_params():>9,} generator weights (untrained in quick mode)")
    else:
        start = time.perf_counter()
        head.fit(head_data.dataset, epochs=1, steps_per_epoch=150, verbose=0)
        print(f"{preset:>8} head: {head.generator.count_params():>9,} generator weights, "
              f"{(time.perf_counter() - start) / 150:.2f} s per step")
    heads[preset] = head"""),
    ("md", """## 4. Griffin-Lim against the vocoders, on voices none of them has heard

The same held-out clips, analysed into log-mels and turned back into audio by Griffin-Lim (32 and 100
iterations), by the two briefly trained heads and by the shipped vocoder; then analysed again and compared
with the original log-mel (L1 in dB), and timed. `benchmarks/vocoder.py` does this on more clips and
voices, at batch 1."""),
    ("code", """_, test = speaker_split(find_audio_files("spoken_digits"), SPOKEN_DIGITS_TEST_VARIANTS,
                        speaker_fn=spoken_digits_variant)
clips = next(iter(audio_dataset(test, labels=None, batch_size=20, shuffle=False, training=False))).numpy()
analysis = {"sample_rate": 16000, "frame_length": 1024, "frame_step": 256, "num_mel_bins": 64}
log_mel = LogMelSpectrogram(**analysis)
mel = log_mel(clips).numpy()
vocoder = load_saved_model(VOCODER)
methods = {
    "Griffin-Lim 32": lambda m: GriffinLim(**analysis, iterations=32)(m).numpy(),
    "Griffin-Lim 100": lambda m: GriffinLim(**analysis, iterations=100)(m).numpy(),
    "Fourier head (brief)": lambda m: heads["small"].serve(mel=m)["waveform"].numpy(),
    "HiFi-GAN head (brief)": lambda m: heads["hifigan"].serve(mel=m)["waveform"].numpy(),
    "shipped vocoder_small": lambda m: vocoder(mel=m)["waveform"],
}
results = {}
for name, method in methods.items():
    method(mel[:1])  # warm up
    start = time.perf_counter()
    audio = method(mel)
    seconds = time.perf_counter() - start
    results[name] = audio
    error = float(np.mean(log_mel_l1(mel, log_mel(audio).numpy())))
    print(f"{name:>22}: log-mel L1 {error:.2f} dB, {clips.size / 16000 / seconds:.0f}x real time (batch 20)")"""),
    ("code", """shown = [log_mel(clips[:1]).numpy()[0]] + [log_mel(results[name][:1]).numpy()[0] for name in methods]
plot_spectrograms(np.stack(shown), titles=["original"] + list(methods))
plt.show()
display(Audio(clips[0], rate=16000))
for name in methods:
    print(name)
    display(Audio(results[name][0], rate=16000))"""),
    ("md", """## 5. Label → spectrogram → vocoder → waveform, from the SavedModels

The judge tells which word it hears in each vocoded digit (this is how `gan-audio evaluate` scores the
zoo). From the command line: `gan-audio generate saved_models/spec_gan_digits --label all --num 1
--vocoder saved_models/vocoder_small --out digits/`."""),
    ("code", """audio = vocoder(mel=digits["log_mel"])["waveform"]
judge = load_judge()
heard = judge.run_endpoint("serving_default", waveform=audio)
for i, name in enumerate(names):
    print(f"asked for {name:>6}, the judge hears {judge.class_names[heard['label'][i]]}")
display(Audio(np.concatenate(list(audio[:5])), rate=16000))"""),
]
