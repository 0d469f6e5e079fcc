"""SemiSupervisedGAN: a discriminator that classifies spoken words from few labels (article 1)."""
import keras
import tensorflow as tf

from gan_audio import losses
from gan_audio.features import WordAlignment, get_codec
from gan_audio.models.classifier.classifier import build_conv_classifier
from gan_audio.models.dense_gan.dense_gan import build_dense_generator
from gan_audio.models.adversarial.loss_terms import LossNames
from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.models.sgan.sgan_classifier import (
    SGANClassifier,
    classify,
    discriminator_input,
)
from gan_audio.models.sgan.sgan_presets import SGAN_PRESETS
from gan_audio.models.adversarial.spectrogram_gan import SpectrogramGAN
from gan_audio.replica_batches import global_batch_mean
from gan_audio.replica_draws import ReplicaDropout, ReplicaGaussianNoise


def build_dense_class_discriminator(frames, num_mel_bins, units, dropout, num_classes, input_noise=0.0,
                                    name="discriminator"):
    """``(B, T, M)`` → Flatten → [Gaussian noise] → Dense ReLU stack (dropout
    after each) → ``{"logits" (B, K), "features"}`` (Salimans et al.'s MNIST D)."""
    sample = keras.Input((frames, num_mel_bins), name="log_mel")
    x = keras.layers.Flatten(name="flatten")(sample)
    if input_noise:
        x = ReplicaGaussianNoise(input_noise, name="input_noise")(x)
    for i, width in enumerate(units):
        x = keras.layers.Dense(width, activation="relu", name=f"dense_{i}")(x)
        if dropout:
            x = ReplicaDropout(dropout, name=f"dropout_{i}")(x)
    logits = keras.layers.Dense(num_classes, name="logits", dtype="float32")(x)
    return keras.Model(sample, {"logits": logits, "features": x}, name=name)


@keras.saving.register_keras_serializable(package="gan_audio")
class SemiSupervisedGAN(PresetMixin, SpectrogramGAN):
    """A GAN whose discriminator is a K-class word classifier (Salimans et al. 2016).

    D returns K class logits ``l`` and an intermediate feature vector
    ``f(x)``; the fake class is implicit (its logit fixed at 0), so
    ``p(y=k | x) = exp(l_k) / (Z + 1)`` and ``D(x) = Z / (Z + 1)``,
    ``Z = Σ_k exp(l_k)``. Per step, on a batch of labelled clips
    ``(x_l, y)`` and one of unlabelled clips ``x_u`` (see
    `gan_audio.recipes.semi_supervised_dataset`):

    - ``supervised`` = CE(softmax(l(x_l)), y) per labelled clip,
    - ``unsupervised`` = w·(−log D(x_u) − log(1 − D(G(z)))) per unlabelled clip,
    - ``feature_matching`` (G) = ``||E f(x_u) − E f(G(z))||²`` (batch means).

    The generator only has to produce clips whose D-features look real; the
    adversarial game on unlabelled clips shapes D's features, and the few
    labels name the classes. `classifier()` is the trained D as a standalone
    waveform classifier; `serve` (``serving_default``) classifies waveforms,
    the ``generate`` endpoint gives G's samples.

    Args:
        num_classes: int, K. Defaults to 10.
        class_names: list of K names or None.
        discriminator: "conv" (`build_conv_classifier`) or "dense" (article 1).
        filters, embedding_dim: the conv D. discriminator_units: the dense D.
        dropout: float, D's dropout.
        generator_units, generator_activation, batch_norm, latent_dim: the dense G.
        frames: int or None, the patch of frames D sees (None: the whole clip).
        align_frames: int or None: D sees the spoken part of each clip stretched
            to this many frames (`WordAlignment`), and G makes such patches.
        input_noise: float, std of the Gaussian noise on the dense D's input.
        unsupervised_weight: float w. Defaults to 1.0.
        codec, clip_seconds, output_activation, seed: see `SpectrogramGAN`.

    Example:
    ```python
    import numpy as np
    from gan_audio.models import SemiSupervisedGAN
    from gan_audio.recipes import semi_supervised_dataset
    model = SemiSupervisedGAN.from_preset("tiny", seed=0)
    data = semi_supervised_dataset(model, {"data": "spoken_digits", "labels_per_class": 5})
    model.compile()
    model.fit(data.dataset, epochs=1, steps_per_epoch=10)
    clips = np.zeros((2, 16000), "float32")  # (B, S) at 16 kHz: one word each
    model.classifier().serve(waveform=clips)  # {"probabilities", "label", "embedding"}
    ```
    """

    serving_tasks = ("classify",)  # its export serves D's classifier

    PRESETS = SGAN_PRESETS
    FIXED_LOSSES = "the implicit-fake-class discriminator loss and feature matching"

    def __init__(self, num_classes=10, class_names=None, discriminator="conv", filters=(32, 64, 96),
                 embedding_dim=128, discriminator_units=(256,), dropout=0.3, generator_units=(256, 512, 1024),
                 generator_activation="leaky_relu", batch_norm=True, latent_dim=100, frames=None, align_frames=None,
                 input_noise=0.0, unsupervised_weight=1.0, codec=None, clip_seconds=1.0, output_activation="tanh",
                 **kwargs):
        if discriminator not in ("conv", "dense"):
            raise ValueError(f"`discriminator` must be 'conv' or 'dense', got {discriminator!r}.")
        if class_names is not None and len(class_names) != int(num_classes):
            raise ValueError(f"{len(class_names)} class_names for num_classes={num_classes}.")
        if kwargs.get("conditional"):
            raise ValueError("A SemiSupervisedGAN's generator takes no label (conditional must be False).")
        codec = get_codec(codec)
        clip_frames = codec.num_frames(int(round(codec.sample_rate * clip_seconds)))
        patch = clip_frames if frames is None else int(frames)
        if not 1 <= patch <= clip_frames:
            raise ValueError(f"`frames` must be in [1, {clip_frames}], got {frames}.")
        if align_frames is not None:
            if frames is not None:
                raise ValueError("Pass `frames` or `align_frames`, not both.")
            patch = int(align_frames)
        bins = codec.num_mel_bins
        # === Layers ===
        generator = build_dense_generator(latent_dim, generator_units, patch, bins, generator_activation, 0.2,
                                          batch_norm, output_activation, None, 0)
        if discriminator == "conv":
            network = build_conv_classifier(patch, bins, filters, embedding_dim, dropout, num_classes, "discriminator",
                                            batch_norm=False)
        else:
            network = build_dense_class_discriminator(patch, bins, discriminator_units, dropout, num_classes,
                                                      input_noise)
        super().__init__(generator, network, codec=codec, clip_seconds=clip_seconds,
                         output_activation=output_activation, latent_dim=latent_dim, num_classes=num_classes,
                         **kwargs)
        # === Config ===
        self.class_names = None if class_names is None else [str(c) for c in class_names]
        self.discriminator_type = discriminator
        self.filters, self.embedding_dim = tuple(int(f) for f in filters), int(embedding_dim)
        self.discriminator_units, self.dropout = tuple(int(u) for u in discriminator_units), float(dropout)
        self.generator_units = tuple(int(u) for u in generator_units)
        self.generator_activation, self.batch_norm = generator_activation, bool(batch_norm)
        self.alignment = None if align_frames is None else WordAlignment(align_frames, name="word_alignment")
        self.frames, self.patch_frames = (None if frames is None else int(frames)), patch
        self.align_frames, self.input_noise = (None if align_frames is None else int(align_frames)), float(input_noise)
        self.unsupervised_weight = float(unsupervised_weight)

    # -------------------------------------------------------------- loss hooks
    def loss_names(self):
        return LossNames(("supervised", "unsupervised"), ("feature_matching",),
                         ("d_real", "d_fake", "labelled_accuracy"))

    def features(self, waveform, labels=None):
        """Waveforms → D's input (`discriminator_input`: the first frames, or the
        aligned spoken part), for `Dataset.map` over clips or `(clip, label)`."""
        features = discriminator_input(self.codec, self.alignment, self.clip_samples, self.patch_frames,
                                       self.output_activation, waveform)
        return features if labels is None else (features, labels)

    def unpack(self, data):
        """``((x_l, y_l), x_u)`` → ``{"labelled", "label", "real"}``; a plain
        ``(x, y)`` batch serves as both the labelled and the unlabelled part."""
        if isinstance(data, (tuple, list)) and isinstance(data[0], (tuple, list)):
            (labelled, labels), unlabelled = data[0], data[1]
        elif isinstance(data, (tuple, list)) and len(data) == 2:
            labelled, labels = data
            unlabelled = labelled
        else:
            raise ValueError("A SemiSupervisedGAN trains on ((labelled, labels), unlabelled) or (clips, labels).")
        return {"labelled": labelled, "label": tf.cast(tf.reshape(labels, [-1]), tf.int32), "real": unlabelled}

    def discriminator_losses(self, batch, fake, training=True):
        labelled_logits = self.adversarial_logits(batch["labelled"], batch, training)
        real_logits = self.adversarial_logits(batch["real"], batch, training)
        fake_logits = self.adversarial_logits(fake, batch, training)
        log_real, _ = losses.implicit_fake_log_probabilities(real_logits)
        log_fake, _ = losses.implicit_fake_log_probabilities(fake_logits)
        hits = tf.equal(tf.argmax(labelled_logits, axis=-1, output_type=tf.int32), batch["label"])
        return {
            "supervised": losses.supervised_class_loss(labelled_logits, batch["label"], reduction="none"),
            "unsupervised": self.unsupervised_weight * losses.implicit_fake_discriminator_loss(
                real_logits, fake_logits, reduction="none"),
            "d_real": tf.exp(log_real), "d_fake": tf.exp(log_fake), "labelled_accuracy": tf.cast(hits, tf.float32),
        }

    def generator_losses(self, batch, fake, training=True):
        real_features = self.discriminate(batch["real"], batch, training)["features"]
        fake_features = self.discriminate(fake, batch, training)["features"]
        return {"feature_matching": losses.mean_feature_matching_loss(  # means over the global batch
            real_features, fake_features, batch_mean=global_batch_mean)}

    # -------------------------------------------------------- serving contract
    def classifier(self):
        """The discriminator as a standalone waveform → word classifier (shared weights)."""
        return SGANClassifier(codec=self.codec, discriminator=self.discriminator, clip_seconds=self.clip_seconds,
                              frames=self.patch_frames, output_activation=self.output_activation,
                              class_names=self.class_names, align_frames=self.align_frames,
                              name=f"{self.name}_classifier")

    def serving_inputs(self):
        return {"waveform": tf.TensorSpec((None, None), tf.float32, name="waveform")}

    def serve(self, waveform):
        """``serving_default``: classify waveforms (see `gan_audio.models.sgan.sgan_classifier.classify`)."""
        return classify(self.discriminator, self.features(waveform))

    def serving_metadata(self):
        return {**super().serving_metadata(), "num_classes": self.num_classes, "class_names": self.class_names,
                "window_seconds": self.clip_seconds}  # what serving_default classifies: the centred clip

    def network_config(self):
        return {}

    def get_config(self):
        config = super().get_config()
        del config["conditional"]
        config.update(
            class_names=None if self.class_names is None else list(self.class_names),  # a plain list, not Keras' TrackedList
            discriminator=self.discriminator_type, filters=list(self.filters),
            embedding_dim=self.embedding_dim, discriminator_units=list(self.discriminator_units),
            dropout=self.dropout, generator_units=list(self.generator_units),
            generator_activation=self.generator_activation, batch_norm=self.batch_norm, frames=self.frames,
            align_frames=self.align_frames, input_noise=self.input_noise, unsupervised_weight=self.unsupervised_weight)
        return config
