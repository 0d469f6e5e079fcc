"""Losses that compare real and generated audio directly: feature matching, mel L1."""
import tensorflow as tf

from gan_audio.losses.reduction import reduce_loss, to_float32


def feature_matching_loss(real_features, fake_features, reduction="mean"):
    """``sum_l mean |F_l(x) - F_l(G(s))|`` over discriminator feature maps (HiFi-GAN).

    For a vocoder, ``x`` and ``G(s)`` are paired (the same utterance), so
    the maps are compared example by example: each layer contributes the
    mean absolute difference over its non-batch axes, and the layers (of
    every sub-discriminator) are summed.

    Args:
        real_features: a feature map or a (nested) list of them, e.g. one
            list per sub-discriminator, as the discriminator returns them
            for real audio.
        fake_features: the same structure for generated audio.
        reduction (str): ``"mean"`` (scalar) or ``"none"`` (``(B,)``).

    Example:
        >>> real = [tf.constant([[1.0, 2.0]]), [tf.constant([[0.0]])]]
        >>> fake = [tf.constant([[2.0, 2.0]]), [tf.constant([[-3.0]])]]
        >>> float(feature_matching_loss(real, fake))  # 0.5 + 3
        3.5
    """
    try:
        tf.nest.assert_same_structure(real_features, fake_features)
    except (ValueError, TypeError) as error:
        raise ValueError(f"Real and fake feature maps differ in structure: {error}") from None
    pairs = zip(tf.nest.flatten(real_features), tf.nest.flatten(fake_features))
    terms = [reduce_loss(tf.abs(to_float32(r) - to_float32(f)), reduction) for r, f in pairs]
    if not terms:
        raise ValueError("No feature maps given.")
    return tf.add_n(terms)


def mel_l1_loss(real, fake, log_mel=None, reduction="mean"):
    """``mean |L(x) - L(G(s))|``: L1 distance between (log-)mel spectrograms.

    With ``log_mel`` (a callable such as ``LogMelSpectrogram`` or a codec's
    ``encode``), ``real`` and ``fake`` are waveforms ``(B, S)`` analysed
    first; without it they already are spectrograms ``(B, T, M)``. The two
    must have the same shape: a vocoder that returns a few more samples
    than its input must be cropped by the caller, never silently here.

    Args:
        real, fake: tensors of equal shape.
        log_mel (callable | None): analysis applied to both.
        reduction (str): ``"mean"`` (scalar) or ``"none"`` (``(B,)``).

    Example:
        >>> float(mel_l1_loss(tf.constant([[[1.0, -1.0]]]), tf.constant([[[0.0, 1.0]]])))
        1.5
    """
    real, fake = to_float32(real), to_float32(fake)
    if log_mel is not None:
        real, fake = to_float32(log_mel(real)), to_float32(log_mel(fake))
    if real.shape.is_fully_defined() and fake.shape.is_fully_defined():
        if real.shape != fake.shape:
            raise ValueError(f"mel_l1_loss: real {real.shape} and fake {fake.shape} differ in shape.")
    else:
        tf.debugging.assert_equal(tf.shape(real), tf.shape(fake), message="mel_l1_loss: shapes differ")
    return reduce_loss(tf.abs(real - fake), reduction)


def multi_resolution_stft_loss(real, fake, resolutions=((512, 128), (1024, 256), (256, 64)), reduction="mean"):
    """Log-magnitude L1 averaged over STFT resolutions (after Parallel WaveGAN,
    Yamamoto et al. 2020), per example:

    ``1/R Σ_r mean|log|S_r(x)| − log|S_r(y)||``

    with ``S_r`` the STFT of resolution ``(frame_length, frame_step)`` (periodic
    Hann window, no centring) and magnitudes floored at 1e-5. Parallel WaveGAN
    adds a spectral convergence term ``||S(x)| − |S(y)||_F / ||S(x)||_F``; it is
    left out here because on a silent training segment its denominator
    vanishes and the term explodes.

    Args:
        real, fake: waveforms ``(B, S)`` of equal length.
        resolutions: ``(frame_length, frame_step)`` pairs.
        reduction (str): ``"mean"`` (scalar) or ``"none"`` (``(B,)``).

    Example:
        >>> x = tf.random.stateless_normal([1, 2048], seed=[1, 2])
        >>> float(multi_resolution_stft_loss(x, x))
        0.0
    """
    from gan_audio.features.spectral import hann_window

    real, fake = to_float32(real), to_float32(fake)
    terms = []
    for frame_length, frame_step in resolutions:
        real_log, fake_log = [tf.math.log(tf.maximum(tf.abs(tf.signal.stft(
            x, frame_length, frame_step, window_fn=hann_window)), 1e-5)) for x in (real, fake)]
        terms.append(tf.reduce_mean(tf.abs(real_log - fake_log), axis=[1, 2]))
    return reduce_loss(tf.add_n(terms) / len(terms), reduction)
