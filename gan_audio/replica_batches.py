"""Batch statistics over the *global* batch under `tf.distribute`: terms that compare examples with each
other (SGAN's feature matching on batch means, GCDG's info-NCE negatives and its mode-seeking pairs)
would otherwise see only the replica's slice, and N replicas would not make the single-device update.

Each replica gathers the whole batch (`ReplicaContext.all_gather`, whose gradient sends each slice's
gradient back to the replica that owns it) or its sums (`all_reduce`), computes the term for its own
examples, and the usual global averaging (`gan_audio.models.adversarial.loss_terms.global_average`) does the rest.
On one device every function is the plain computation.

Example:
    >>> import tensorflow as tf
    >>> float(global_batch_mean(tf.constant([[1.0], [3.0]]))[0])
    2.0
"""
import tensorflow as tf


def _replica_context():
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return None
    return context


def global_batch(x):
    """``(all examples (N·B, ...), offset of this replica's B rows in them)``; ``(x, 0)`` on one device."""
    context = _replica_context()
    if context is None:
        return x, 0
    batch = tf.shape(x)[0]
    return context.all_gather(x, axis=0), context.replica_id_in_sync_group * batch


def global_batch_mean(x):
    """The mean over axis 0 of the global batch (every replica gets the same value)."""
    context = _replica_context()
    if context is None:
        return tf.reduce_mean(x, axis=0)
    total = context.all_reduce(tf.distribute.ReduceOp.SUM, tf.reduce_sum(x, axis=0))
    count = context.all_reduce(tf.distribute.ReduceOp.SUM, tf.cast(tf.shape(x)[0], x.dtype))
    return total / count


def global_roll(x, shift=1):
    """This replica's rows of ``tf.roll(global batch, shift, axis=0)`` (each example's neighbour in the
    global batch, cyclically), as one device computes it."""
    everything, offset = global_batch(x)
    return tf.roll(everything, shift, axis=0)[offset:offset + tf.shape(x)[0]]
