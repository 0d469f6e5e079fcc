"""Gradient penalties on the discriminator: WGAN-GP and R1."""
import keras
import tensorflow as tf

from gan_audio.losses.reduction import reduce_loss, to_float32
from gan_audio.replica_draws import local_batch_draw


def _squared_gradient_norm(discriminator_fn, inputs):
    """``||grad_x sum D(x)||^2`` per example, over every non-batch axis.

    A discriminator returning a list of outputs (sub-discriminators) has
    them all summed, as ``tf.GradientTape.gradient`` does for a list.
    """
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        outputs = discriminator_fn(inputs)
        outputs = [tf.cast(o, tf.float32) for o in tf.nest.flatten(outputs)]
    gradients = tape.gradient(outputs, inputs, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    squared = tf.square(tf.cast(gradients, tf.float32))
    rank = inputs.shape.rank
    return tf.reduce_sum(squared, axis=list(range(1, rank))) if rank > 1 else squared


def _check_rank(real):
    if real.shape.rank is None or real.shape.rank < 1:
        raise ValueError("`real` must have a known rank >= 1 (batch first).")


def gradient_penalty(discriminator_fn, real, fake, seed=None, target=1.0, reduction="mean"):
    """WGAN-GP penalty ``E[(||grad D(x_hat)||_2 - target)^2]``, any input rank.

    ``eps ~ U[0, 1]`` has shape ``(B, 1, ..., 1)`` (one weight per example,
    drawn with ``keras.random.uniform(seed=seed)``; under a `tf.distribute` strategy each replica
    takes its slice of the global batch's draw, `gan_audio.replica_draws`), ``x_hat = eps real +
    (1 - eps) fake``, the gradient of ``discriminator_fn(x_hat)`` (summed
    over its outputs, i.e. per example for a per-example discriminator) is
    taken with ``tf.GradientTape`` and its L2 norm over every non-batch axis.

    Args:
        discriminator_fn (callable): Maps a batch like ``real`` to outputs
            (a tensor or a list of tensors).
        real (tensor): Real batch ``(B, ...)``.
        fake (tensor): Generated batch of the same shape.
        seed (int | keras.random.SeedGenerator | None): Seed of ``eps``.
        target (float): Target gradient norm. Defaults to 1.0.
        reduction (str): ``"mean"`` (scalar) or ``"none"`` (``(B,)``).
    """
    real = to_float32(real)
    fake = to_float32(fake)
    _check_rank(real)
    rank = real.shape.rank
    ones = tf.ones([rank - 1], tf.int32)
    eps = local_batch_draw(lambda n: keras.random.uniform(tf.concat([[n], ones], axis=0), minval=0.0, maxval=1.0,
                                                          dtype="float32", seed=seed), tf.shape(real)[0])
    interpolated = eps * real + (1.0 - eps) * fake
    norm = tf.sqrt(_squared_gradient_norm(discriminator_fn, interpolated) + 1e-12)
    return reduce_loss(tf.square(norm - target), reduction)


def r1_penalty(discriminator_fn, real, reduction="mean"):
    """R1 penalty ``E_x[||grad_x D(x)||_2^2]`` on real data (Mescheder et al. 2018).

    The gradient is that of the sum of the discriminator's outputs for one
    example (all sub-discriminators for a list) with respect to that
    example, its squared L2 norm taken over every non-batch axis. The usual
    weight is ``gamma / 2``; multiply outside.

    Args:
        discriminator_fn (callable): Maps a batch like ``real`` to outputs
            (logits; a tensor or a list of tensors).
        real (tensor): Real batch ``(B, ...)``.
        reduction (str): ``"mean"`` (scalar) or ``"none"`` (``(B,)``).

    Example:
        >>> w = tf.constant([3.0, 4.0])
        >>> float(r1_penalty(lambda x: tf.reduce_sum(w * x, axis=1), tf.ones([2, 2])))
        25.0
    """
    real = to_float32(real)
    _check_rank(real)
    return reduce_loss(_squared_gradient_norm(discriminator_fn, real), reduction)
