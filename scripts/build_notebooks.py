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


NOTEBOOKS = {"01_mel_spectrogram_gan.ipynb": MEL_GAN, "02_gan_speech_classification.ipynb": SGAN}

if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        build(cells, os.path.join(HERE, "..", "notebooks", name))
