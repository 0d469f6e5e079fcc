"""DenseGAN: fully-connected GANs on log-mel patches (articles 1 and 4)."""
import keras
import tensorflow as tf

from gan_audio.features import get_codec
from gan_audio.models.dense_gan.dense_gan_presets import DENSE_GAN_PRESETS
from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.models.adversarial.spectrogram_gan import SpectrogramGAN
from gan_audio.replica_draws import ReplicaDropout


def _activation(name, slope, prefix):
    if name == "leaky_relu":
        return keras.layers.LeakyReLU(negative_slope=slope, name=prefix)
    return keras.layers.Activation(name, name=prefix)


def _label_conditioning(x, num_classes, embedding_dim, name):
    """Concatenates a learned label embedding to `x`; returns `(x, inputs)`.

    Without classes, `x` is unchanged and there is no label input.
    """
    if num_classes is None:
        return x, []
    label = keras.Input((), dtype="int32", name="label")
    embedded = keras.layers.Embedding(num_classes, embedding_dim, name="label_embedding")(label)
    return keras.layers.Concatenate(name=name)([x, embedded]), [label]


def build_dense_generator(
    latent_dim, units, frames, num_mel_bins, hidden_activation, leaky_slope,
    batch_norm, output_activation, num_classes, label_embedding_dim, name="generator",
):
    """noise (B, latent_dim) [+ label] → Dense stack → (B, frames, mels)."""
    noise = keras.Input((latent_dim,), name="noise")
    x, label = _label_conditioning(noise, num_classes, label_embedding_dim, "noise_and_label")
    for i, width in enumerate(units):
        x = keras.layers.Dense(width, use_bias=not batch_norm, name=f"dense_{i}")(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(momentum=0.8, synchronized=True, name=f"batch_norm_{i}")(x)
        x = _activation(hidden_activation, leaky_slope, f"activation_{i}")(x)
    x = keras.layers.Dense(frames * num_mel_bins, activation=output_activation, name="output")(x)
    x = keras.layers.Reshape((frames, num_mel_bins), name="log_mel_patch")(x)
    return keras.Model([noise, *label] if label else noise, x, name=name)


def build_dense_discriminator(
    frames, num_mel_bins, units, hidden_activation, leaky_slope, dropout,
    output_activation, num_classes, label_embedding_dim, name="discriminator",
):
    """(B, frames, mels) [+ label] → Flatten → Dense stack → (B, 1)."""
    sample = keras.Input((frames, num_mel_bins), name="log_mel_patch")
    x = keras.layers.Flatten(name="flatten")(sample)
    x, label = _label_conditioning(x, num_classes, label_embedding_dim, "sample_and_label")
    for i, width in enumerate(units):
        x = keras.layers.Dense(width, name=f"dense_{i}")(x)
        x = _activation(hidden_activation, leaky_slope, f"activation_{i}")(x)
        if dropout:
            x = ReplicaDropout(dropout, name=f"dropout_{i}")(x)
    x = keras.layers.Dense(1, activation=output_activation, name="output")(x)
    return keras.Model([sample, *label] if label else sample, x, name=name)


@keras.saving.register_keras_serializable(package="gan_audio")
class DenseGAN(PresetMixin, SpectrogramGAN):
    """Dense generator and discriminator on normalised log-mel patches.

    The generator maps z ~ N(0, I) (and optionally a word label) through a
    stack of Dense layers to a `(frames, num_mel_bins)` log-mel patch; the
    discriminator flattens a patch and scores it. Articles 1 and 4 are kept
    as presets (`article1`: 100 → 256 relu → 784 sigmoid, a 28×28 patch;
    `article4`: 100 → 128 → 256 → 512 → 1024 → 80 tanh, one 80-bin frame,
    D 80 → 512 → 256 → 1 LeakyReLU(0.2) sigmoid, Adam 2e-4 β1 0.5, BCE);
    `default` is a wider BatchNorm/LeakyReLU network over a whole 1 s clip
    that learns speech-like spectrograms, and `tiny` is for tests.

    When `frames` is smaller than a clip's frame count, each real clip is
    cut into `clip_frames // frames` non-overlapping patches in `unpack`
    (article 4 trains on every frame of every clip).

    Args:
        latent_dim: int, noise size. Defaults to 128.
        generator_units: tuple of ints, hidden widths of G.
        discriminator_units: tuple of ints, hidden widths of D.
        generator_activation: str, G's hidden activation ("leaky_relu", "relu", ...).
        discriminator_activation: str, D's hidden activation.
        leaky_slope: float, LeakyReLU negative slope. Defaults to 0.2.
        batch_norm: bool, BatchNorm after G's hidden Dense layers.
        dropout: float, dropout after D's hidden layers.
        output_activation: "tanh" ([-1, 1] patches) or "sigmoid" ([0, 1]).
        discriminator_output_activation: None (logits) or "sigmoid" (probabilities,
            compile with `from_logits=False`).
        frames: int or None (None → the whole clip).
        label_embedding_dim: int, label embedding size when conditional.
        codec: the `LogMelCodec` (or a dict of its keywords); see `SpectrogramGAN`.
        clip_seconds: float, length of a training clip. Defaults to 1.0.
        conditional, num_classes, discriminator_steps, seed: see `GAN`.

    Example:
    ```python
    from gan_audio.data import audio_dataset
    from gan_audio.models import DenseGAN
    model = DenseGAN.from_preset("tiny", seed=0)
    waves = audio_dataset("spoken_digits", labels=None, batch_size=16)
    model.adapt(waves)
    model.compile(**DenseGAN.compile_kwargs("tiny"))  # loss settings; optimizers default
    model.fit(waves.map(model.features), epochs=1, steps_per_epoch=5)
    out = model.synthesize(2, seed=0)  # {"log_mel": ..., "waveform": ...}
    ```
    """

    PRESETS = DENSE_GAN_PRESETS

    def __init__(
        self,
        latent_dim=128,
        generator_units=(256, 512, 1024),
        discriminator_units=(512, 256),
        generator_activation="leaky_relu",
        discriminator_activation="leaky_relu",
        leaky_slope=0.2,
        batch_norm=True,
        dropout=0.3,
        output_activation="tanh",
        discriminator_output_activation=None,
        frames=None,
        label_embedding_dim=16,
        codec=None,
        clip_seconds=1.0,
        conditional=False,
        num_classes=None,
        **kwargs,
    ):
        if num_classes and not conditional:
            raise ValueError(
                f"num_classes={num_classes} without conditional=True: DenseGAN uses classes only "
                "to condition both networks on a label; pass conditional=True."
            )
        codec = get_codec(codec)
        clip_frames = codec.num_frames(int(round(codec.sample_rate * clip_seconds)))
        if frames is not None and not 1 <= int(frames) <= clip_frames:
            raise ValueError(f"`frames` must be in [1, {clip_frames}] for a {clip_seconds} s clip, got {frames}.")
        patch_frames = clip_frames if frames is None else int(frames)
        label_classes = num_classes if conditional else None
        # === Layers ===
        generator = build_dense_generator(
            latent_dim, generator_units, patch_frames, codec.num_mel_bins, generator_activation,
            leaky_slope, batch_norm, output_activation, label_classes, label_embedding_dim,
        )
        discriminator = build_dense_discriminator(
            patch_frames, codec.num_mel_bins, discriminator_units, discriminator_activation,
            leaky_slope, dropout, discriminator_output_activation, label_classes, label_embedding_dim,
        )
        super().__init__(
            generator, discriminator, codec=codec, clip_seconds=clip_seconds,
            output_activation=output_activation, latent_dim=latent_dim, conditional=conditional,
            num_classes=num_classes, **kwargs,
        )
        # === Config ===
        self.generator_units = tuple(int(u) for u in generator_units)
        self.discriminator_units = tuple(int(u) for u in discriminator_units)
        self.generator_activation = generator_activation
        self.discriminator_activation = discriminator_activation
        self.leaky_slope = float(leaky_slope)
        self.batch_norm = bool(batch_norm)
        self.dropout = float(dropout)
        self.discriminator_output_activation = discriminator_output_activation
        self.frames = None if frames is None else int(frames)
        self.patch_frames = patch_frames
        self.label_embedding_dim = int(label_embedding_dim)

    def unpack(self, data):
        """Cuts `(B, T, M)` clips into `(B·k, frames, M)` patches, k = T // frames."""
        batch = super().unpack(data)
        if self.frames is None:
            return batch
        per_clip = self.clip_frames // self.patch_frames
        real = batch["real"][:, : per_clip * self.patch_frames]
        batch["real"] = tf.reshape(real, [-1, self.patch_frames, self.num_mel_bins])
        if "label" in batch:
            batch["label"] = tf.repeat(batch["label"], per_clip)
        return batch

    def network_config(self):
        return {}  # built from the keywords below

    def get_config(self):
        config = super().get_config()
        config.update(
            generator_units=list(self.generator_units),
            discriminator_units=list(self.discriminator_units),
            generator_activation=self.generator_activation,
            discriminator_activation=self.discriminator_activation,
            leaky_slope=self.leaky_slope,
            batch_norm=self.batch_norm,
            dropout=self.dropout,
            discriminator_output_activation=self.discriminator_output_activation,
            frames=self.frames,
            label_embedding_dim=self.label_embedding_dim,
        )
        return config
