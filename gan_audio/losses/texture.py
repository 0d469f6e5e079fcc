"""Texture losses of a generator: contrastive (info-NCE) and directional (mode seeking).

Both are minimised by the generator and return, with ``reduction="none"``,
one value per example ``(B,)`` (for ``tf.nn.compute_average_loss``); with
``reduction="mean"`` their mean.
"""
import tensorflow as tf

from gan_audio.losses.reduction import reduce_loss, to_float32

DIRECTIONAL_EPSILON = 1e-5


def _l1_norm(x):
    """``sum |x|`` over every non-batch axis → ``(B,)``."""
    rank = x.shape.rank
    if rank is None or rank < 1:
        raise ValueError("The inputs of `directional_loss` must have a known rank >= 1 (batch first).")
    return tf.reduce_sum(tf.abs(x), axis=list(range(1, rank))) if rank > 1 else tf.abs(x)


def contrastive_loss(anchors, positives, temperature=0.1, normalize=True, reduction="mean", positive_offset=0):
    """Info-NCE between two views of each example (van den Oord et al. 2018).

    With ``u_i`` and ``v_i`` the rows of `anchors` and `positives`, each
    L2-normalised when `normalize` (the projection ``p`` of GCDG), row ``i``
    of ``(B, B)`` logits ``s_ij = u_i·v_j / τ`` scores its own positive
    against the other examples' views, and

        ``ℓ_i = −log( exp(s_ii) / Σ_j exp(s_ij) )``.

    Args:
        anchors (tensor): ``(B, E)`` embeddings of the first views.
        positives (tensor): ``(B, E)`` embeddings of the second views.
        temperature (float): τ > 0. Defaults to 0.1.
        normalize (bool): L2-normalise both before the dot products. Defaults to True.
        reduction (str): ``"mean"`` (scalar) or ``"none"`` (``(B,)``).
        positive_offset (int or scalar tensor): `positives` may hold more rows than `anchors` (the global
            batch under `tf.distribute`): anchor i's positive is row ``positive_offset + i``, and every
            row is a negative of the others. Defaults to 0.

    Example:
        >>> u = tf.constant([[1.0, 0.0], [0.0, 1.0]])
        >>> round(float(contrastive_loss(u, u, temperature=1.0)), 4)  # log(1 + e^-1)
        0.3133
    """
    if not float(temperature) > 0:
        raise ValueError(f"`temperature` must be > 0, got {temperature!r}.")
    anchors, positives = to_float32(anchors), to_float32(positives)
    if anchors.shape.rank != 2 or positives.shape.rank != 2:
        raise ValueError(f"`anchors` and `positives` must be (B, E), got {anchors.shape} and {positives.shape}.")
    if normalize:
        anchors = tf.math.l2_normalize(anchors, axis=-1, epsilon=1e-12)
        positives = tf.math.l2_normalize(positives, axis=-1, epsilon=1e-12)
    logits = tf.matmul(anchors, positives, transpose_b=True) / float(temperature)
    own = positive_offset + tf.range(tf.shape(anchors)[0])
    per_example = -tf.gather(tf.nn.log_softmax(logits, axis=-1), own, axis=1, batch_dims=1)
    return reduce_loss(per_example, reduction)


def directional_loss(latents_1, latents_2, samples_1, samples_2, epsilon=DIRECTIONAL_EPSILON, reduction="mean"):
    """Mode-seeking ratio ``‖z1 − z2‖₁ / (‖G(z1) − G(z2)‖₁ + ε)`` per pair (Mao et al. 2019).

    L1 norms are sums of absolute values over every non-batch axis. Minimising
    it pushes the outputs of different latents apart (against mode collapse);
    the ratio grows with the latent size and shrinks with the sample size,
    so the weight of this term is chosen per network size.

    Args:
        latents_1, latents_2 (tensor): ``(B, ...)`` the latent pairs.
        samples_1, samples_2 (tensor): ``(B, ...)`` what the generator made of them.
        epsilon (float): ε ≥ 0, keeps the ratio finite. Defaults to 1e-5.
        reduction (str): ``"mean"`` (scalar) or ``"none"`` (``(B,)``).

    Example:
        >>> z1, z2 = tf.constant([[1.0, 0.0]]), tf.constant([[0.0, 1.0]])
        >>> float(directional_loss(z1, z2, 2.0 * z1, 2.0 * z2, epsilon=0.0))
        0.5
    """
    if float(epsilon) < 0:
        raise ValueError(f"`epsilon` must be >= 0, got {epsilon!r}.")
    latent_distance = _l1_norm(to_float32(latents_1) - to_float32(latents_2))
    sample_distance = _l1_norm(to_float32(samples_1) - to_float32(samples_2))
    return reduce_loss(latent_distance / (sample_distance + float(epsilon)), reduction)
