"""Losses of the semi-supervised GAN (Salimans et al. 2016), fake class implicit.

The discriminator returns K class logits ``l_1..l_K`` and no fake logit: the
fake class's logit is fixed at 0, so with ``Z = sum_k exp(l_k)``

    p(y = k | x) = exp(l_k) / (Z + 1),   D(x) = p(real | x) = Z / (Z + 1),

and, with ``s = logsumexp(l)``, ``log D(x) = s - softplus(s)`` and
``log(1 - D(x)) = -softplus(s)`` (computed this way, stable for any logits).
"""
import tensorflow as tf

from gan_audio.losses.reduction import reduce_loss, to_float32


def implicit_fake_log_probabilities(logits):
    """``(log D(x), log(1 - D(x)))`` per example for K class logits ``(B, K)``."""
    total = tf.reduce_logsumexp(to_float32(logits), axis=-1)
    return total - tf.nn.softplus(total), -tf.nn.softplus(total)


def implicit_fake_discriminator_loss(real_logits, fake_logits, reduction="mean"):
    """``-E[log D(x)] - E[log(1 - D(G(z)))]`` with the fake logit fixed at 0.

    Example:
        >>> real, fake = tf.constant([[0.0, 0.0]]), tf.constant([[0.0, 0.0]])
        >>> round(float(implicit_fake_discriminator_loss(real, fake)), 4)  # -log(2/3) - log(1/3)
        1.5041
    """
    log_real, _ = implicit_fake_log_probabilities(real_logits)
    _, log_fake = implicit_fake_log_probabilities(fake_logits)
    return reduce_loss(-log_real, reduction) + reduce_loss(-log_fake, reduction)


def supervised_class_loss(logits, labels, reduction="mean"):
    """Cross-entropy of the true class among the K real classes: for a clip
    known to be real, ``p(y | x, real) = softmax(l)_y`` (the fake logit drops out)."""
    labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
    values = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=to_float32(logits))
    return reduce_loss(values, reduction)


def mean_feature_matching_loss(real_features, fake_features, batch_mean=None):
    """``||E_x f(x) - E_z f(G(z))||_2^2`` on batch means of D's features (Salimans
    et al. 2016; a scalar per batch, summed over a list of layers). `batch_mean`: ``(B, ...) → (...)``,
    the mean over the batch (default `tf.reduce_mean` over axis 0; under `tf.distribute`,
    `gan_audio.replica_batches.global_batch_mean`).

    Example:
        >>> float(mean_feature_matching_loss(tf.constant([[1.0, 2.0], [3.0, 2.0]]), tf.zeros([3, 2])))
        8.0
    """
    batch_mean = batch_mean or (lambda x: tf.reduce_mean(x, axis=0))
    real, fake = tf.nest.flatten(real_features), tf.nest.flatten(fake_features)
    if len(real) != len(fake) or not real:
        raise ValueError(f"Feature lists differ: {len(real)} real and {len(fake)} fake maps.")
    terms = []
    for r, f in zip(real, fake):
        difference = batch_mean(to_float32(r)) - batch_mean(to_float32(f))
        terms.append(tf.reduce_sum(tf.square(difference)))
    return tf.add_n(terms)
