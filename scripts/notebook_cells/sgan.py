"""Notebook 02: speech classification with a semi-supervised GAN (article 1)."""
CELLS = [
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
