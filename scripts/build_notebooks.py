"""Writes notebooks/*.ipynb from the cell lists below (unexecuted).

Keeping the source here makes notebook diffs reviewable; run
`python scripts/build_notebooks.py` after editing, and commit both.
"""
import os

import nbformat as nbf

HERE = os.path.dirname(os.path.abspath(__file__))

MEL_GAN = [
    ("md", """# A mel-spectrogram GAN in Keras (article 4)

Article 4 trains a fully-connected GAN in PyTorch on 80-bin mel-spectrogram frames:
a generator z=100 → 128 → 256 → 512 → 1024 → 80 (tanh) and a discriminator
80 → 512 → 256 → 1 (LeakyReLU 0.2, sigmoid), Adam 2e-4 with β1 = 0.5 and binary cross-entropy.
Here the same network is the `article4` preset of `gan_audio.models.DenseGAN`, trained with
`model.fit` on a `tf.data` pipeline of real (synthetic-voice) speech. We then train the
`default` preset, which generates whole one-second log-mel spectrograms, listen to them through
Griffin-Lim, and export the model as a SavedModel for TF Serving.

Set `GAN_AUDIO_QUICK=1` to run everything in a minute (CI does); unset, it trains for real."""),
    ("code", """import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Audio, display

from gan_audio.data import audio_dataset
from gan_audio.export import export_saved_model, load_saved_model
from gan_audio.models import DenseGAN
from gan_audio.samples import plot_spectrograms

QUICK = os.environ.get("GAN_AUDIO_QUICK") == "1"
EPOCHS, STEPS = (2, 10) if QUICK else (20, 40)
print("quick mode" if QUICK else "full mode", f"- {EPOCHS} epochs of {STEPS} steps per model")"""),
    ("md", """## 1. The data: `spoken_digits`

The package ships 600 one-second clips of the words *zero* … *nine* (espeak-ng voices, 16 kHz FLAC).
`audio_dataset` decodes, resamples, crops and batches them into `(batch, 16000)` waveforms."""),
    ("code", """waves = audio_dataset("spoken_digits", batch_size=32, seed=0)
print(waves.class_names)
batch, labels = next(iter(waves))
print("waveforms", batch.shape, "labels", labels[:8].numpy())
display(Audio(batch[0].numpy(), rate=16000))"""),
    ("md", """## 2. The article's network: `article4`

The preset keeps the article's layers exactly. A model carries its own log-mel codec
(`model.codec`): `model.adapt` learns the dB range of the data, and `model.features` turns
waveforms into log-mels scaled to [-1, 1] (the tanh range). The article trains on single
80-bin frames, so each clip is cut into its 59 frames inside `train_step`."""),
    ("code", """article = DenseGAN.from_preset("article4", seed=0)
article.generator.summary()
article.adapt(waves)  # (waveform, label) batches: the codec uses the waveforms
article.compile(**DenseGAN.compile_kwargs("article4"))  # BCE on probabilities; Adam(2e-4, beta_1=0.5) is the default
article_history = article.fit(
    waves.map(article.features).repeat(), epochs=EPOCHS, steps_per_epoch=STEPS, verbose=2
)"""),
    ("md", """Like the article, we look at generated frames. One frame is one column of a spectrogram,
so we stack 59 independent samples side by side next to 59 real consecutive frames."""),
    ("code", """real_frames = article.to_db(article.features(batch[:1]))[0]  # (59, 80)
fake_frames = article.synthesize(59, seed=0)["log_mel"][:, 0]  # 59 independent frames
plot_spectrograms(np.stack([real_frames, fake_frames]), titles=["real frames", "article4 samples"])
plt.show()"""),
    ("md", """## 3. The `default` preset: whole spectrograms you can listen to

A single frame has no time structure, so it cannot become a word. The `default` preset generates
a whole clip (59 frames × 64 mel bins) with a wider BatchNorm/LeakyReLU network."""),
    ("code", """model = DenseGAN.from_preset("default", seed=0)
model.adapt(waves)
model.compile(**DenseGAN.compile_kwargs("default"))
history = model.fit(waves.map(model.features).repeat(), epochs=EPOCHS, steps_per_epoch=STEPS, verbose=2)"""),
    ("code", """fig, ax = plt.subplots(figsize=(6, 3))
for name, h in [("article4", article_history), ("default", history)]:
    ax.plot(h.history["g_loss"], label=f"{name} g_loss")
    ax.plot(h.history["d_loss"], label=f"{name} d_loss", linestyle="--")
ax.set_xlabel("epoch"); ax.legend(); plt.show()"""),
    ("md", "Real clips (top) and generated ones (bottom), in dB:"),
    ("code", """real = model.to_db(model.features(batch[:4]))
samples = model.synthesize(4, seed=0)
plot_spectrograms(real, titles=[waves.class_names[i] for i in labels[:4]])
plot_spectrograms(samples["log_mel"], titles=[f"generated {i}" for i in range(4)])
plt.show()
for waveform in samples["waveform"][:2]:
    display(Audio(waveform, rate=model.sample_rate))"""),
    ("md", """## 4. Export for TF Serving and reload

`export_saved_model` writes `<dir>/<version>/` with two signatures: `serving_default` (what TF Serving
calls: `noise` in, `log_mel` and `waveform` out) and `generate` (`num` and `seed` in: the noise is drawn
inside the graph, so the same seed gives the same audio from the model and from its export). Serve it with
`docker run -p 8501:8501 -v $PWD/saved_models/dense_gan:/models/dense_gan -e MODEL_NAME=dense_gan tensorflow/serving`."""),
    ("code", """export_dir = os.path.join(tempfile.mkdtemp(), "dense_gan")
path = export_saved_model(model, export_dir)
served = load_saved_model(export_dir)
print(path, served.endpoint_names, "serving_default inputs:", served.input_names)

noise = model.sample_noise(2, seed=3).numpy()
out = served(noise=noise)                                  # serving_default
reference = model.run_endpoint("serving_default", noise=noise)
print("max |log_mel difference|:", np.abs(out["log_mel"] - reference["log_mel"]).max())

from_export = served.synthesize(2, seed=3)                 # generate: seed in, audio out
from_model = model.synthesize(2, seed=3)
print("same seed, max |waveform difference|:", np.abs(from_export["waveform"] - from_model["waveform"]).max())"""),
]


def build(cells, path):
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src) for kind, src in cells]
    nbf.write(nb, path)


SGAN = [
    ("md", """# Speech classification with GANs (article 1): the semi-supervised GAN

Article 1 proposes GANs for speech classification, with a dense generator (noise 100 → 256 → 784) and
discriminator (784 → 256 → 1). A real/fake discriminator does not classify words by itself; the working
form of the idea is the **semi-supervised GAN** (Salimans et al. 2016): the discriminator outputs one
logit per word, $l_1 \dots l_K$, the "fake" class has its logit fixed at 0, and

$$p(y=k \mid x) = \frac{e^{l_k}}{Z + 1}, \qquad D(x) = p(\text{real} \mid x) = \frac{Z}{Z+1}, \qquad Z = \sum_k e^{l_k}.$$

D learns from a few **labelled** clips (cross-entropy over the K words) and from many **unlabelled** clips and
generated ones (the GAN loss $-\log D(x) - \log(1 - D(G(z)))$); the generator is trained by **feature
matching**, $\lVert \mathbb{E} f(x) - \mathbb{E} f(G(z)) \rVert^2$ on an inner layer of D. Here we train it on
`spoken_digits` with 5 labels per word and test it on voices it never heard.

`GAN_AUDIO_QUICK=1` (CI) trains for a few seconds; unset, for a few minutes."""),
    ("code", """import os
import tempfile

import keras
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Audio, display

from gan_audio import metrics
from gan_audio.data import (SPOKEN_DIGITS_TEST_VARIANTS, audio_dataset, find_audio_files, labelled_split,
                            speaker_split, spoken_digits_variant)
from gan_audio.data.augment import augmented
from gan_audio.export import export_saved_model, load_saved_model
from gan_audio.judge import judge_info, load_judge
from gan_audio.judge.robustness import accuracy
from gan_audio.models import SemiSupervisedGAN
from gan_audio.recipes import semi_supervised_dataset

QUICK = os.environ.get("GAN_AUDIO_QUICK") == "1"
EPOCHS, STEPS = (2, 20) if QUICK else (10, 150)
print("quick mode" if QUICK else "full mode", f"- {EPOCHS} epochs of {STEPS} steps per model")"""),
    ("md", """## 1. Voices for training, voices for testing, and 5 labels per word

The bundled clips come from 30 espeak voices. We hold out three voice variants (in all three accents):
9 voices the models never hear. Of the 420 training clips, 5 per word keep their label."""),
    ("code", """files = find_audio_files("spoken_digits")
train, test = speaker_split(files, SPOKEN_DIGITS_TEST_VARIANTS, speaker_fn=spoken_digits_variant)
labelled, unlabelled = labelled_split(train, 5, seed=0)
print(f"{len(train)} training clips ({len(labelled)} labelled, {len(unlabelled)} unlabelled), "
      f"{len(test)} test clips of the held-out variants {SPOKEN_DIGITS_TEST_VARIANTS}")
test_clips, test_labels = next(iter(audio_dataset(test, batch_size=len(test), shuffle=False, training=False)))
test_clips, test_labels = test_clips.numpy(), test_labels.numpy()"""),
    ("md", """## 2. The SGAN and the same classifier trained on the labels alone

`SemiSupervisedGAN.from_preset("default")` sees each word's spoken part stretched to 20 log-mel frames
(`WordAlignment`), and its discriminator is a dense network with input noise and dropout. The baseline is
the very same classifier (`model.classifier()` of a fresh SGAN), trained on the 50 labelled clips only,
with the same optimizer and steps. A small callback measures both on the held-out voices after each epoch."""),
    ("code", """class HeldOutAccuracy(keras.callbacks.Callback):
    def __init__(self, classifier):
        super().__init__()
        self.classifier, self.history = classifier, []

    def on_epoch_end(self, epoch, logs=None):
        self.history.append(accuracy(self.classifier(), test_clips, test_labels))


keras.utils.set_random_seed(0)
sgan = SemiSupervisedGAN.from_preset("default", class_names=files.class_names, seed=0)
data = semi_supervised_dataset(sgan, {"data": train, "labels_per_class": 5, "seed": 0})
sgan.compile(**SemiSupervisedGAN.compile_kwargs("default"))
sgan_curve = HeldOutAccuracy(sgan.classifier)
history = sgan.fit(data.dataset, epochs=EPOCHS, steps_per_epoch=STEPS, callbacks=[sgan_curve], verbose=2)

keras.utils.set_random_seed(0)
fresh = SemiSupervisedGAN.from_preset("default", class_names=files.class_names, seed=0)
semi_supervised_dataset(fresh, {"data": train, "labels_per_class": 5, "seed": 0})  # the same codec range
baseline = fresh.classifier()
baseline.compile(optimizer=keras.optimizers.Adam(3e-4, beta_1=0.5), metrics=["accuracy"],
                 loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
labelled_waves = audio_dataset(labelled, batch_size=32, seed=0, repeat=True, drop_remainder=True)
baseline_curve = HeldOutAccuracy(lambda: baseline)
baseline.fit(augmented(labelled_waves, seed=0, max_shift=2000, max_gain_db=6.0), epochs=EPOCHS,
             steps_per_epoch=STEPS, callbacks=[baseline_curve], verbose=0)"""),
    ("code", """fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3))
steps = np.arange(1, EPOCHS + 1) * STEPS
left.plot(steps, sgan_curve.history, "o-", label="SGAN (5 labels + 370 unlabelled)")
left.plot(steps, baseline_curve.history, "s--", label="same classifier, 5 labels only")
left.set_xlabel("step"); left.set_ylabel("accuracy on unseen voices"); left.legend(); left.set_ylim(0, 1)
for name in ("supervised", "unsupervised", "g_loss"):
    right.plot(history.history[name], label=name)
right.set_xlabel("epoch"); right.legend(); plt.show()"""),
    ("md", "Which words does the SGAN confuse, on the voices it never heard?"),
    ("code", """predicted = sgan.classifier().serve(waveform=test_clips)["label"].numpy()
matrix = metrics.confusion_matrix(predicted, test_labels, 10)
fig, ax = plt.subplots(figsize=(5, 4.5))
ax.imshow(matrix, cmap="Blues")
ax.set_xticks(range(10), files.class_names, rotation=60); ax.set_yticks(range(10), files.class_names)
ax.set_xlabel("predicted"); ax.set_ylabel("spoken")
for i in range(10):
    for j in range(10):
        if matrix[i, j]:
            ax.text(j, i, matrix[i, j], ha="center", va="center", fontsize=8)
plt.show()
print(f"accuracy on unseen voices: {np.trace(matrix) / matrix.sum():.1%}")"""),
    ("md", """## 3. Listening, and the judge

A few held-out clips with what the SGAN hears. The shipped **judge** (a `WordClassifier` trained on all
600 clips, `scripts/train_judge.py`) hears the same clips; it is what `gan-audio evaluate` uses to score
every generator of the zoo."""),
    ("code", """judge = load_judge()
print("judge, measured on held-out voices:", judge_info()["measured_on_held_out_voices"])
picks = [0, 45, 90, 135]
heard = sgan.classifier().run_endpoint("serving_default", waveform=test_clips[picks])  # numpy outputs
judged = judge.run_endpoint("serving_default", waveform=test_clips[picks])
for k, i in enumerate(picks):
    sgan_word = files.class_names[int(heard["label"][k])]
    judge_word = judge.class_names[int(judged["label"][k])]
    print(f"spoken: {files.class_names[test_labels[i]]:>6}   SGAN: {sgan_word:>6} "
          f"({float(heard['probabilities'][k].max()):.2f})   judge: {judge_word}")
    display(Audio(test_clips[i], rate=16000))"""),
    ("md", """## 4. Export the classifier for TF Serving

The SGAN's `serving_default` classifies a waveform of any length (`probabilities`, `label`); its
`generate` signature gives the generator's samples. From the command line:
`gan-audio classify saved_models/sgan clip.wav`."""),
    ("code", """export_dir = os.path.join(tempfile.mkdtemp(), "sgan")
export_saved_model(sgan, export_dir, metadata={"class_names": files.class_names})
served = load_saved_model(export_dir)
out = served(waveform=test_clips[picks])
print(served.endpoint_names, [files.class_names[i] for i in out["label"]],
      "same as in Python:", np.array_equal(out["label"], heard["label"]))"""),
]


SPEC_GAN = [
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
    start = time.perf_counter()
    head.fit(head_data.dataset, epochs=1, steps_per_epoch=2 if QUICK else 150, verbose=0)
    print(f"{preset:>8} head: {head.generator.count_params():>9,} generator weights, "
          f"{(time.perf_counter() - start) / (2 if QUICK else 150):.2f} s per step")
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


NOTEBOOKS = {"01_mel_spectrogram_gan.ipynb": MEL_GAN, "02_gan_speech_classification.ipynb": SGAN,
             "03_spectrogram_gan_and_vocoder.ipynb": SPEC_GAN}

if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        build(cells, os.path.join(HERE, "..", "notebooks", name))
