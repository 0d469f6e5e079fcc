"""The adversarial base: a generator and a discriminator trained with `fit`, G fed from the batch."""
import copy

import keras
import tensorflow as tf

from gan_audio import losses as gan_losses
from gan_audio.losses.reduction import reduce_loss
from gan_audio.models.adversarial import loss_terms
from gan_audio.models.adversarial.adversarial_compile import PROBABILITY_LOSSES, AdversarialCompileMixin
from gan_audio.models.protocol.dataset_fit import DatasetFitMixin
from gan_audio.models.adversarial.discriminator_outputs import discriminator_parts
from gan_audio.models.protocol.gradient_step import gradient_step
from gan_audio.models.adversarial.generator_average import average_of, step_average, warmed_up_decay, without_seed_states
from gan_audio.models.protocol.multi_worker import replica_logs
from gan_audio.serving import ServingMixin


@keras.saving.register_keras_serializable(package="gan_audio")
class AdversarialModel(AdversarialCompileMixin, ServingMixin, DatasetFitMixin, keras.Model):
    """A generator and a discriminator trained adversarially with `fit`.

    The base of every adversarial family. It knows nothing of latent noise:
    what G is fed comes from the `generator_inputs(batch)` hook, so a family
    whose generator transforms its input (the `Vocoder`: log-mel → waveform)
    inherits nothing it must undo, and `GAN` adds the latent noise.

    One training step runs `discriminator_steps` updates of D on
    ``d_loss`` and then one update of G on ``g_loss``. What the step
    computes comes from hooks that see the whole batch, so a family changes
    the *terms* without copying the step:

    - `unpack(data)` → a dict batch (default ``{"real"}``),
    - `generator_inputs(batch)` → G's input (a family must define it),
    - `discriminator_losses(batch, fake)` / `generator_losses(batch, fake)`
      → dicts of named per-example terms (``batch["generator_inputs"]`` is
      what G was fed), declared by `loss_names()`.

    Each network's terms are summed, each averaged over the *global* batch
    (`tf.nn.compute_average_loss`, so a `tf.distribute` strategy gives the
    one-device update), and every term gets a `keras.metrics.Mean` tracker
    of its name. The default terms are ``L_D(D(x), D(G(·)))`` (+ λ·GP when
    `gradient_penalty_weight` > 0) and ``L_G(D(G(·)))`` from
    `gan_audio.losses`.

    Under a ``mixed_float16`` policy both optimizers are wrapped in
    `keras.optimizers.LossScaleOptimizer` and all losses are float32.

    Args:
        generator: `keras.Model`, `generator_inputs(batch)` → samples.
        discriminator: `keras.Model`, samples → logits per example (or
            probabilities with `from_logits=False`), or a dict of named parts
            holding them under ``"logits"`` (a list for several
            sub-discriminators) beside ``"features"``, ``"embedding"`` or
            ``"class_logits"`` (`discriminator_parts`); only the logits
            reach the adversarial loss.
        discriminator_steps: int, D updates per G update. All of them
            see the step's one real batch (`fit` gives a step one batch;
            pass a larger batch rather than expect new real clips per
            update). Defaults to 1.
        sample_rate: int, Hz of the generated audio. Defaults to 16000.
        seed: int or None, seed of the step's random draws (the gradient
            penalty's interpolation weights; a `GAN`'s latent noise).
        generator_average: float in [0, 1), the decay d of an exponential
            moving average of G's weights (``a ← d_t·a + (1 − d_t)·w`` after
            G's t-th update, ``d_t = min(d, (1 + t) / (10 + t))`` so that a
            short run does not sample near-initial weights; starting from
            G's weights); when > 0 that average, `averaged_generator`, makes
            every sample, `serve` and the export (`sampler`), and G trains as
            before. 0 (the default) turns it off.

    Example:
    ```python
    import keras, numpy as np
    from gan_audio.models import AdversarialModel

    class Shift(AdversarialModel):  # G is fed a shifted copy of the real batch, not noise
        def generator_inputs(self, batch):
            return batch["real"] + 0.1

    g = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])
    d = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model = Shift(g, d, seed=0)
    model.compile(loss="non_saturating")
    history = model.fit(np.random.rand(64, 4).astype("float32"), batch_size=16, epochs=1, verbose=0)
    sorted(history.history)  # ['d_fake', 'd_loss', 'd_real', 'g_loss']
    ```
    """

    def __init__(self, generator, discriminator, discriminator_steps=1, sample_rate=16000, seed=None,
                 generator_average=0.0, **kwargs):
        super().__init__(**kwargs)
        if int(discriminator_steps) < 1:
            raise ValueError(f"`discriminator_steps` must be >= 1, got {discriminator_steps}.")
        if not 0.0 <= float(generator_average) < 1.0:
            raise ValueError(f"`generator_average` must be in [0, 1), got {generator_average}.")
        # === Layers ===
        self.generator = generator
        self.discriminator = discriminator
        self.seed_generator = keras.random.SeedGenerator(seed, name="noise_seed")
        self.averaged_generator = average_of(generator) if generator_average else None
        # === Config ===
        self.generator_average = float(generator_average)
        self.discriminator_steps = int(discriminator_steps)
        self.sample_rate = int(sample_rate)
        self.seed = seed
        self.built = True

    # -------------------------------------------------------------- loss hooks
    def loss_names(self):
        """`LossNames` of the terms the hooks return (called by `compile`, on which they depend)."""
        if not hasattr(self, "gradient_penalty_weight"):
            raise RuntimeError(f"{self.name}: call compile() first; the loss terms depend on its arguments.")
        d_terms = ("d_adversarial",) + (("gradient_penalty",) if self.gradient_penalty_weight > 0 else ())
        return loss_terms.LossNames(d_terms, ("g_adversarial",), ("d_real", "d_fake"))

    def unpack(self, data):
        """A dataset element → the batch dict, ``{"real": x}`` (labels, if any, are dropped)."""
        return {"real": data[0] if isinstance(data, (tuple, list)) else data}

    def generator_inputs(self, batch):
        """G's input for this replica's share of the batch: a family defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define generator_inputs(batch): what G is fed.")

    def discriminate(self, samples, batch, training):
        """D on `samples` → its named parts, ``{"logits", ...}`` (`discriminator_parts`)."""
        return discriminator_parts(self.discriminator(samples, training=training), self.discriminator.name)

    def adversarial_logits(self, samples, batch, training):
        """What the adversarial terms see: the ``"logits"`` part of `discriminate`."""
        return self.discriminate(samples, batch, training)["logits"]

    def discriminator_losses(self, batch, fake, training=True):
        """``{"d_adversarial", ["gradient_penalty"], "d_real", "d_fake"}`` per example."""
        real_out = self.adversarial_logits(batch["real"], batch, training)
        fake_out = self.adversarial_logits(fake, batch, training)
        terms = {"d_adversarial": self.d_loss_fn(real_out, fake_out, reduction="none")}
        if self.gradient_penalty_weight > 0:
            penalty = gan_losses.gradient_penalty(
                lambda x: self.adversarial_logits(x, batch, training), batch["real"], fake,
                seed=self.seed_generator, reduction="none")
            terms["gradient_penalty"] = self.gradient_penalty_weight * penalty
        return {**terms, "d_real": self._score(real_out), "d_fake": self._score(fake_out)}

    def generator_losses(self, batch, fake, training=True):
        """``{"g_adversarial"}`` per example."""
        return {"g_adversarial": self.g_loss_fn(self.adversarial_logits(fake, batch, training), reduction="none")}

    def _score(self, outputs):
        """Per-example mean D output (a probability for logit losses)."""
        scores = []
        for out in tf.nest.flatten(outputs):
            out = tf.cast(out, "float32")
            if self.loss_name in PROBABILITY_LOSSES and self.from_logits:
                out = tf.sigmoid(out)
            scores.append(reduce_loss(out, "none"))
        return tf.add_n(scores) / len(scores)

    # ---------------------------------------------------------------- the steps
    def _terms(self, batch, hook, role, training):
        names = self.loss_names()
        inputs = self.generator_inputs(batch)
        fake = self.generator(inputs, training=training)
        values = hook({**batch, "generator_inputs": inputs}, fake, training=training)
        declared = names.discriminator if role == "discriminator" else names.generator
        return loss_terms.average_terms(values, declared, names.monitors, f"{type(self).__name__}.{role}_losses")

    def discriminator_state(self):
        """D's variables that G's update must leave alone: BatchNorm statistics and spectral-norm vectors
        (D runs in training mode inside G's step, so its batch statistics and dropout stay those of
        training; its seed states still advance, so its draws in G's step are new ones)."""
        return without_seed_states(self.discriminator.non_trainable_variables)

    def _update(self, network, optimizer, batch, hook, role):
        variables = network.trainable_variables
        frozen = self.discriminator_state() if role == "generator" else []
        saved = [tf.identity(v) for v in frozen]
        total, terms = gradient_step(optimizer, variables, lambda: self._terms(batch, hook, role, training=True))
        with tf.control_dependencies([total]):
            for variable, value in zip(frozen, saved):
                variable.assign(value)
        return total, terms

    def train_step(self, data):
        batch = self.unpack(data)
        for _ in range(self.discriminator_steps):
            d_total, d_terms = self._update(self.discriminator, self.d_optimizer, batch,
                                            self.discriminator_losses, "discriminator")
        g_total, g_terms = self._update(self.generator, self.g_optimizer, batch, self.generator_losses, "generator")
        if self.averaged_generator is not None:
            with tf.control_dependencies([g_total]):
                self.update_average()
        return replica_logs(loss_terms.update_trackers(self.trackers, self.loss_names(), d_total, d_terms, g_total,
                                                       g_terms))

    def test_step(self, data):
        batch = self.unpack(data)
        state = tf.identity(self.seed_generator.state.value)  # evaluating must not move the training noise
        d_total, d_terms = self._terms(batch, self.discriminator_losses, "discriminator", training=False)
        g_total, g_terms = self._terms(batch, self.generator_losses, "generator", training=False)
        with tf.control_dependencies([d_total, g_total]):
            self.seed_generator.state.assign(state)
        return replica_logs(loss_terms.update_trackers(self.trackers, self.loss_names(), d_total, d_terms, g_total,
                                                       g_terms))

    # ------------------------------------------------------------- the networks
    @property
    def sampler(self):
        """The generator that makes samples and exports: `averaged_generator` if any, else `generator`."""
        return self.generator if self.averaged_generator is None else self.averaged_generator

    def update_average(self):
        """One step of the moving average, after G's t-th update: ``a ← d_t·a + (1 − d_t)·w`` for each of
        G's weights, ``d_t = min(d, (1 + t) / (10 + t))``."""
        step_average(self.averaged_generator, self.generator,
                     warmed_up_decay(self.generator_average, self.g_optimizer.iterations))

    @property
    def networks(self):
        """The trained networks by name (each has its own optimizer)."""
        return {"generator": self.generator, "discriminator": self.discriminator}

    def call(self, inputs, training=False):
        """G on `inputs` (what `generator_inputs` gives)."""
        return self.generator(inputs, training=training)

    # ------------------------------------------------------------------ config
    def network_config(self):
        """The networks, serialised (families that build them from keywords return {})."""
        return {name: keras.saving.serialize_keras_object(getattr(self, name)) for name in ("generator", "discriminator")}

    def get_config(self):
        config = super().get_config()
        config.update(self.network_config())
        config.update(discriminator_steps=self.discriminator_steps, sample_rate=self.sample_rate, seed=self.seed,
                      generator_average=self.generator_average)
        return config

    @classmethod
    def from_config(cls, config):
        config = copy.deepcopy(config)
        for key in ("generator", "discriminator"):
            if key in config:
                config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)

    # ------------------------------------------------------------------ state
    # Keras does not save SeedGenerator states; the draws' state is part of
    # a run (a resumed run must draw what the uninterrupted run draws).
    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["noise_seed_state"] = keras.ops.convert_to_numpy(self.seed_generator.state)

    def load_own_variables(self, store):
        keys = set(store.keys())
        if "noise_seed_state" in keys:
            self.seed_generator.state.assign(store["noise_seed_state"])
        own = self._trainable_variables + self._non_trainable_variables
        if len(keys - {"noise_seed_state"}) != len(own):
            raise ValueError(f"{self.name}: the file holds {sorted(keys)}, expected {len(own)} variables.")
        for i, variable in enumerate(own):
            variable.assign(store[str(i)])

