"""GCDG: an audio-texture GAN with gradient, contrastive and directional terms (article 3)."""
import math

import keras
import tensorflow as tf

from gan_audio import losses
from gan_audio.models.adversarial.gan import GAN
from gan_audio.models.gcdg.gcdg_networks import (
    build_conv_discriminator,
    build_conv_generator,
    build_dense_discriminator,
    build_dense_generator,
    random_crops,
)
from gan_audio.models.gcdg.gcdg_presets import GCDG_PRESETS
from gan_audio.models.gcdg.long_textures import crossfade_segments, segment_count
from gan_audio.models.adversarial.loss_terms import LossNames
from gan_audio.models.adversarial.noise import noise_from_seed
from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.replica_batches import global_batch, global_roll

ARCHITECTURES = ("conv", "dense")
OUTPUT_ACTIVATIONS = ("tanh", "sigmoid")


@keras.saving.register_keras_serializable(package="gan_audio")
class GCDG(PresetMixin, GAN):
    """Gradient-Contrastive-Directional GAN on raw waveform textures (article 3).

    Article 3 names GCDG but writes only the GAN objective
    ``L = −E_x[log D(x)] + E_z[log(1 − D(G(z)))]``; here each word of the
    name is a term with its own weight and tracked metric. D returns a logit
    ``l(x)`` (``D = sigmoid(l)``) and the embedding ``f(x)`` the logit reads:

    - ``L_D = −E_x[log D(x)] − E_z[log(1 − D(G(z)))] + (γ/2)·E_x[‖∇_x l(x)‖²]``
      (terms ``d_adversarial`` and ``gradient``: R1 on real clips, Mescheder et al. 2018);
    - ``L_G = −E_z[log D(G(z))] + λ_c·L_NCE + λ_d·L_dir`` (``g_adversarial``,
      ``contrastive``, ``directional``), where for each generated texture i
      two random crops ``a_i, b_i`` of `crop_length` samples give
      ``u_i = f(a_i)/‖f(a_i)‖``, ``v_i = f(b_i)/‖f(b_i)‖`` and
      ``L_NCE = −mean_i log(exp(u_i·v_i/τ) / Σ_j exp(u_i·v_j/τ))`` (the
      projection p is the normalisation: f is trained by D's terms only), and
      ``L_dir = mean_i ‖z_i − z_{i+1}‖₁ / (‖G(z_i) − G(z_{i+1})‖₁ + ε)``
      pairs each latent of the batch with the next (cyclically; mode seeking,
      Mao et al. 2019), so no second generator pass is needed.

    A term whose weight is 0 is neither computed nor tracked. With
    γ = λ_c = λ_d = 0 and `compile(loss="minimax")`, on the same real and
    generated clips ``g_loss = E_z[log(1 − D(G(z)))]`` and ``d_loss + g_loss =
    −E_x[log D(x)]``, so the article's ``L = d_loss + 2·g_loss``, and G's
    gradient of L is that of ``g_loss``. The sigmoid of the article's D is
    inside the loss (``from_logits=True``): the same numbers, computed stably.

    `article3` keeps the article's dense networks (z 100 → 128 relu → 22050
    sigmoid; D 22050 → 128 relu → 1); a sigmoid generator works in [0, 1]:
    real clips are mapped ``x → (x + 1)/2`` for D, generated ones back
    ``y → 2y − 1`` when served. The dense D reads whole clips only, so its
    crops are zero-padded at the end to the clip length. `default` is a
    WaveGAN-style convolutional pair (phase shuffle in D) on 2 s of 16 kHz.

    Textures of any length (``generate(seconds=...)``, also in an export):
    segments from independent latents, equal-power crossfaded over
    `crossfade_seconds` (`gan_audio.models.gcdg.long_textures`); segment k of clip
    i uses row ``k·num + i`` of ``noise_from_seed(n·num, latent_dim, seed)``,
    so the first segment is the clip `synthesize` gives for the same seed.

    Args:
        architecture: "conv" (WaveGAN-style) or "dense" (article 3). Defaults to "conv".
        clip_seconds: float, length of a texture clip. Defaults to 2.0.
        generator_units, discriminator_units: lists of ints, the dense hidden widths.
        generator_filters: list of ints, width after the projection then of each
            transposed convolution but the last (which has 1 channel).
        generator_strides: list of ints, one per transposed convolution
            (their product must divide the clip's samples).
        discriminator_filters, discriminator_strides: lists of ints, D's Conv1D layers.
        kernel_size: int, taps of every convolution. Defaults to 25.
        phase_shuffle: int, D's phase-shuffle radius (0: off). Defaults to 2.
        leaky_slope: float, D's LeakyReLU slope. Defaults to 0.2.
        output_activation: "tanh" or "sigmoid" (G's last activation).
        r1_gamma: float γ >= 0 of the R1 term. contrastive_weight: float λ_c >= 0.
        directional_weight: float λ_d >= 0. temperature: float τ > 0. Defaults 0, 0, 0, 0.1.
        crop_length: int or None, samples per contrastive crop (None: half the clip).
        crossfade_seconds: float or None, overlap of the segments of long
            textures (None: a quarter of the clip).
        latent_dim, sample_rate, discriminator_steps, seed: see `GAN`.

    Example:
    ```python
    import numpy as np
    from gan_audio.models import GCDG
    model = GCDG.from_preset("tiny", seed=0)
    model.compile(**GCDG.compile_kwargs("tiny"))
    clips = np.random.default_rng(0).uniform(-0.1, 0.1, (16, model.clip_samples)).astype("float32")
    model.fit(clips, batch_size=8, epochs=1)  # d_loss, g_loss, gradient, contrastive, directional, ...
    model.synthesize(2, seed=0)["waveform"].shape  # (2, 1024)
    model.synthesize(1, seed=0, seconds=0.5)["waveform"].shape  # (1, 8000): crossfaded segments
    ```
    """

    PRESETS = GCDG_PRESETS

    def __init__(self, architecture="conv", clip_seconds=2.0, generator_units=(128,), discriminator_units=(128,),
                 generator_filters=(128, 64, 32, 16), generator_strides=(4, 4, 4, 4),
                 discriminator_filters=(16, 32, 64, 128, 256), discriminator_strides=(4, 4, 4, 4, 4),
                 kernel_size=25, phase_shuffle=2, leaky_slope=0.2, output_activation="tanh", r1_gamma=0.0,
                 contrastive_weight=0.0, directional_weight=0.0, temperature=0.1, crop_length=None,
                 crossfade_seconds=None, latent_dim=100, sample_rate=16000, **kwargs):
        if kwargs.get("conditional") or kwargs.get("num_classes"):
            raise ValueError("`conditional`: GCDG generates unlabelled textures; drop the labels.")
        if architecture not in ARCHITECTURES:
            raise ValueError(f"`architecture` must be one of {ARCHITECTURES}, got {architecture!r}.")
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(f"`output_activation` must be one of {OUTPUT_ACTIVATIONS}, got {output_activation!r}.")
        for key, value in (("r1_gamma", r1_gamma), ("contrastive_weight", contrastive_weight),
                           ("directional_weight", directional_weight)):
            if float(value) < 0:
                raise ValueError(f"`{key}` must be >= 0, got {value}.")
        if not float(temperature) > 0:
            raise ValueError(f"`temperature` must be > 0, got {temperature}.")
        clip_samples = int(round(sample_rate * clip_seconds))
        crop = clip_samples // 2 if crop_length is None else int(crop_length)
        if not 1 <= crop <= clip_samples:
            raise ValueError(f"`crop_length` must be in [1, {clip_samples}] (the clip's samples), got {crop_length}.")
        if len(generator_filters) != len(generator_strides):
            raise ValueError(f"`generator_filters` needs one width per stride {list(generator_strides)}, "
                             f"got {list(generator_filters)}.")
        if len(discriminator_filters) != len(discriminator_strides):
            raise ValueError(f"`discriminator_filters` needs one width per stride {list(discriminator_strides)}, "
                             f"got {list(discriminator_filters)}.")
        overlap = clip_samples // 4 if crossfade_seconds is None else int(round(sample_rate * crossfade_seconds))
        if not 0 < overlap < clip_samples:
            raise ValueError(f"`crossfade_seconds` must be above 0 and below the clip ({clip_seconds} s), "
                             f"got {crossfade_seconds}.")
        step = math.prod(int(s) for s in generator_strides)
        if architecture == "conv" and clip_samples % step:
            raise ValueError(f"`clip_seconds`: {clip_samples} samples must divide by {step} (the generator strides).")
        if architecture == "dense" and not discriminator_units:
            raise ValueError("`discriminator_units` must hold at least one width (the embedding f).")
        # === Layers ===
        if architecture == "dense":
            generator = build_dense_generator(latent_dim, clip_samples, generator_units, output_activation)
            discriminator = build_dense_discriminator(clip_samples, discriminator_units)
        else:
            generator = build_conv_generator(latent_dim, clip_samples, generator_filters, generator_strides,
                                             kernel_size, output_activation)
            discriminator = build_conv_discriminator(discriminator_filters, discriminator_strides, kernel_size,
                                                     phase_shuffle, leaky_slope, kwargs.get("seed"))
        super().__init__(generator, discriminator, latent_dim=latent_dim, sample_rate=sample_rate, **kwargs)
        # === Config ===
        self.architecture, self.clip_seconds, self.clip_samples = architecture, float(clip_seconds), clip_samples
        self.generator_units = tuple(int(u) for u in generator_units)
        self.discriminator_units = tuple(int(u) for u in discriminator_units)
        self.generator_filters = tuple(int(f) for f in generator_filters)
        self.generator_strides = tuple(int(s) for s in generator_strides)
        self.discriminator_filters = tuple(int(f) for f in discriminator_filters)
        self.discriminator_strides = tuple(int(s) for s in discriminator_strides)
        self.kernel_size, self.phase_shuffle = int(kernel_size), int(phase_shuffle)
        self.leaky_slope, self.output_activation = float(leaky_slope), output_activation
        self.r1_gamma, self.contrastive_weight = float(r1_gamma), float(contrastive_weight)
        self.directional_weight, self.temperature = float(directional_weight), float(temperature)
        self.crop_length = None if crop_length is None else int(crop_length)
        self.crop_samples = crop
        self.crossfade_seconds = None if crossfade_seconds is None else float(crossfade_seconds)
        self.crossfade_samples = overlap

    # ------------------------------------------------------ waveform domain
    def to_waveform(self, samples):
        """G's samples → audio in [-1, 1] (``2y − 1`` for a sigmoid generator)."""
        return 2.0 * samples - 1.0 if self.output_activation == "sigmoid" else samples

    def from_waveform(self, waveforms):
        """Audio → G's domain (``(x + 1)/2`` for a sigmoid generator)."""
        return (waveforms + 1.0) / 2.0 if self.output_activation == "sigmoid" else waveforms

    # -------------------------------------------------------------- loss hooks
    def loss_names(self):
        names = super().loss_names()
        d_terms = names.discriminator + (("gradient",) if self.r1_gamma else ())
        g_terms = (names.generator + (("contrastive",) if self.contrastive_weight else ())
                   + (("directional",) if self.directional_weight else ()))
        return LossNames(d_terms, g_terms, names.monitors)

    def unpack(self, data):
        """Texture clips (or `(clip, label)`, the label unused) → ``{"real"}`` in G's domain."""
        real = data[0] if isinstance(data, (tuple, list)) else data
        return {"real": self.from_waveform(tf.cast(real, tf.float32))}

    def embed(self, samples, training=False):
        """D's embedding ``f(x)`` (crops are zero-padded to the clip for the dense D)."""
        if self.architecture == "dense" and samples.shape[1] != self.clip_samples:
            samples = tf.pad(samples, [[0, 0], [0, self.clip_samples - samples.shape[1]]])
        return self.discriminate(samples, {}, training)["embedding"]

    def discriminator_losses(self, batch, fake, training=True):
        """The adversarial terms, plus ``gradient = (γ/2)·‖∇_x l(x)‖²`` on real clips."""
        terms = super().discriminator_losses(batch, fake, training)
        if self.r1_gamma:
            penalty = losses.r1_penalty(lambda x: self.adversarial_logits(x, batch, training), batch["real"],
                                        reduction="none")
            terms["gradient"] = 0.5 * self.r1_gamma * penalty
        return terms

    def generator_losses(self, batch, fake, training=True):
        """The adversarial term, plus ``contrastive = λ_c·L_NCE`` and ``directional = λ_d·L_dir``."""
        terms = super().generator_losses(batch, fake, training)
        if self.contrastive_weight:
            # two D passes, not one on both crops stacked: D's PhaseShuffle draws per row of the *global*
            # batch, and a stacked local batch would not line its rows up with one device's
            anchors = self.embed(random_crops(fake, self.crop_samples, self.seed_generator), training)
            positives = self.embed(random_crops(fake, self.crop_samples, self.seed_generator), training)
            positives, offset = global_batch(positives)  # the other replicas' textures are negatives too
            terms["contrastive"] = self.contrastive_weight * losses.contrastive_loss(
                anchors, positives, temperature=self.temperature, reduction="none", positive_offset=offset)
        if self.directional_weight:  # each latent paired with the next in the global batch
            noise = batch["generator_inputs"]
            terms["directional"] = self.directional_weight * losses.directional_loss(
                noise, global_roll(noise), fake, global_roll(fake), reduction="none")
        return terms

    # -------------------------------------------------------- serving contract
    def decode_noise(self, noise, label=None):
        """noise → ``{"waveform": audio in [-1, 1]}`` (float32)."""
        return {"waveform": self.to_waveform(tf.cast(self.sampler(noise, training=False), tf.float32))}

    def generation_inputs(self):
        return {**super().generation_inputs(), "seconds": tf.TensorSpec((), tf.float32, name="seconds")}

    def generate_audio(self, num, seed, seconds):
        """`num` textures of `seconds` (> 0): crossfaded clips from seeded latents."""
        check = tf.debugging.assert_positive(seconds, message="`seconds` must be > 0")
        with tf.control_dependencies([check]):
            total = tf.cast(tf.round(seconds * self.sample_rate), tf.int32)
        count = segment_count(total, self.clip_samples, self.crossfade_samples)
        noise = noise_from_seed(count * num, self.latent_dim, seed)
        segments = self.decode_noise(noise)["waveform"]
        segments = tf.transpose(tf.reshape(segments, [count, num, self.clip_samples]), [1, 0, 2])
        return {"waveform": crossfade_segments(segments, self.crossfade_samples, total)}

    def serving_metadata(self):
        return {**super().serving_metadata(), "generation_defaults": {"seconds": self.clip_seconds}}

    # ------------------------------------------------------------------ config
    def network_config(self):
        return {}  # built from the keywords below

    def get_config(self):
        config = super().get_config()
        config.update(
            architecture=self.architecture, clip_seconds=self.clip_seconds,
            generator_units=list(self.generator_units), discriminator_units=list(self.discriminator_units),
            generator_filters=list(self.generator_filters), generator_strides=list(self.generator_strides),
            discriminator_filters=list(self.discriminator_filters),
            discriminator_strides=list(self.discriminator_strides), kernel_size=self.kernel_size,
            phase_shuffle=self.phase_shuffle, leaky_slope=self.leaky_slope, output_activation=self.output_activation,
            r1_gamma=self.r1_gamma, contrastive_weight=self.contrastive_weight,
            directional_weight=self.directional_weight, temperature=self.temperature, crop_length=self.crop_length,
            crossfade_seconds=self.crossfade_seconds)
        return config
