"""Notebook 04: GCDG speech textures (article 3)."""
CELLS = [
    ("md", r"""# Speech textures with GCDG (article 3)

A **sound texture** is a sound whose character does not change over time: rain, a crowd, the hum of a
café. McDermott and Simoncelli (2011) showed that listeners recognise a texture from a handful of
*time-averaged statistics* of its cochlear envelopes: how loud each frequency band is on average, how
much it fluctuates (variance, skewness, kurtosis), which bands move together, and at which rates they are
modulated. **Multi-talker babble** is a speech texture: with enough talkers no word is intelligible, yet
it is unmistakably speech. With K = 4 talkers you still catch syllables; with K = 16 it is a murmur.

Article 3 names a *gradient contrastive directional generative* model (GCDG) for such textures but
writes only the plain GAN value function. `gan_audio.models.GCDG` makes each word of the name a term you
can switch on and measure. D returns a logit $l(x)$ ($D = \sigma(l)$) and the embedding $f(x)$ the logit
reads:

$$L_D = -\mathbb{E}_x \log D(x) - \mathbb{E}_z \log(1 - D(G(z))) + \tfrac{\gamma}{2}\,\mathbb{E}_x \lVert \nabla_x l(x) \rVert^2$$

$$L_G = -\mathbb{E}_z \log D(G(z)) + \lambda_c L_{NCE} + \lambda_d L_{dir}$$

- **gradient** (R1, γ): penalises D's slope on real clips, which damps the oscillations of GAN training;
- **contrastive** (info-NCE, λ_c, τ): two random crops $a_i, b_i$ of each generated texture, $u_i =
  f(a_i)/\lVert f(a_i) \rVert$, $v_i = f(b_i)/\lVert f(b_i) \rVert$, $L_{NCE} = -\mathrm{mean}_i \log
  \frac{e^{u_i \cdot v_i / \tau}}{\sum_j e^{u_i \cdot v_j / \tau}}$: a texture should sound like itself
  throughout and unlike the other textures of the batch;
- **directional** (mode seeking, λ_d): $L_{dir} = \mathrm{mean}\, \lVert z_1 - z_2 \rVert_1 / (\lVert
  G(z_1) - G(z_2) \rVert_1 + \epsilon)$: different latents must give different textures.

With γ = λ_c = λ_d = 0 and the minimax loss this is exactly the article's equation (the `article3`
preset; `tests/test_gcdg.py` checks it to the number).

`GAN_AUDIO_QUICK=1` (CI) trains for a few steps; unset, the notebook trains for about five minutes."""),
    ("code", """import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Audio, display

from gan_audio.data import SPOKEN_DIGITS_TEST_VARIANTS, find_audio_files, speaker_split, spoken_digits_variant
from gan_audio.data.textures import babble_clips
from gan_audio.export import export_saved_model, load_saved_model
from gan_audio.features import LogMelSpectrogram
from gan_audio.metrics import texture_distance, texture_diversity, texture_statistics
from gan_audio.models import GCDG
from gan_audio.recipes import texture_dataset
from gan_audio.samples import plot_spectrograms

QUICK = os.environ.get("GAN_AUDIO_QUICK") == "1"
EPOCHS, STEPS = (2, 2) if QUICK else (6, 50)
RATE = 16000
log_mel = LogMelSpectrogram(sample_rate=RATE, frame_length=1024, frame_step=256, num_mel_bins=64)
print("quick mode" if QUICK else "full mode", f"- {EPOCHS} epochs of {STEPS} steps")"""),
    ("md", """## 1. The data: babble at three densities

`babble_clips` turns word recordings into babble: each talker is a stream of random words, and K equally
loud talkers are summed (RMS 0.1). We build it from the `spoken_digits` voices outside the test variants,
and keep babble of the held-out voices (never trained on) as the reference the model is scored against."""),
    ("code", """train_files, test_files = speaker_split(find_audio_files("spoken_digits"), SPOKEN_DIGITS_TEST_VARIANTS,
                                       speaker_fn=spoken_digits_variant)
densities = {k: babble_clips(train_files, RATE, 2 * RATE, talkers=k, num_textures=8, seed=0) for k in (1, 4, 16)}
plot_spectrograms(log_mel(np.stack([d[0] for d in densities.values()])).numpy(),
                  titles=[f"K = {k}" for k in densities], frame_step=256, sample_rate=RATE)
plt.show()
for k, clips in densities.items():
    print(f"K = {k}"); display(Audio(clips[0], rate=RATE))"""),
    ("md", """The texture statistics see the density: with more talkers the band envelopes fluctuate less (lower
variance and kurtosis) and the syllable-rate modulation (4-8 Hz) fades."""),
    ("code", """fig, axes = plt.subplots(1, 2, figsize=(9, 3))
for k, clips in densities.items():
    stats = texture_statistics(clips, sample_rate=RATE)
    axes[0].plot(stats["kurtosis"].mean(axis=0), label=f"K = {k}")
    axes[1].plot([1, 2, 4, 8, 16, 32, 64], stats["modulation"].mean(axis=(0, 1)), marker="o", label=f"K = {k}")
axes[0].set(xlabel="cochlear band (low → high)", ylabel="envelope kurtosis")
axes[1].set(xscale="log", xlabel="modulation rate (Hz)", ylabel="share of envelope variance")
axes[1].legend(); plt.tight_layout(); plt.show()"""),
    ("md", """## 2. The objective, term by term

The `article3` preset is the article's dense pair (z 100 → 128 → 22050 samples, sigmoid) with every GCDG
term off. The `default` preset is a WaveGAN-style 1-D convolutional pair on 2 s of 16 kHz with all three
terms on. Each term is its own tracked metric: `evaluate` on one batch shows their starting values."""),
    ("code", """article = GCDG.from_preset("article3", seed=0)
article.compile(**GCDG.compile_kwargs("article3"))
print("article3 terms:", article.loss_names())
model = GCDG.from_preset("default", seed=0)
model.compile(**GCDG.compile_kwargs("default"))
print("default terms: ", model.loss_names())
print(f"G {model.generator.count_params():,} weights, D {model.discriminator.count_params():,} weights")
data = texture_dataset(model, {"data": "babble", "batch_size": 16, "seed": 0})
for name, value in model.evaluate(data.dataset, steps=1, verbose=0, return_dict=True).items():
    print(f"{name:>14}: {value:.4f}")"""),
    ("md", """## 3. Training with `model.fit`

`texture_dataset` is the recipe `gan-audio train gcdg --data babble` uses: 512 babble clips at K = 4, 8 and
16, shuffled and batched by `tf.data`. The same run from the shell:
`gan-audio train gcdg --data babble:8 --epochs 6 --steps-per-epoch 50 --out runs/babble`."""),
    ("code", """history = model.fit(data.dataset, epochs=EPOCHS, steps_per_epoch=STEPS, verbose=2)
fig, axes = plt.subplots(1, 2, figsize=(9, 3))
for name in ("d_adversarial", "gradient"):
    axes[0].plot(history.history[name], label=name)
for name in ("g_adversarial", "contrastive", "directional"):
    axes[1].plot(history.history[name], label=name)
axes[0].set(title="discriminator terms", xlabel="epoch"); axes[1].set(title="generator terms", xlabel="epoch")
axes[0].legend(); axes[1].legend(); plt.tight_layout(); plt.show()"""),
    ("md", """## 4. Real against generated

Spectrograms and audio side by side, then the numbers: `texture_distance` (0 = the reference's statistics)
and `texture_diversity` (1 = as varied as the reference, 0 = one texture for every latent), both against
babble of voices the model never heard."""),
    ("code", """num = 8 if QUICK else 32
reference = babble_clips(test_files, RATE, model.clip_samples, num_textures=num, seed=1)
generated = model.synthesize(num, seed=0)["waveform"]
plot_spectrograms(log_mel(np.concatenate([reference[:2], generated[:2]])).numpy(),
                  titles=["real", "real", "GCDG", "GCDG"], frame_step=256, sample_rate=RATE)
plt.show()
display(Audio(reference[0], rate=RATE), Audio(generated[0], rate=RATE))
training_voices = babble_clips(train_files, RATE, model.clip_samples, num_textures=num, seed=2)
for name, clips in (("real babble, training voices", training_voices), ("GCDG", generated)):
    print(f"{name:>28}: distance {texture_distance(reference, clips, sample_rate=RATE):.3f}, "
          f"diversity {texture_diversity(clips, reference, sample_rate=RATE):.2f}")"""),
    ("md", """## 5. Textures of any length

The generator makes 2 s. Longer textures are segments from independent latents, crossfaded with an
equal-power window over 0.5 s (`gan_audio.models.gcdg.long_textures`): two uncorrelated textures of equal
power keep that power through the overlap, so there is no dip, bump or click at a seam. The same seed
gives the same texture, and its first 1.5 s are the 2 s clip of that seed."""),
    ("code", """seconds = 10.0
long = model.synthesize(1, seed=0, seconds=seconds)["waveform"][0]
frames = long[: len(long) // 320 * 320].reshape(-1, 320)
level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-10)
fig, ax = plt.subplots(figsize=(9, 2.5))
ax.plot(np.arange(len(level)) * 0.02, level)
hop = (model.clip_samples - model.crossfade_samples) / RATE
for k in range(1, int(seconds / hop) + 1):
    ax.axvspan(k * hop, k * hop + model.crossfade_samples / RATE, color="orange", alpha=0.2)
ax.set(xlabel="s", ylabel="dB (20 ms frames)", title="energy of a 10 s texture; crossfades shaded")
plt.show()
display(Audio(long, rate=RATE))"""),
    ("md", """## 6. Export for TF Serving

`export_saved_model` writes `NAME/VERSION/` with `serving_default` (noise → waveform) and `generate`
(num, seed, seconds → waveform). The reloaded SavedModel gives the same texture for the same seed. From
the shell: `gan-audio export runs/babble --out saved_models/babble` and
`gan-audio generate saved_models/babble --seconds 10 --num 4 --out textures/`."""),
    ("code", """export_dir = export_saved_model(model, os.path.join(tempfile.mkdtemp(), "babble"))
served = load_saved_model(export_dir)
print(export_dir, served.endpoint_names)
from_export = served.synthesize(1, seed=0, seconds=seconds)["waveform"][0]
print("same seed, max |difference| run vs export:", float(np.abs(from_export - long).max()))"""),
    ("md", """## 7. Which terms help: the ablation

`python benchmarks/gcdg_ablation.py` trains the `default` architecture five ways (plain GAN, each term
alone, all three) with the same data, steps and seeds (3), and scores each against babble of held-out voices.
Its table, as measured on two CPU cores (300 steps of batch 16 per run; see the README for the discussion):

| variant | texture distance (held-out voices; lower is better) | diversity (1 = real) | s/step |
|---|---:|---:|---:|
| real babble, training voices | 0.617 | 1.10 | - |
| generator before training | 2.050 ± 0.025 | 0.43 ± 0.02 | - |
| plain | 3.000 ± 0.601 | 1.90 ± 0.36 | 0.35 |
| +gradient | 2.486 ± 0.425 | 1.77 ± 0.28 | 0.61 |
| +contrastive | 4.154 ± 1.166 | 3.71 ± 1.16 | 0.41 |
| +directional | 1.498 ± 0.021 | 0.90 ± 0.04 | 0.38 |
| full | 1.560 ± 0.124 | 0.85 ± 0.11 | 0.59 |
| full - contrastive | 1.567 ± 0.131 | 0.85 ± 0.12 | 0.54 |

The **directional** (mode-seeking) term is the one that helps at this budget: alone it halves the plain GAN's
distance and brings diversity near 1 at 9 % more time per step. R1 helps a little at 75 % more time per step.
The contrastive term alone makes the textures far more varied than real babble, which is worse. The full objective
is within noise of the directional term alone. All variants are still far from real babble (0.62) after
300 steps."""),
]
