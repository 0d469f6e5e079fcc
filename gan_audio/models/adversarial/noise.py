"""Latent noise of a GAN: seeded, split across replicas, served."""
import random

import keras
import tensorflow as tf

from gan_audio.argument_checks import clip_labels
from gan_audio.replica_draws import local_batch_draw


def noise_from_seed(num, latent_dim, seed):
    """``(num, latent_dim)`` standard normal noise determined by an integer `seed`.

    The one definition of "the noise of seed s": a model's `generate`,
    `synthesize`, the sample writer and an exported ``generate`` signature
    all draw through it (a stateless Philox draw with key ``[seed, 0]``), so
    the same seed gives the same audio from a run and from its export.
    """
    seed = tf.stack([tf.cast(seed, tf.int64), tf.constant(0, tf.int64)])
    return tf.random.stateless_normal(tf.stack([tf.cast(num, tf.int32), int(latent_dim)]), seed=seed)


def local_batch_noise(seed_generator, batch_size, latent_dim):
    """Gaussian noise for this replica's share of the global batch.

    Every replica draws the *global* batch of noise from the same seed and
    keeps its own slice, so a run on N devices sees exactly the noise a
    single device sees on the same global batch (and replicas never share
    noise).
    """
    return local_batch_draw(lambda n: keras.random.normal((n, latent_dim), seed=seed_generator), batch_size)


class LatentNoiseMixin:
    """Everything about a generator's latent input, for GAN models: drawing
    it (seeded; `AdversarialModel` saves the seed generator's state with the
    run) and the noise [+ label] side of the serving contract (`serving_inputs`,
    `generation_inputs`, `generate_audio`, `serving_metadata`).

    Expects `self.seed_generator` (a `keras.random.SeedGenerator`),
    `self.latent_dim`, `self.conditional`, `self.num_classes`,
    `self.generator`, `self.sample_rate` and `decode_noise(noise[, label])`.
    """

    def sample_noise(self, num, seed=None):
        """`(num, latent_dim)` noise: `noise_from_seed` for an int `seed`, else for
        `next_seed()` (never the training noise state)."""
        return noise_from_seed(int(num), self.latent_dim, self.next_seed() if seed is None else int(seed))

    def next_seed(self):
        """An int seed for inference with `seed=None` (`generate`, `synthesize`), from a
        Python generator seeded by the model's `seed`: it never advances the training
        noise state (`seed_generator`), so looking at a model between two `fit` calls
        does not change the run."""
        if getattr(self, "_inference_seeds", None) is None:
            self._inference_seeds = random.Random(self.seed)
        return self._inference_seeds.randrange(2**31 - 1)

    def generate(self, num, labels=None, seed=None, **options):
        """`num` generated clips as numpy audio ``(num, samples)``, every family's `generate` (a WaveNet's,
        a reloaded export's): ``synthesize(num, labels, seed, **options)["waveform"]``, so the same `seed`
        gives the same audio as an export's ``generate``. `seed` None takes `next_seed()`: no inference
        call touches the training noise state. `generator_output` gives G's raw output instead."""
        return self.synthesize(num, labels=labels, seed=seed, **options)["waveform"]

    def generator_output(self, num, labels=None, seed=None):
        """`num` raw samples of the sampling generator (numpy; a spectrogram GAN's normalised log-mels), from
        the same noise as `generate` and `synthesize` for the same `seed`."""
        noise = self.sample_noise(num, seed)
        if self.conditional:
            labels = tf.constant(clip_labels(labels, num, self.num_classes))
        elif labels is not None:
            raise ValueError("This model is not label-conditional: it takes no labels.")
        return keras.ops.convert_to_numpy(self.sampler([noise, labels] if self.conditional else noise, training=False))

    # -------------------------------------------------------- serving contract
    def serving_inputs(self):
        specs = {"noise": tf.TensorSpec((None, self.latent_dim), tf.float32, name="noise")}
        if self.conditional:
            specs["label"] = tf.TensorSpec((None,), tf.int32, name="label")
        return specs

    def generation_inputs(self):
        specs = {"num": tf.TensorSpec((), tf.int32, name="num"), "seed": tf.TensorSpec((), tf.int64, name="seed")}
        if self.conditional:
            specs["label"] = tf.TensorSpec((None,), tf.int32, name="label")
        return specs

    def generate_audio(self, num, seed, label=None):
        """`num` clips from `noise_from_seed(num, latent_dim, seed)` [+ labels, broadcast]."""
        noise = noise_from_seed(num, self.latent_dim, seed)
        if not self.conditional:
            return self.decode_noise(noise)
        return self.decode_noise(noise, tf.broadcast_to(label, tf.reshape(num, [1])))

    def _graph_checked(self, label):
        """Labels checked in-graph (also in a SavedModel): an out-of-range label is
        an error, never a silent zero embedding."""
        label = tf.cast(label, tf.int32)
        checks = [tf.debugging.assert_non_negative(label, message="label < 0"),
                  tf.debugging.assert_less(label, self.num_classes, message=f"label >= num_classes ({self.num_classes})")]
        with tf.control_dependencies(checks):
            return tf.identity(label)

    def serving_metadata(self):
        return {"sample_rate": self.sample_rate, "latent_dim": self.latent_dim,
                "num_classes": self.num_classes if self.conditional else None}
