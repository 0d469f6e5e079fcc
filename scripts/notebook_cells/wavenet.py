"""Notebook 05: WaveNet with fast generation, and denoising noisy speech (article 5)."""
CELLS = [
    ("md", r"""# WaveNet and denoising noisy speech (article 5)

**WaveNet** (van den Oord et al. 2016) models audio one sample at a time:
$p(x) = \prod_t p(x_t \mid x_{<t}, h)$, where $h$ is an optional condition (here: the spoken word).
Samples in [-1, 1] are μ-law companded, $F(x) = \mathrm{sign}(x)\,\ln(1 + \mu|x|)/\ln(1 + \mu)$ with
μ = 255, and quantised to 256 codes, so each step is a 256-way classification. The network is a stack of
*causal dilated* convolutions with gated units and residual and skip paths:

$$z_l = \tanh(W_{f,l} *_{d_l} x_l + V_{f,l} h) \odot \sigma(W_{g,l} *_{d_l} x_l + V_{g,l} h), \quad
x_{l+1} = x_l + W_{r,l} z_l, \quad s = \textstyle\sum_l W_{s,l} z_l$$

and the head $\mathrm{softmax}(W_2\,\mathrm{ReLU}(W_1\,\mathrm{ReLU}(s)))$. With kernel 2 and
dilations 1, 2, …, 512 the output at $t$ sees $R = \sum_l d_l + 2$ past samples (the *receptive field*).

Article 5 also trains WaveNets on **noisy data**. Its useful form is a *denoiser*: Rethage et al. (2018)
made the stack non-causal and trained it to map noisy speech to clean speech. `gan_audio.models.WaveNetDenoiser`
is that model, trained with L1 plus a multi-resolution STFT loss on speech mixed with white, pink or brown
noise at 0-15 dB SNR.

`GAN_AUDIO_QUICK=1` (CI) trains the `tiny` WaveNet for seconds; unset, the `default` WaveNet trains for about
ten minutes. The denoising part uses the shipped `saved_models/wavenet_denoiser`."""),
    ("code", """import os
import tempfile
import time

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Audio, display

import gan_audio
from gan_audio.data import (SPOKEN_DIGITS_TEST_VARIANTS, colored_noise, find_audio_files, load_audio,
                            speaker_split, spoken_digits_variant)
from gan_audio.data.mixing import mix_at_snr
from gan_audio.denoising import denoise
from gan_audio.export import export_saved_model, load_saved_model
from gan_audio.features import LogMelSpectrogram
from gan_audio.metrics import si_sdr
from gan_audio.models import WaveNet
from gan_audio.recipes import wavenet_dataset
from gan_audio.samples import plot_spectrograms
from gan_audio.spectral_subtraction import spectral_subtraction

QUICK = os.environ.get("GAN_AUDIO_QUICK") == "1"
PRESET, EPOCHS, STEPS = ("tiny", 2, 3) if QUICK else ("default", 10, 20)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(gan_audio.__file__)))  # the clone: saved_models/ is there
DENOISER = os.path.join(ROOT, "saved_models", "wavenet_denoiser")
print("quick mode" if QUICK else "full mode", f"- WaveNet {PRESET!r}, {EPOCHS} epochs of {STEPS} steps")"""),
    ("md", """## 1. The receptive field

Each layer doubles the dilation, so the receptive field grows exponentially with depth while the cost
grows linearly. Below: the connections that feed one output of a 4-layer stack (kernel 2, dilations 1, 2,
4, 8, input convolution of width 2). Nothing to the right of the output is used: the stack is causal."""),
    ("code", """dilations, steps = [1, 2, 4, 8], 20
fig, ax = plt.subplots(figsize=(9, 3))
for level in range(len(dilations) + 2):
    ax.scatter(range(steps), [level] * steps, s=12, color="lightgray", zorder=1)
needed = {steps - 1}
ax.scatter([steps - 1], [len(dilations) + 1], s=30, color="C3", zorder=3)
for level, dilation in reversed(list(enumerate([1] + dilations, start=1))):  # input conv (width 2), then the stack
    below = set()
    for t in needed:
        for source in (t, t - dilation):
            if source >= 0:
                ax.plot([source, t], [level - 1, level], color="C0", lw=1, zorder=2)
                below.add(source)
    needed = below
    ax.scatter(sorted(needed), [level - 1] * len(needed), s=30, color="C0", zorder=3)
ax.set_yticks(range(len(dilations) + 2), ["input", "embed", *[f"d={d}" for d in dilations]])
ax.set(xlabel="time step", title=f"receptive field: {len(needed)} samples = sum of dilations + 2")
plt.show()
for preset in ("tiny", "article5", "default"):
    model = WaveNet.from_preset(preset, num_classes=10 if preset == "default" else None)
    print(f"{preset:>8}: dilations {model.dilations[0]}..{max(model.dilations)} x {model.stacks} stacks, "
          f"receptive field {model.receptive_field} samples = {1000 * model.receptive_field / model.sample_rate:.0f} ms")"""),
    ("md", """**Causality, checked.** Changing the audio after time $t$ must not change any prediction at or before $t$."""),
    ("code", """model = WaveNet.from_preset("article5", seed=0)
codes = np.random.default_rng(0).integers(0, 256, (1, 3000)).astype("int32")
changed = codes.copy(); changed[:, 2000:] = 128
before, after = model(codes).numpy(), model(changed).numpy()
print("max change of the logits at t < 2000:", float(np.abs(before[:, :2000] - after[:, :2000]).max()))
print("max change at t >= 2000:            ", float(np.abs(before[:, 2000:] - after[:, 2000:]).max()))"""),
    ("md", """## 2. Training with `model.fit`

`wavenet_dataset` is the recipe of `gan-audio train wavenet`: random crops of the clips (0.5 s for
`default`), with the folder label as the global condition; the model's `train_step` μ-law encodes them and
predicts each next code. It reports the cross-entropy (`loss`, nats), `accuracy` of the next code and
`bits_per_sample` (8 bits would be a uniform guess). We train on the voices outside the test variants and
measure bits per sample on the **held-out voices** before and after. From the shell:
`gan-audio train wavenet --epochs 10 --steps-per-epoch 20 --out runs/wavenet`."""),
    ("code", """files = find_audio_files("spoken_digits")
train_files, test_files = speaker_split(files, SPOKEN_DIGITS_TEST_VARIANTS, speaker_fn=spoken_digits_variant)
model = WaveNet.from_preset(PRESET, num_classes=len(files.class_names), class_names=files.class_names, seed=0)
model.compile(**WaveNet.compile_kwargs(PRESET))
data = wavenet_dataset(model, {"data": train_files, "batch_size": 8, "seed": 0})
held_out = wavenet_dataset(model, {"data": test_files, "batch_size": 8, "seed": 1}).dataset
before = model.evaluate(held_out, steps=4, verbose=0, return_dict=True)
start = time.perf_counter()
history = model.fit(data.dataset, epochs=EPOCHS, steps_per_epoch=STEPS, verbose=2)
print(f"trained {EPOCHS * STEPS} steps in {time.perf_counter() - start:.0f} s")
after = model.evaluate(held_out, steps=4, verbose=0, return_dict=True)
print(f"held-out voices, bits per sample: {before['bits_per_sample']:.2f} before, {after['bits_per_sample']:.2f} after")
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(history.history["bits_per_sample"], marker="o", label="training voices")
ax.axhline(after["bits_per_sample"], color="C1", ls="--", label="held-out voices, after")
ax.set(xlabel="epoch", ylabel="bits per sample"); ax.legend(); plt.show()"""),
    ("md", """## 3. Generation: naive against fast

Generating is sequential: sample $x_t$ from the softmax, feed it back, repeat. The **naive** way re-runs
the whole receptive field for every sample. **Fast WaveNet** (Paine et al. 2016) keeps, per layer, a ring
buffer of the past activations the dilated convolution needs, so each new sample costs one column of
every layer. Both draw the same Gumbel noise keyed by `(seed, step)`, so they give *the same samples*."""),
    ("code", """n = 100 if QUICK else 400
timings = {}
for method in ("naive", "fast"):
    model.generate(1, labels=[0], seed=0, num_samples=8, method=method)  # warm-up (traces)
    start = time.perf_counter()
    audio = model.generate(1, labels=[0], seed=0, num_samples=n, method=method)
    timings[method] = (time.perf_counter() - start, audio)
print("identical samples:", np.array_equal(timings["naive"][1], timings["fast"][1]))
for method, (seconds, _) in timings.items():
    print(f"{method:>5}: {n / seconds:,.0f} samples/s")
print(f"fast / naive: {timings['naive'][0] / timings['fast'][0]:.0f}x at a receptive field of {model.receptive_field}")"""),
    ("md", """`python benchmarks/wavenet_generation.py` measures this across receptive fields from 65 to 4096 samples,
with and without XLA, for 1 and 16 streams; its table is in the README. On two CPU cores, for the
`default` stack (20 layers, 64 residual channels, receptive field 2048) one stream runs at about 11,000
samples/s with XLA (two thirds of real time at 16 kHz) against about 30 samples/s naively.

## 4. Generated words

The word is the global condition: `generate(num, labels=...)`. Listen to what the model has learned; after a few
minutes of CPU training a WaveNet makes speech-like noise, not words (WaveNets train for days on GPUs)."""),
    ("code", """seconds = 0.25 if QUICK else 1.0
labels = [files.class_names.index(word) for word in ("zero", "five")]
generated = model.synthesize(2, labels=labels, seed=0, num_samples=int(seconds * model.sample_rate))["waveform"]
analysis = LogMelSpectrogram(sample_rate=model.sample_rate, frame_length=256, frame_step=64, num_mel_bins=40)
plot_spectrograms(analysis(generated).numpy(), titles=["'zero'", "'five'"], frame_step=64,
                  sample_rate=model.sample_rate)
plt.show()
for clip in generated:
    display(Audio(clip, rate=model.sample_rate))"""),
    ("md", """**Export.** The `generate` signature of the SavedModel runs the fast loop inside the graph (inputs `num`,
`seed`, `num_samples`, `temperature`, `label`); the same seed gives the same audio as the model. From the
shell: `gan-audio export runs/wavenet --out saved_models/wavenet` then
`gan-audio generate saved_models/wavenet --label seven --seconds 1`."""),
    ("code", """export_dir = export_saved_model(model, os.path.join(tempfile.mkdtemp(), "wavenet"))
served = load_saved_model(export_dir)
again = served.synthesize(2, labels=labels, seed=0, num_samples=int(seconds * model.sample_rate))["waveform"]
print(export_dir, served.endpoint_names, "- same audio:", np.array_equal(again, generated))"""),
    ("md", """## 5. Denoising noisy speech

The shipped denoiser (`saved_models/wavenet_denoiser`, its model card gives the training) never heard the
test voices. We string three of their words together, add pink noise at 5 dB SNR, and compare the noisy
input, power spectral subtraction (the classical baseline) and the WaveNet denoiser. `denoise` takes any
length and rate: it runs overlapping chunks whose joins are exact (every kept output saw its whole
receptive field). From the shell: `gan-audio denoise noisy.wav --model saved_models/wavenet_denoiser`."""),
    ("code", """denoiser = load_saved_model(DENOISER)
rate = denoiser.serving_metadata()["sample_rate"]
clean = np.concatenate([load_audio(test_files.paths[i], sample_rate=rate) for i in (0, 25, 50)])
noisy, clean = mix_at_snr(clean, colored_noise("pink", len(clean), seed=0), 5.0, return_clean=True)
start = time.perf_counter()
estimate = denoise(denoiser, noisy, rate)
elapsed = time.perf_counter() - start
baseline = spectral_subtraction(noisy, rate)
versions = {"clean": clean, "noisy (5 dB)": noisy, "spectral subtraction": baseline, "WaveNet denoiser": estimate}
analysis = LogMelSpectrogram(sample_rate=rate, frame_length=1024, frame_step=256, num_mel_bins=64)
plot_spectrograms(analysis(np.stack(list(versions.values()))).numpy(), titles=list(versions), frame_step=256,
                  sample_rate=rate)
plt.show()
for name, audio in versions.items():
    if name != "clean":
        print(f"{name:>22}: SI-SDR {si_sdr(clean, audio):5.1f} dB")
    display(Audio(audio, rate=rate))
print(f"denoised {len(noisy) / rate:.1f} s in {elapsed:.2f} s ({len(noisy) / rate / elapsed:.0f}x real time, incl. tracing)")"""),
    ("md", """`python benchmarks/denoise.py` runs this over the 180 clips of the 9 held-out voices and over sentences by ten
espeak-ng voices not in `spoken_digits`, at 0, 5 and 10 dB in white, pink and brown noise, with PESQ and STOI
when the `quality` extra is installed; its tables are in the README and the model card."""),
]
