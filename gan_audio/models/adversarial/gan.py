"""The noise-fed GAN: the adversarial base with a latent input [+ a label]."""
import keras
import tensorflow as tf

from gan_audio.models.adversarial.adversarial_compile import PROBABILITY_LOSSES
from gan_audio.models.adversarial.adversarial_model import AdversarialModel
from gan_audio.models.adversarial.discriminator_outputs import discriminator_parts
from gan_audio.models.adversarial.noise import LatentNoiseMixin, local_batch_noise

__all__ = ["GAN", "PROBABILITY_LOSSES"]


@keras.saving.register_keras_serializable(package="gan_audio")
class GAN(LatentNoiseMixin, AdversarialModel):
    """A GAN: `AdversarialModel` with G fed latent noise z ~ N(0, I) [+ a label].

    The step, the loss hooks and their averaging are `AdversarialModel`'s;
    this class adds the latent noise (drawn per replica for the global batch,
    seeded, saved with the run: `LatentNoiseMixin`), the optional label of
    both networks, and the noise side of the serving contract (``generate``:
    `num` clips from a `seed`). The default terms are ``L_D(D(x), D(G(z)))``
    (+ λ·GP when `gradient_penalty_weight` > 0) and ``L_G(D(G(z)))`` from
    `gan_audio.losses` (`minimax` is the articles' formula
    min_G max_D E[log D(x)] + E[log(1 − D(G(z)))]).

    Args:
        generator: `keras.Model`, `noise (B, latent_dim)` [+ `label (B,)`]
            → samples (taken as waveforms by `serve`).
        discriminator: `keras.Model`, samples [+ `label`] → outputs per
            example: logits (or probabilities with `from_logits=False`), or
            a list of them (multi-discriminators).
        latent_dim: int, size of the noise vector. Defaults to 100.
        conditional: bool, both networks take a label (the dataset yields
            `(sample, label)`). Defaults to False.
        num_classes: int or None, size of the label vocabulary (required
            when `conditional`).
        discriminator_steps, sample_rate: as `AdversarialModel`.
        seed: int or None, seed of the training noise.

    Example:
    ```python
    import keras, numpy as np
    from gan_audio.models import GAN
    g = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])
    d = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    gan = GAN(g, d, latent_dim=8, seed=0)
    gan.compile(loss="non_saturating")
    gan.fit(np.random.rand(64, 4).astype("float32"), batch_size=16, epochs=1)
    gan.synthesize(3, seed=0)["waveform"].shape  # (3, 4)
    ```
    """

    serving_tasks = ("generate",)  # noise [+ label] → audio

    def __init__(self, generator, discriminator, latent_dim=100, conditional=False, num_classes=None,
                 discriminator_steps=1, sample_rate=16000, seed=None, **kwargs):
        if int(latent_dim) <= 0:
            raise ValueError(f"`latent_dim` must be positive, got {latent_dim}.")
        if conditional and not num_classes:
            raise ValueError("`conditional=True` needs `num_classes` (the number of labels).")
        super().__init__(generator, discriminator, discriminator_steps=discriminator_steps, sample_rate=sample_rate,
                         seed=seed, **kwargs)
        # === Config ===
        self.latent_dim = int(latent_dim)
        self.conditional = bool(conditional)
        self.num_classes = None if num_classes is None else int(num_classes)

    # -------------------------------------------------------------- loss hooks
    def unpack(self, data):
        """A dataset element → the batch dict, ``{"real": x[, "label": y]}``."""
        real, labels = data, None
        if isinstance(data, (tuple, list)):
            real, labels = data[0], (data[1] if len(data) > 1 else None)
        if self.conditional and labels is None:
            raise ValueError("A conditional GAN needs (sample, label) batches.")
        batch = {"real": real}
        if self.conditional:
            batch["label"] = tf.cast(tf.reshape(labels, [-1]), "int32")
        return batch

    def generator_inputs(self, batch):
        """Noise for this replica's share of the batch [+ its labels]."""
        noise = local_batch_noise(self.seed_generator, tf.shape(batch["real"])[0], self.latent_dim)
        return [noise, batch["label"]] if self.conditional else noise

    def discriminate(self, samples, batch, training):
        """D on `samples` (with the batch's labels when conditional) → its named parts."""
        inputs = [samples, batch["label"]] if self.conditional else samples
        return discriminator_parts(self.discriminator(inputs, training=training), self.discriminator.name)

    def call(self, inputs, training=False):
        """`inputs` is noise, or `[noise, labels]` when conditional."""
        return self.generator(inputs, training=training)

    # -------------------------------------------------------- serving contract
    def serve(self, noise, label=None):
        """``serving_default``: noise [+ label] → `decode_noise`."""
        return self.decode_noise(noise, label)

    def decode_noise(self, noise, label=None):
        """noise [+ label] → ``{"waveform": G(z)}`` (float32): what generation returns."""
        inputs = [noise, self._graph_checked(label)] if self.conditional else noise
        return {"waveform": tf.cast(self.sampler(inputs, training=False), tf.float32)}

    # ------------------------------------------------------------------ config
    def get_config(self):
        config = super().get_config()
        config.update(latent_dim=self.latent_dim, conditional=self.conditional, num_classes=self.num_classes)
        return config
