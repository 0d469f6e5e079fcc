"""Notebook 01: a mel-spectrogram GAN (article 4)."""
CELLS = [
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
