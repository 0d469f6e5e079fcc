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

* r1_penalty (R1): ``E_x[||grad_x D(x)||_2^2]`` on real data (weight ``gamma / 2``).
* feature_matching_loss: ``sum_l mean |F_l(x) - F_l(G(s))|`` over lists of
  discriminator feature maps (HiFi-GAN).
* mel_l1_loss: ``mean |L(x) - L(G(s))|`` between (log-)mel spectrograms.
* multi_resolution_stft_loss: log-magnitude L1 over several STFT resolutions.
* semi-supervised (K class logits, fake logit fixed at 0, ``D = Z / (Z + 1)``,
  ``Z = sum exp(l_k)``): implicit_fake_discriminator_loss
  ``-E[log D(x)] - E[log(1 - D(G(z)))]``, supervised_class_loss (softmax
  cross-entropy over the K classes), mean_feature_matching_loss
  ``||E f(x) - E f(G(z))||^2``.
* contrastive_loss (info-NCE): ``-log(exp(u_i.v_i / tau) / sum_j exp(u_i.v_j / tau))``
  between normalised embeddings of two views of each example.
* directional_loss (mode seeking): ``||z1 - z2||_1 / (||G(z1) - G(z2)||_1 + eps)``.

Multi-discriminators: every adversarial loss takes one tensor of outputs or a
list/tuple of them, one per sub-discriminator (HiFi-GAN's multi-period and
multi-scale discriminators); the loss of each is computed and they are summed
(per example with ``reduction="none"``). Outputs are cast to float32 first, so
mixed-precision (float16) discriminators get float32 losses.

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
    >>> float(generator_loss([fake, 2.0 * fake]))  # two sub-discriminators
    3.75
"""
from gan_audio.losses.adversarial import (
    EPSILON,
    get,
    hinge_discriminator_loss,
    hinge_generator_loss,
    least_squares_discriminator_loss,
    least_squares_generator_loss,
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_discriminator_loss,
    non_saturating_generator_loss,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)
from gan_audio.losses.penalties import gradient_penalty, r1_penalty
from gan_audio.losses.reconstruction import feature_matching_loss, mel_l1_loss, multi_resolution_stft_loss
from gan_audio.losses.reduction import REDUCTIONS
from gan_audio.losses.semi_supervised import (
    implicit_fake_discriminator_loss,
    implicit_fake_log_probabilities,
    mean_feature_matching_loss,
    supervised_class_loss,
)
from gan_audio.losses.texture import contrastive_loss, directional_loss

__all__ = [
    "EPSILON", "REDUCTIONS", "get",
    "minimax_generator_loss", "minimax_discriminator_loss",
    "non_saturating_generator_loss", "non_saturating_discriminator_loss",
    "least_squares_generator_loss", "least_squares_discriminator_loss",
    "hinge_generator_loss", "hinge_discriminator_loss",
    "wasserstein_generator_loss", "wasserstein_discriminator_loss",
    "gradient_penalty", "r1_penalty", "feature_matching_loss", "mel_l1_loss", "multi_resolution_stft_loss",
    "implicit_fake_discriminator_loss", "implicit_fake_log_probabilities", "mean_feature_matching_loss",
    "supervised_class_loss", "contrastive_loss", "directional_loss",
]
