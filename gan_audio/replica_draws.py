"""Per-example random draws that split a global batch across `tf.distribute` replicas.

A seed generator has the same state on every replica, so a plain draw gives every replica the same
numbers: two replicas of a batch of 64 would interpolate, shift or crop their 32 examples alike,
and the update would not be the single-device update on those 64. `local_batch_draw` draws for the
*global* batch and keeps this replica's slice, so N replicas see exactly what one device sees on the
same global batch. Used for the latent noise, the WGAN-GP interpolation weights, SpecGAN's shift
augmentation, GCDG's crops and PhaseShuffle, and, by `ReplicaDropout` and `ReplicaGaussianNoise` (which
the zoo's networks use in place of Keras' `Dropout` and `GaussianNoise`, whose masks every replica would
draw alike), dropout masks and input noise.

Example:
    >>> import keras
    >>> local_batch_draw(lambda n: keras.random.uniform((n, 3), seed=1), 4).shape
    TensorShape([4, 3])
"""
import keras
import tensorflow as tf


def local_batch_draw(draw, batch_size):
    """This replica's ``batch_size`` rows of ``draw(global_batch)`` (``draw(batch_size)`` on one device).

    Args:
        draw: ``n → (n, ...)`` tensor of per-example random values.
        batch_size: this replica's batch (the global batch is ``batch_size × replicas``).
    """
    context = tf.distribute.get_replica_context()
    replicas = 1 if context is None else context.num_replicas_in_sync
    if replicas == 1:
        return draw(batch_size)
    replica = context.replica_id_in_sync_group
    return draw(batch_size * replicas)[replica * batch_size:(replica + 1) * batch_size]


@keras.saving.register_keras_serializable(package="gan_audio")
class ReplicaDropout(keras.layers.Layer):
    """`keras.layers.Dropout` whose masks are drawn for the global batch (`local_batch_draw`), so N replicas
    drop what one device drops on the same global batch. Identity at inference.

    Args:
        rate: float in [0, 1), the fraction of units zeroed (the rest scaled by ``1 / (1 - rate)``).
        seed: int or None.

    Example:
        >>> layer = ReplicaDropout(0.5, seed=0)
        >>> y = layer(tf.ones((2, 1000)), training=True)
        >>> sorted(set(y.numpy().ravel().tolist()))
        [0.0, 2.0]
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= float(rate) < 1.0:
            raise ValueError(f"`rate` must be in [0, 1), got {rate!r}.")
        self.rate, self.seed = float(rate), seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="dropout_seed")

    def call(self, inputs, training=False):
        if not training or self.rate == 0.0:
            return inputs
        shape = tf.shape(inputs)
        keep = local_batch_draw(
            lambda n: keras.random.uniform(tf.concat([[n], shape[1:]], 0), seed=self.seed_generator), shape[0])
        return tf.where(keep >= self.rate, inputs / (1.0 - self.rate), tf.zeros_like(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


@keras.saving.register_keras_serializable(package="gan_audio")
class ReplicaGaussianNoise(keras.layers.Layer):
    """`keras.layers.GaussianNoise` drawn for the global batch, as `ReplicaDropout`. Identity at inference.

    Args:
        stddev: float >= 0, the noise's standard deviation.
        seed: int or None.

    Example:
        >>> y = ReplicaGaussianNoise(0.1, seed=0)(tf.zeros((4, 2000)), training=True)
        >>> round(float(tf.math.reduce_std(y)), 1)
        0.1
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not float(stddev) >= 0:
            raise ValueError(f"`stddev` must be >= 0, got {stddev!r}.")
        self.stddev, self.seed = float(stddev), seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="noise_seed")

    def call(self, inputs, training=False):
        if not training or self.stddev == 0.0:
            return inputs
        shape = tf.shape(inputs)
        noise = local_batch_draw(lambda n: keras.random.normal(
            tf.concat([[n], shape[1:]], 0), stddev=self.stddev, seed=self.seed_generator, dtype=inputs.dtype),
            shape[0])
        return inputs + noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
