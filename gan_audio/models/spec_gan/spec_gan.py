"""SpecGAN: Conv2D generator and discriminator on log-mel images (article 2)."""
import keras

from gan_audio import losses
from gan_audio.features import get_codec
from gan_audio.models.adversarial.loss_terms import LossNames
from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.models.spec_gan.spec_gan_networks import build_conv_discriminator, build_conv_generator, translate
from gan_audio.models.spec_gan.spec_gan_presets import SPEC_GAN_PRESETS
from gan_audio.models.adversarial.spectrogram_gan import SpectrogramGAN


@keras.saving.register_keras_serializable(package="gan_audio")
class SpecGAN(PresetMixin, SpectrogramGAN):
    """A DCGAN-style GAN on normalised log-mel images ``(frames, num_mel_bins)``.

    Generator: z (+ a label embedding) → Dense → ``(T/2^n, M/2^n, C)`` → n
    Conv2DTranspose (stride 2, BatchNorm, activation) → Conv2D(1, 7×7) →
    tanh. Discriminator: n Conv2D (stride 2, LeakyReLU 0.2, optionally
    BatchNorm or spectral normalisation) → article 2's head (Conv2D 7×7 →
    Dense(1)) or a projection head ``ψ(h) + embed(y)·h`` for label
    conditioning. With `augment_shift` > 0, D sees every real and generated
    image shifted in time by a random number of frames (DiffAugment's
    translation; one draw per image per call), so 600 clips go further.

    `article2` keeps the article's layers (64, 128, 256, 512 filters, 4×4
    kernels, stride 2, BatchNorm, tanh) on 128×128 log-mels, its G mirrored
    from the article's (which maps an image to an image) into a generator
    from noise; `default` is a label-conditional projection GAN with hinge
    loss on 64×64 log-mels, the analysis of the shipped vocoder (spectral
    normalisation and shift augmentation are off in it: pass
    ``spectral_norm=True`` or ``augment_shift=2`` to turn them on).

    Args:
        latent_dim: int. generator_filters / discriminator_filters: widths,
            one stride-2 layer each (T and M must divide by 2^n).
        kernel_size: int. final_kernel: the generator's last Conv2D.
        generator_activation: "relu", "tanh", "leaky_relu".
        generator_batch_norm, discriminator_batch_norm, spectral_norm: bool.
        discriminator_head: "projection" or "article".
        label_embedding_dim: int, G's label embedding when conditional.
        augment_shift: int, the largest DiffAugment shift in frames (0: off).
        auxiliary_classifier_weight: float w (0: off): D also classifies the
            word (AC-GAN): ``+ w·CE`` on real clips for D, on generated ones
            (with the requested label) for G.
        codec, clip_seconds, conditional, num_classes, seed: see `SpectrogramGAN`/`GAN`.

    Example:
    ```python
    model = SpecGAN.from_preset("tiny", conditional=True, num_classes=10, seed=0)
    model.compile(**SpecGAN.compile_kwargs("tiny"))
    model.synthesize(2, labels=[3, 4], seed=0)  # {"log_mel": (2, 16, 16), "waveform": ...}
    ```
    """

    PRESETS = SPEC_GAN_PRESETS

    def __init__(self, latent_dim=128, generator_filters=(256, 128, 64, 32), discriminator_filters=(32, 64, 128, 256),
                 kernel_size=4, generator_activation="relu", generator_batch_norm=True,
                 discriminator_batch_norm=False, spectral_norm=True, discriminator_head="projection",
                 final_kernel=7, label_embedding_dim=32, augment_shift=0, auxiliary_classifier_weight=0.0,
                 codec=None, clip_seconds=1.0, conditional=False, num_classes=None, **kwargs):
        if num_classes and not conditional:
            raise ValueError(f"num_classes={num_classes} without conditional=True: SpecGAN uses classes only "
                             "to condition both networks on a label; pass conditional=True.")
        if auxiliary_classifier_weight and not (conditional and discriminator_head == "projection"):
            raise ValueError("`auxiliary_classifier_weight` needs conditional=True and the projection head.")
        if discriminator_head not in ("projection", "article"):
            raise ValueError(f"`discriminator_head` must be 'projection' or 'article', got {discriminator_head!r}.")
        codec = get_codec(codec)
        frames = codec.num_frames(int(round(codec.sample_rate * clip_seconds)))
        for name, filters in (("generator_filters", generator_filters), ("discriminator_filters", discriminator_filters)):
            step = 2 ** len(filters)
            if frames % step or codec.num_mel_bins % step:
                raise ValueError(f"{frames} frames × {codec.num_mel_bins} mel bins must divide by 2^{len(filters)} = "
                                 f"{step} for `{name}`; change `clip_seconds` or the codec.")
        classes = num_classes if conditional else None
        # === Layers ===
        generator = build_conv_generator(latent_dim, frames, codec.num_mel_bins, generator_filters, kernel_size,
                                         generator_activation, generator_batch_norm, final_kernel, classes,
                                         label_embedding_dim)
        discriminator = build_conv_discriminator(frames, codec.num_mel_bins, discriminator_filters, kernel_size,
                                                 discriminator_batch_norm, spectral_norm, discriminator_head, classes,
                                                 auxiliary_classifier=bool(auxiliary_classifier_weight))
        super().__init__(generator, discriminator, codec=codec, clip_seconds=clip_seconds, output_activation="tanh",
                         latent_dim=latent_dim, conditional=conditional, num_classes=num_classes, **kwargs)
        # === Config ===
        self.generator_filters = tuple(int(f) for f in generator_filters)
        self.discriminator_filters = tuple(int(f) for f in discriminator_filters)
        self.kernel_size, self.final_kernel = int(kernel_size), int(final_kernel)
        self.generator_activation = generator_activation
        self.generator_batch_norm = bool(generator_batch_norm)
        self.discriminator_batch_norm, self.spectral_norm = bool(discriminator_batch_norm), bool(spectral_norm)
        self.discriminator_head = discriminator_head
        self.label_embedding_dim, self.augment_shift = int(label_embedding_dim), int(augment_shift)
        self.auxiliary_classifier_weight = float(auxiliary_classifier_weight)

    def discriminate(self, samples, batch, training):
        """D's parts on `samples`, each shifted at random in time while training (DiffAugment):
        ``"logits"``, and ``"class_logits"`` with an auxiliary classifier."""
        if training and self.augment_shift:
            samples = translate(samples, self.augment_shift, self.seed_generator)
        return super().discriminate(samples, batch, training)

    # -------------------------------------------------------------- loss hooks
    def loss_names(self):
        names = super().loss_names()
        if not self.auxiliary_classifier_weight:
            return names
        return LossNames(names.discriminator + ("d_class",), names.generator + ("g_class",), names.monitors)

    def discriminator_losses(self, batch, fake, training=True):
        """The base terms, plus with an auxiliary classifier ``w·CE(c(x), y)`` on real clips."""
        terms = super().discriminator_losses(batch, fake, training)
        if self.auxiliary_classifier_weight:
            class_logits = self.discriminate(batch["real"], batch, training)["class_logits"]
            terms["d_class"] = self.auxiliary_classifier_weight * losses.supervised_class_loss(
                class_logits, batch["label"], reduction="none")
        return terms

    def generator_losses(self, batch, fake, training=True):
        """The base term, plus with an auxiliary classifier ``w·CE(c(G(z, y)), y)``."""
        terms = super().generator_losses(batch, fake, training)
        if self.auxiliary_classifier_weight:
            class_logits = self.discriminate(fake, batch, training)["class_logits"]
            terms["g_class"] = self.auxiliary_classifier_weight * losses.supervised_class_loss(
                class_logits, batch["label"], reduction="none")
        return terms

    def network_config(self):
        return {}

    def get_config(self):
        config = super().get_config()
        del config["output_activation"]
        config.update(
            generator_filters=list(self.generator_filters), discriminator_filters=list(self.discriminator_filters),
            kernel_size=self.kernel_size, generator_activation=self.generator_activation,
            generator_batch_norm=self.generator_batch_norm, discriminator_batch_norm=self.discriminator_batch_norm,
            spectral_norm=self.spectral_norm, discriminator_head=self.discriminator_head,
            final_kernel=self.final_kernel, label_embedding_dim=self.label_embedding_dim,
            augment_shift=self.augment_shift, auxiliary_classifier_weight=self.auxiliary_classifier_weight)
        return config
