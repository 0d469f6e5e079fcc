"""Per-example random draws that split a global batch across `tf.distribute` replicas.

A seed generator has the same state on every replica, so a plain draw gives every replica the same
numbers: two replicas of a batch of 64 would interpolate, shift or crop their 32 examples alike,
and the update would not be the single-device update on those 64. `local_batch_draw` draws for the
*global* batch and keeps this replica's slice, so N replicas see exactly what one device sees on the
same global batch. Used for the latent noise, the WGAN-GP interpolation weights, SpecGAN's shift
augmentation and GCDG's crops and PhaseShuffle. (Keras' Dropout layers still draw per replica alike.)

Example:
    >>> import keras
    >>> local_batch_draw(lambda n: keras.random.uniform((n, 3), seed=1), 4).shape
    TensorShape([4, 3])
"""
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
