"""The GAN base class every adversarial family in the zoo builds on."""
import copy
import functools

import keras
import tensorflow as tf

from gan_audio import losses as gan_losses
from gan_audio.models.noise import LatentNoiseMixin, local_batch_noise

PROBABILITY_LOSSES = ("minimax", "non_saturating")


@keras.saving.register_keras_serializable(package="gan_audio")
class GAN(LatentNoiseMixin, keras.Model):
    """A generator and a discriminator trained adversarially with `fit`.

    One training step draws z ~ N(0, I) and runs `discriminator_steps`
    updates of D on `L_D(D(x), D(G(z)))` (+ λ·GP when
    `gradient_penalty_weight` > 0), then one update of G on `L_G(D(G(z)))`.
    The loss pair comes from `gan_audio.losses` (`minimax` is the articles'
    formula min_G max_D E[log D(x)] + E[log(1 − D(G(z)))]). Per-example
    losses are averaged over the *global* batch with
    `tf.nn.compute_average_loss`, so training under a `tf.distribute`
    strategy gives the same update as one device on the same global batch.

    With `num_classes` set, both networks are label-conditional: the
    generator takes `[noise, label]`, the discriminator `[sample, label]`,
    and the dataset must yield `(sample, label)`.

    Args:
        generator: `keras.Model`, `noise (B, latent_dim)` [+ `label (B,)`]
            → samples.
        discriminator: `keras.Model`, samples [+ `label`] → one output per
            example (logits, or probabilities when compiled with
            `from_logits=False`).
        latent_dim: int, size of the noise vector. Defaults to 100.
        num_classes: int or None, enables label conditioning.
        discriminator_steps: int, D updates per G update. Defaults to 1.
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
    samples = gan.generate(3, seed=0)  # (3, 4)
    ```
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=100,
        num_classes=None,
        discriminator_steps=1,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(latent_dim) <= 0:
            raise ValueError(f"`latent_dim` must be positive, got {latent_dim}.")
        if int(discriminator_steps) < 1:
            raise ValueError(
                f"`discriminator_steps` must be >= 1, got {discriminator_steps}."
            )
        # === Layers ===
        self.generator = generator
        self.discriminator = discriminator
        self.seed_generator = keras.random.SeedGenerator(seed, name="noise_seed")
        # === Config ===
        self.latent_dim = int(latent_dim)
        self.num_classes = None if num_classes is None else int(num_classes)
        self.discriminator_steps = int(discriminator_steps)
        self.seed = seed
        self.built = True

    # ------------------------------------------------------------------ compile
    def compile(
        self,
        g_optimizer=None,
        d_optimizer=None,
        loss="non_saturating",
        from_logits=True,
        gradient_penalty_weight=0.0,
        label_smoothing=0.0,
        **kwargs,
    ):
        """Configures training.

        Args:
            g_optimizer, d_optimizer: optimizers (or their config / name);
                default Adam(2e-4, beta_1=0.5), one per network.
            loss: name accepted by `gan_audio.losses.get`.
            from_logits: bool, whether D outputs logits (minimax and
                non-saturating losses only).
            gradient_penalty_weight: float λ of the WGAN-GP penalty.
            label_smoothing: float, one-sided smoothing of D's real target.
        """
        super().compile(**kwargs)
        self.g_optimizer = _make_optimizer(g_optimizer, "g_optimizer")
        self.d_optimizer = _make_optimizer(d_optimizer, "d_optimizer")
        g_fn, d_fn = gan_losses.get(loss)
        if loss in PROBABILITY_LOSSES:
            g_fn = functools.partial(g_fn, from_logits=from_logits)
            d_fn = functools.partial(
                d_fn, from_logits=from_logits, label_smoothing=label_smoothing
            )
        elif label_smoothing:
            raise ValueError(f"`label_smoothing` applies to {PROBABILITY_LOSSES}, not {loss!r}.")
        self.loss_name = loss
        self.from_logits = bool(from_logits)
        self.gradient_penalty_weight = float(gradient_penalty_weight)
        self.label_smoothing = float(label_smoothing)
        self.g_loss_fn, self.d_loss_fn = g_fn, d_fn
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")

    @property
    def metrics(self):
        return [
            self.g_loss_tracker,
            self.d_loss_tracker,
            self.d_real_tracker,
            self.d_fake_tracker,
        ]

    def get_compile_config(self):
        if not getattr(self, "compiled", False) or not hasattr(self, "g_optimizer"):
            return {}
        return {
            "g_optimizer": keras.saving.serialize_keras_object(self.g_optimizer),
            "d_optimizer": keras.saving.serialize_keras_object(self.d_optimizer),
            "loss": self.loss_name,
            "from_logits": self.from_logits,
            "gradient_penalty_weight": self.gradient_penalty_weight,
            "label_smoothing": self.label_smoothing,
        }

    def compile_from_config(self, config):
        config = copy.deepcopy(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)

    # ------------------------------------------------------------- the networks
    def _generator_inputs(self, noise, labels):
        return noise if self.num_classes is None else [noise, labels]

    def _discriminator_inputs(self, samples, labels):
        return samples if self.num_classes is None else [samples, labels]

    def call(self, inputs, training=False):
        """`inputs` is noise, or `[noise, labels]` when conditional."""
        return self.generator(inputs, training=training)

    def unpack(self, data):
        """Splits a dataset element into `(real, labels)` for training.

        Families override `prepare_real` (not this) to reshape real data.
        """
        if isinstance(data, (tuple, list)):
            real = data[0]
            labels = data[1] if len(data) > 1 else None
        else:
            real, labels = data, None
        if self.num_classes is not None and labels is None:
            raise ValueError("A conditional GAN needs (sample, label) batches.")
        if labels is not None:
            labels = tf.cast(tf.reshape(labels, [-1]), "int32")
        return self.prepare_real(real, labels)

    def prepare_real(self, real, labels):
        """Hook: maps a real batch to the discriminator's input shape."""
        return real, labels

    # ---------------------------------------------------------------- the steps
    def _discriminator_losses(self, real, labels, training):
        batch = tf.shape(real)[0]
        noise = local_batch_noise(self.seed_generator, batch, self.latent_dim)
        fake = self.generator(self._generator_inputs(noise, labels), training=training)
        real_out = self.discriminator(self._discriminator_inputs(real, labels), training=training)
        fake_out = self.discriminator(self._discriminator_inputs(fake, labels), training=training)
        per_example = self.d_loss_fn(real_out, fake_out, reduction="none")
        if self.gradient_penalty_weight > 0:
            critic = lambda x: self.discriminator(  # noqa: E731
                self._discriminator_inputs(x, labels), training=training
            )
            penalty = gan_losses.gradient_penalty(
                critic, real, fake, seed=self.seed_generator, reduction="none"
            )
            per_example += self.gradient_penalty_weight * penalty
        return tf.nn.compute_average_loss(per_example), real_out, fake_out

    def _generator_loss(self, batch, labels, training):
        noise = local_batch_noise(self.seed_generator, batch, self.latent_dim)
        fake = self.generator(self._generator_inputs(noise, labels), training=training)
        fake_out = self.discriminator(self._discriminator_inputs(fake, labels), training=training)
        return tf.nn.compute_average_loss(self.g_loss_fn(fake_out, reduction="none"))

    def _score(self, outputs):
        outputs = tf.cast(outputs, "float32")
        if self.loss_name in PROBABILITY_LOSSES and self.from_logits:
            outputs = tf.sigmoid(outputs)
        return tf.reduce_mean(outputs)

    def _update_trackers(self, g_loss, d_loss, real_out, fake_out):
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        self.g_loss_tracker.update_state(g_loss * replicas)
        self.d_loss_tracker.update_state(d_loss * replicas)
        self.d_real_tracker.update_state(self._score(real_out))
        self.d_fake_tracker.update_state(self._score(fake_out))
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data):
        real, labels = self.unpack(data)
        d_vars = self.discriminator.trainable_variables
        g_vars = self.generator.trainable_variables
        for _ in range(self.discriminator_steps):
            with tf.GradientTape() as tape:
                d_loss, real_out, fake_out = self._discriminator_losses(real, labels, True)
            grads = tape.gradient(d_loss, d_vars)
            self.d_optimizer.apply_gradients(zip(grads, d_vars))
        with tf.GradientTape() as tape:
            g_loss = self._generator_loss(tf.shape(real)[0], labels, True)
        grads = tape.gradient(g_loss, g_vars)
        self.g_optimizer.apply_gradients(zip(grads, g_vars))
        return self._update_trackers(g_loss, d_loss, real_out, fake_out)

    def test_step(self, data):
        real, labels = self.unpack(data)
        d_loss, real_out, fake_out = self._discriminator_losses(real, labels, False)
        g_loss = self._generator_loss(tf.shape(real)[0], labels, False)
        return self._update_trackers(g_loss, d_loss, real_out, fake_out)

    # --------------------------------------------------------------- inference
    def generate(self, num, labels=None, seed=None):
        """Draws `num` samples from the generator (numpy array).

        Args:
            num: int, number of samples.
            labels: int, sequence of ints, or None (required when conditional).
            seed: int or None; the same seed gives the same samples.
        """
        noise = self.sample_noise(num, seed)
        if self.num_classes is not None:
            labels = self.check_labels(labels, num)
        return keras.ops.convert_to_numpy(
            self.generator(self._generator_inputs(noise, labels), training=False)
        )

    def check_labels(self, labels, num):
        """Validates labels for a conditional model; returns an int32 tensor."""
        if labels is None:
            raise ValueError(f"This model is conditional on {self.num_classes} classes: pass `labels`.")
        labels = tf.broadcast_to(tf.constant(labels, "int32"), [int(num)])
        bad = [int(v) for v in labels.numpy() if not 0 <= v < self.num_classes]
        if bad:
            raise ValueError(f"Labels {bad} are outside [0, {self.num_classes}).")
        return labels

    # ------------------------------------------------------------------ config
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                **self.training_config(),
            }
        )
        return config

    def training_config(self):
        """The base-class keywords every family's config carries."""
        return {
            "latent_dim": self.latent_dim,
            "num_classes": self.num_classes,
            "discriminator_steps": self.discriminator_steps,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        config = copy.deepcopy(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


def _make_optimizer(optimizer, name):
    if optimizer is None:
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5, name=name)
    return keras.optimizers.get(optimizer)
