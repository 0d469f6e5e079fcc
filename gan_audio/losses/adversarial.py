"""Adversarial losses on discriminator outputs (TF-GAN naming), all minimised.

See `gan_audio.losses` for the formulas. Every loss takes one tensor of
outputs or a list of them (one per sub-discriminator, summed).
"""
import tensorflow as tf

from gan_audio.losses.reduction import reduce_loss as _reduce
from gan_audio.losses.reduction import summed_over_discriminators
from gan_audio.losses.reduction import to_float32 as _float

EPSILON = 1e-7


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


@summed_over_discriminators(1)
def minimax_generator_loss(fake_outputs, from_logits=True, reduction="mean"):
    """``E[log(1 - D(G(z)))]`` (saturating minimax generator loss)."""
    fake_outputs = _float(fake_outputs)
    return _reduce(_log_one_minus_prob(fake_outputs, from_logits), reduction)


@summed_over_discriminators(2)
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


@summed_over_discriminators(1)
def non_saturating_generator_loss(fake_outputs, from_logits=True, reduction="mean"):
    """``-E[log D(G(z))]`` (non-saturating generator loss)."""
    fake_outputs = _float(fake_outputs)
    return _reduce(-_log_prob(fake_outputs, from_logits), reduction)


#: The non-saturating GAN trains its discriminator with the minimax loss.
non_saturating_discriminator_loss = minimax_discriminator_loss


@summed_over_discriminators(1)
def least_squares_generator_loss(fake_outputs, reduction="mean"):
    """``1/2 E[(D(G(z)) - 1)^2]`` (LSGAN)."""
    fake_outputs = _float(fake_outputs)
    return _reduce(0.5 * tf.square(fake_outputs - 1.0), reduction)


@summed_over_discriminators(2)
def least_squares_discriminator_loss(real_outputs, fake_outputs, reduction="mean"):
    """``1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2]`` (LSGAN)."""
    real_outputs, fake_outputs = _float(real_outputs), _float(fake_outputs)
    return (_reduce(0.5 * tf.square(real_outputs - 1.0), reduction)
            + _reduce(0.5 * tf.square(fake_outputs), reduction))


@summed_over_discriminators(1)
def hinge_generator_loss(fake_outputs, reduction="mean"):
    """``-E[D(G(z))]`` (hinge GAN generator loss)."""
    return _reduce(-_float(fake_outputs), reduction)


@summed_over_discriminators(2)
def hinge_discriminator_loss(real_outputs, fake_outputs, reduction="mean"):
    """``E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]``."""
    real_outputs, fake_outputs = _float(real_outputs), _float(fake_outputs)
    return (_reduce(tf.nn.relu(1.0 - real_outputs), reduction)
            + _reduce(tf.nn.relu(1.0 + fake_outputs), reduction))


@summed_over_discriminators(1)
def wasserstein_generator_loss(fake_outputs, reduction="mean"):
    """``-E[D(G(z))]`` (WGAN generator loss)."""
    return _reduce(-_float(fake_outputs), reduction)


@summed_over_discriminators(2)
def wasserstein_discriminator_loss(real_outputs, fake_outputs, reduction="mean"):
    """``E[D(G(z))] - E[D(x)]`` (WGAN critic loss)."""
    real_outputs, fake_outputs = _float(real_outputs), _float(fake_outputs)
    return _reduce(fake_outputs, reduction) - _reduce(real_outputs, reduction)


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
