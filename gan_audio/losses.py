"""GAN losses on discriminator outputs (TF-GAN naming), all to be minimised.

Notation: ``D(x)`` are the discriminator outputs on real data, ``D(G(z))`` on
generated data; with ``from_logits=True`` they are logits ``l`` and
``D = sigmoid(l)``, otherwise probabilities (clipped to ``[eps, 1 - eps]``,
``eps = 1e-7``, as in Keras' binary cross-entropy). ``E`` is the mean.

* minimax:        ``L_G = E[log(1 - D(G(z)))]``  (logits: ``-softplus(l)``)
                  ``L_D = -E[log D(x)] - E[log(1 - D(G(z)))]``; one-sided label
                  smoothing ``s`` replaces the real target 1 by ``1 - s``:
                  ``-E[(1 - s) log D(x) + s log(1 - D(x))]``.
* non_saturating: ``L_G = -E[log D(G(z))]`` (logits: ``softplus(-l)``),
                  ``L_D`` as minimax.
* least_squares:  ``L_G = 1/2 E[(D(G(z)) - 1)^2]``,
                  ``L_D = 1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2]``.
* hinge:          ``L_G = -E[D(G(z))]``,
                  ``L_D = E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]``.
* wasserstein:    ``L_G = -E[D(G(z))]``, ``L_D = E[D(G(z))] - E[D(x)]``.
* gradient_penalty (WGAN-GP): ``E[(||grad_x D(x_hat)||_2 - target)^2]`` with
  ``x_hat = eps real + (1 - eps) fake``, ``eps ~ U[0, 1]`` per example.

Reductions: ``reduction="mean"`` returns the scalar mean over every element
(each expectation of a discriminator loss is taken separately, so real and
fake batches may differ in size); ``reduction="none"`` returns a per-example
vector ``(B,)``, the mean over all non-batch axes (for
``tf.nn.compute_average_loss`` under ``tf.distribute``; the real and fake
terms are then added per example, so both batches must have the same size).

Example:
    >>> real, fake = tf.constant([[2.0], [-1.0]]), tf.constant([[0.5], [-3.0]])
    >>> generator_loss, discriminator_loss = get("hinge")
    >>> float(generator_loss(fake))
    1.25
    >>> discriminator_loss(real, fake, reduction="none").numpy().tolist()
    [1.5, 2.0]
"""
import keras
import tensorflow as tf

EPSILON = 1e-7
REDUCTIONS = ("mean", "none")


def _reduce(values, reduction):
    """Mean over everything (``"mean"``) or over non-batch axes (``"none"``)."""
    if reduction == "mean":
        return tf.reduce_mean(values)
    if reduction == "none":
        rank = values.shape.rank
        if rank == 0:
            return tf.reshape(values, [1])
        if rank == 1:
            return values
        axes = list(range(1, rank)) if rank is not None else tf.range(1, tf.rank(values))
        return tf.reduce_mean(values, axis=axes)
    raise ValueError(f"`reduction` must be one of {REDUCTIONS}, got {reduction!r}.")


def _float(x):
    x = tf.convert_to_tensor(x)
    return x if x.dtype.is_floating else tf.cast(x, tf.float32)


def _log_prob(outputs, from_logits):
    """``log D`` for logits or probabilities."""
    if from_logits:
        return -tf.nn.softplus(-outputs)
    return tf.math.log(tf.clip_by_value(outputs, EPSILON, 1.0 - EPSILON))


def _log_one_minus_prob(outputs, from_logits):
    """``log(1 - D)`` for logits or probabilities."""
    if from_logits:
        return -tf.nn.softplus(outputs)
    return tf.math.log(1.0 - tf.clip_by_value(outputs, EPSILON, 1.0 - EPSILON))


def minimax_generator_loss(fake_outputs, from_logits=True, reduction="mean"):
    """``E[log(1 - D(G(z)))]`` (saturating minimax generator loss)."""
    fake_outputs = _float(fake_outputs)
    return _reduce(_log_one_minus_prob(fake_outputs, from_logits), reduction)


def minimax_discriminator_loss(real_outputs, fake_outputs, from_logits=True,
                               label_smoothing=0.0, reduction="mean"):
    """``-E[(1-s) log D(x) + s log(1-D(x))] - E[log(1 - D(G(z)))]``, ``s`` = smoothing."""
    if not 0.0 <= label_smoothing < 1.0:
        raise ValueError(f"`label_smoothing` must be in [0, 1), got {label_smoothing!r}.")
    real_outputs, fake_outputs = _float(real_outputs), _float(fake_outputs)
    real_target = 1.0 - label_smoothing
    real_loss = -(real_target * _log_prob(real_outputs, from_logits)
                  + label_smoothing * _log_one_minus_prob(real_outputs, from_logits))
    fake_loss = -_log_one_minus_prob(fake_outputs, from_logits)
    return _reduce(real_loss, reduction) + _reduce(fake_loss, reduction)


def non_saturating_generator_loss(fake_outputs, from_logits=True, reduction="mean"):
    """``-E[log D(G(z))]`` (non-saturating generator loss)."""
    fake_outputs = _float(fake_outputs)
    return _reduce(-_log_prob(fake_outputs, from_logits), reduction)


#: The non-saturating GAN trains its discriminator with the minimax loss.
non_saturating_discriminator_loss = minimax_discriminator_loss


def least_squares_generator_loss(fake_outputs, reduction="mean"):
    """``1/2 E[(D(G(z)) - 1)^2]`` (LSGAN)."""
    fake_outputs = _float(fake_outputs)
    return _reduce(0.5 * tf.square(fake_outputs - 1.0), reduction)


def least_squares_discriminator_loss(real_outputs, fake_outputs, reduction="mean"):
    """``1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2]`` (LSGAN)."""
    real_outputs, fake_outputs = _float(real_outputs), _float(fake_outputs)
    return (_reduce(0.5 * tf.square(real_outputs - 1.0), reduction)
            + _reduce(0.5 * tf.square(fake_outputs), reduction))


def hinge_generator_loss(fake_outputs, reduction="mean"):
    """``-E[D(G(z))]`` (hinge GAN generator loss)."""
    return _reduce(-_float(fake_outputs), reduction)


def hinge_discriminator_loss(real_outputs, fake_outputs, reduction="mean"):
    """``E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]``."""
    real_outputs, fake_outputs = _float(real_outputs), _float(fake_outputs)
    return (_reduce(tf.nn.relu(1.0 - real_outputs), reduction)
            + _reduce(tf.nn.relu(1.0 + fake_outputs), reduction))


def wasserstein_generator_loss(fake_outputs, reduction="mean"):
    """``-E[D(G(z))]`` (WGAN generator loss)."""
    return _reduce(-_float(fake_outputs), reduction)


def wasserstein_discriminator_loss(real_outputs, fake_outputs, reduction="mean"):
    """``E[D(G(z))] - E[D(x)]`` (WGAN critic loss)."""
    real_outputs, fake_outputs = _float(real_outputs), _float(fake_outputs)
    return _reduce(fake_outputs, reduction) - _reduce(real_outputs, reduction)


def gradient_penalty(discriminator_fn, real, fake, seed=None, target=1.0,
                     reduction="mean"):
    """WGAN-GP penalty ``E[(||grad D(x_hat)||_2 - target)^2]``, any input rank.

    ``eps ~ U[0, 1]`` has shape ``(B, 1, ..., 1)`` (one weight per example,
    drawn with ``keras.random.uniform(seed=seed)``), ``x_hat = eps real +
    (1 - eps) fake``, the gradient of ``discriminator_fn(x_hat)`` (summed
    over its outputs, i.e. per example for a per-example discriminator) is
    taken with ``tf.GradientTape`` and its L2 norm over every non-batch axis.

    Args:
        discriminator_fn (callable): Maps a batch like ``real`` to outputs.
        real (tensor): Real batch ``(B, ...)``.
        fake (tensor): Generated batch of the same shape.
        seed (int | keras.random.SeedGenerator | None): Seed of ``eps``.
        target (float): Target gradient norm. Defaults to 1.0.
        reduction (str): ``"mean"`` (scalar) or ``"none"`` (``(B,)``).
    """
    real = _float(real)
    fake = tf.cast(tf.convert_to_tensor(fake), real.dtype)
    rank = real.shape.rank
    if rank is None or rank < 1:
        raise ValueError("`real` must have a known rank >= 1 (batch first).")
    shape = tf.concat([tf.shape(real)[:1], tf.ones([rank - 1], tf.int32)], axis=0)
    eps = keras.random.uniform(shape, minval=0.0, maxval=1.0, dtype=real.dtype.name,
                               seed=seed)
    interpolated = eps * real + (1.0 - eps) * fake
    with tf.GradientTape() as tape:
        tape.watch(interpolated)
        outputs = discriminator_fn(interpolated)
    gradients = tape.gradient(outputs, interpolated,
                              unconnected_gradients=tf.UnconnectedGradients.ZERO)
    squared = tf.square(gradients)
    if rank > 1:
        squared = tf.reduce_sum(squared, axis=list(range(1, rank)))
    norm = tf.sqrt(squared + 1e-12)
    return _reduce(tf.square(norm - target), reduction)


_LOSSES = {
    "minimax": (minimax_generator_loss, minimax_discriminator_loss),
    "non_saturating": (non_saturating_generator_loss, non_saturating_discriminator_loss),
    "least_squares": (least_squares_generator_loss, least_squares_discriminator_loss),
    "hinge": (hinge_generator_loss, hinge_discriminator_loss),
    "wasserstein": (wasserstein_generator_loss, wasserstein_discriminator_loss),
}


def get(name):
    """``(generator_loss_fn, discriminator_loss_fn)`` for a loss family name.

    Args:
        name (str): One of ``"minimax"``, ``"non_saturating"``,
            ``"least_squares"``, ``"hinge"``, ``"wasserstein"``.
    """
    if not isinstance(name, str) or name not in _LOSSES:
        raise ValueError(f"Unknown GAN loss {name!r}; valid names: {sorted(_LOSSES)}.")
    return _LOSSES[name]
