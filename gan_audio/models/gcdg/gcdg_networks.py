"""GCDG's networks: article 3's dense pair, a WaveGAN-style 1-D convolutional pair,
phase shuffle, and the random crops of the contrastive term.

Every discriminator returns ``[logit, embedding]``: the embedding ``f(x)``
is the layer the final logit ``w·f(x) + b`` reads.
"""
import math

import keras
import tensorflow as tf

from gan_audio.replica_draws import local_batch_draw
from gan_audio.time_windows import windows


@keras.saving.register_keras_serializable(package="gan_audio")
class PhaseShuffle(keras.layers.Layer):
    """WaveGAN's phase shuffle (Donahue et al. 2019): while training, each example's
    feature map ``(B, T, C)`` is shifted in time by its own random ``n`` in
    ``[-radius, radius]``, ``y[t] = x[t - n]``, the edges filled by reflection;
    at inference it is the identity (like `Dropout`).

    Args:
        radius: int >= 0, the largest shift (WaveGAN: 2). ``T`` must exceed it.
        seed: int or None, seed of the shifts.

    Example:
    ```python
    shuffle = PhaseShuffle(2, seed=0)
    shuffle(tf.ones((4, 16, 3)), training=True).shape  # (4, 16, 3)
    ```
    """

    def __init__(self, radius=2, seed=None, **kwargs):
        super().__init__(**kwargs)
        if int(radius) < 0:
            raise ValueError(f"`radius` must be >= 0, got {radius}.")
        self.radius = int(radius)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="phase_shuffle_seed")

    def call(self, inputs, training=False):
        if not training or not self.radius:
            return inputs
        radius = self.radius
        batch, length = tf.shape(inputs)[0], tf.shape(inputs)[1]
        shifts = tf.cast(local_batch_draw(
            lambda n: keras.random.randint((n,), -radius, radius + 1, seed=self.seed_generator), batch), tf.int32)
        padded = tf.pad(inputs, [[0, 0], [radius, radius], [0, 0]], mode="REFLECT")
        return windows(padded, radius - shifts, length)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "radius": self.radius, "seed": self.seed}


def random_crops(waveforms, length, seed):
    """One crop of `length` samples per example of ``(B, T)`` (static ``T``), each at
    its own uniform random offset in ``[0, T - length]``; differentiable in `waveforms`."""
    total = waveforms.shape[1]
    if total is None or not 1 <= length <= total:
        raise ValueError(f"`length` must be in [1, {total}] (the clip), got {length}.")
    starts = local_batch_draw(lambda n: keras.random.randint((n,), 0, total - length + 1, seed=seed),
                              tf.shape(waveforms)[0])
    return windows(waveforms, starts, length)


# ------------------------------------------------------------- article 3
def build_dense_generator(latent_dim, clip_samples, units, output_activation, name="generator"):
    """Article 3's G: noise → Dense(u, relu) for u in `units` → Dense(clip_samples, activation)."""
    noise = keras.Input((latent_dim,), name="noise")
    x = noise
    for i, width in enumerate(units):
        x = keras.layers.Dense(width, activation="relu", name=f"dense_{i}")(x)
    x = keras.layers.Dense(clip_samples, activation=output_activation, dtype="float32", name="waveform")(x)
    return keras.Model(noise, x, name=name)


def build_dense_discriminator(clip_samples, units, name="discriminator"):
    """Article 3's D: waveform ``(B, clip_samples)`` → Dense(u, relu) for u in `units`
    (the last is the embedding f) → Dense(1) logit (the article's sigmoid is in the loss)."""
    waveform = keras.Input((clip_samples,), name="waveform")
    x = waveform
    for i, width in enumerate(units):
        x = keras.layers.Dense(width, activation="relu", name=f"dense_{i}")(x)
    logit = keras.layers.Dense(1, dtype="float32", name="logit")(x)
    embedding = keras.layers.Activation("linear", dtype="float32", name="embedding")(x)
    return keras.Model(waveform, {"logits": logit, "embedding": embedding}, name=name)


# ---------------------------------------------------------------- WaveGAN
def build_conv_generator(latent_dim, clip_samples, filters, strides, kernel_size, output_activation,
                         name="generator"):
    """noise → Dense → ``(T / Π strides, filters[0])`` → ReLU → Conv1DTranspose
    (`kernel_size`, stride s_i, widths ``filters[1:]`` then 1, ReLU between) →
    activation → ``(B, T)`` (WaveGAN's generator, Donahue et al. 2019)."""
    length = clip_samples // math.prod(strides)
    noise = keras.Input((latent_dim,), name="noise")
    x = keras.layers.Dense(length * filters[0], name="project")(noise)
    x = keras.layers.Reshape((length, filters[0]), name="reshape")(x)
    x = keras.layers.ReLU(name="project_relu")(x)
    for i, stride in enumerate(strides):
        last = i == len(strides) - 1
        x = keras.layers.Conv1DTranspose(1 if last else filters[i + 1], kernel_size, strides=stride,
                                         padding="same", name=f"up_{i}")(x)
        if not last:
            x = keras.layers.ReLU(name=f"relu_{i}")(x)
    x = keras.layers.Activation(output_activation, dtype="float32", name=output_activation)(x)
    x = keras.layers.Reshape((clip_samples,), dtype="float32", name="waveform")(x)
    return keras.Model(noise, x, name=name)


def build_conv_discriminator(filters, strides, kernel_size, phase_shuffle, leaky_slope, seed=None,
                             name="discriminator"):
    """waveform ``(B, T)``, any T → Conv1D (`kernel_size`, stride s_i) → LeakyReLU →
    PhaseShuffle (not after the last) → mean over time (the embedding f) → Dense(1) logit.

    WaveGAN's D flattens; the mean over time lets f read crops of any length.
    """
    waveform = keras.Input((None,), name="waveform")
    x = keras.layers.Reshape((-1, 1), name="add_channel")(waveform)
    for i, (width, stride) in enumerate(zip(filters, strides)):
        x = keras.layers.Conv1D(width, kernel_size, strides=stride, padding="same", name=f"conv_{i}")(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"leaky_relu_{i}")(x)
        if phase_shuffle and i < len(filters) - 1:
            shuffle_seed = None if seed is None else int(seed) + i
            x = PhaseShuffle(phase_shuffle, seed=shuffle_seed, name=f"phase_shuffle_{i}")(x)
    pooled = keras.layers.GlobalAveragePooling1D(name="pool")(x)
    embedding = keras.layers.Activation("linear", dtype="float32", name="embedding")(pooled)
    logit = keras.layers.Dense(1, dtype="float32", name="logit")(pooled)
    return keras.Model(waveform, {"logits": logit, "embedding": embedding}, name=name)
