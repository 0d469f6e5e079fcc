"""Vocoder generator heads: log-mel dB ``(B, T, M)`` → waveform ``(B, (T - 1) H + N)``.

Both heads give exactly the samples the codec's analysis reads ``T`` frames
from (frame ``t`` covers samples ``[t H, t H + N)``), so analysis and
resynthesis line up frame by frame, for any ``T``.
"""
import keras
import numpy as np
import tensorflow as tf

from gan_audio.features.spectral import hann_window, mel_weight_matrix
from gan_audio.layers import ConvNeXtBlock, WeightNormalization

DB_SCALE = 1.0 / 20.0  # dB → about unit range before the first layer


@keras.saving.register_keras_serializable(package="gan_audio")
class InverseSTFT(keras.layers.Layer):
    """``(B, T, 2K)`` → ``(B, (T - 1) H + N)``: magnitude and phase to audio (Vocos).

    The first K channels are log-magnitudes ``m`` (``|S| = exp(min(m, 7))``), the
    other K phases ``p``; ``S = |S| (cos p + i sin p)`` is inverted with
    `tf.signal.inverse_stft` and the periodic Hann synthesis window that makes
    ``ISTFT(STFT(x)) = x`` (``K = N/2 + 1``).
    """

    def __init__(self, frame_length=1024, frame_step=256, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.frame_length, self.frame_step = int(frame_length), int(frame_step)
        self.built = True

    def call(self, inputs):
        inputs = tf.cast(inputs, tf.float32)
        bins = self.frame_length // 2 + 1
        magnitude = tf.exp(tf.minimum(inputs[..., :bins], 7.0))
        phase = inputs[..., bins:]
        spectrum = tf.complex(magnitude * tf.cos(phase), magnitude * tf.sin(phase))
        window = tf.signal.inverse_stft_window_fn(self.frame_step, hann_window)
        return tf.signal.inverse_stft(spectrum, self.frame_length, self.frame_step, self.frame_length,
                                      window_fn=window)

    def get_config(self):
        return {**super().get_config(), "frame_length": self.frame_length, "frame_step": self.frame_step}


@keras.saving.register_keras_serializable(package="gan_audio")
class MelMagnitudePrior(keras.layers.Layer):
    """``[x (B, T, 2K), mel dB (B, T, M)]`` → x with the mel's spread-out
    log-magnitude added to its first K channels.

    With the filterbank ``W`` ``(K, M)`` and ``c_m = Σ_k W_km``, a band's power
    per bin is ``p_m = 10^(mel_m / 10) / c_m``; each bin takes the
    ``W``-weighted mean of its bands, ``P_k = Σ_m W_km p_m / Σ_m W_km``, and the
    prior is ``½ ln P_k``: the magnitude a flat spectrum within each band would
    have. The head then learns a residual around it, so silent frames start
    at the analysis floor instead of at ``|S| = 1``.
    """

    def __init__(self, sample_rate=16000, frame_length=1024, num_mel_bins=64, fmin=0.0, fmax=None, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.sample_rate, self.frame_length, self.num_mel_bins = int(sample_rate), int(frame_length), int(num_mel_bins)
        self.fmin, self.fmax = float(fmin), (None if fmax is None else float(fmax))
        weights = mel_weight_matrix(self.sample_rate, self.frame_length, self.num_mel_bins, self.fmin, self.fmax)
        per_bin = weights / np.maximum(weights.sum(axis=0, keepdims=True), 1e-8)  # W_km / c_m
        spread = per_bin / np.maximum(weights.sum(axis=1, keepdims=True), 1e-8)  # ... / Σ_m W_km
        self._spread = spread.T.astype("float32")  # (M, K)
        self.built = True

    def call(self, inputs):
        x, mel = tf.cast(inputs[0], tf.float32), tf.cast(inputs[1], tf.float32)
        power = tf.matmul(tf.pow(10.0, mel / 10.0), self._spread)
        prior = 0.5 * tf.math.log(tf.maximum(power, 1e-12))
        bins = self.frame_length // 2 + 1
        return tf.concat([x[..., :bins] + prior, x[..., bins:]], axis=-1)

    def get_config(self):
        return {**super().get_config(), "sample_rate": self.sample_rate, "frame_length": self.frame_length,
                "num_mel_bins": self.num_mel_bins, "fmin": self.fmin, "fmax": self.fmax}


def build_fourier_generator(num_mel_bins, frame_length, frame_step, dim=192, num_blocks=4, kernel_size=7,
                            expansion=3, magnitude_prior=None, name="generator"):
    """Vocos-style head: Conv1D(7) → LayerNorm → ConvNeXt blocks at frame rate →
    LayerNorm → Dense(N + 2) (log-magnitude and phase) [+ `MelMagnitudePrior`,
    when `magnitude_prior` holds its keywords] → `InverseSTFT`. No upsampling
    convolutions: all the work is at 1/H of the sample rate."""
    mel = keras.Input((None, num_mel_bins), name="mel")
    x = keras.layers.Rescaling(DB_SCALE, name="scale_db")(mel)
    x = keras.layers.Conv1D(dim, 7, padding="same", name="embed")(x)
    x = keras.layers.LayerNormalization(epsilon=1e-6, name="embed_norm")(x)
    for i in range(num_blocks):
        x = ConvNeXtBlock(dim, kernel_size=kernel_size, expansion=expansion, layer_scale_init=1.0 / num_blocks,
                          name=f"convnext_{i}")(x)
    x = keras.layers.LayerNormalization(epsilon=1e-6, name="out_norm")(x)
    x = keras.layers.Dense(frame_length + 2, name="magnitude_and_phase", dtype="float32")(x)
    if magnitude_prior is not None:
        x = MelMagnitudePrior(frame_length=frame_length, num_mel_bins=num_mel_bins, **magnitude_prior,
                              name="magnitude_prior")([x, mel])
    waveform = InverseSTFT(frame_length, frame_step, name="istft")(x)
    return keras.Model(mel, waveform, name=name)


def _residual_block(x, channels, kernel_size, dilations, prefix):
    for j, dilation in enumerate(dilations):
        y = keras.layers.LeakyReLU(0.1, name=f"{prefix}_act_{j}")(x)
        y = WeightNormalization(keras.layers.Conv1D(channels, kernel_size, dilation_rate=dilation, padding="same"),
                                name=f"{prefix}_conv_{j}")(y)
        x = keras.layers.Add(name=f"{prefix}_add_{j}")([x, y])
    return x


def build_hifigan_generator(num_mel_bins, frame_length, frame_step, channels=128, upsample_rates=(8, 8, 4),
                            upsample_kernels=(16, 16, 8), resblock_kernels=(3, 7), resblock_dilations=(1, 3, 5),
                            name="generator"):
    """HiFi-GAN head (Kong et al. 2020): weight-normalised Conv1D(7) → per rate
    r: LeakyReLU → WeightNorm(Conv1DTranspose(stride r)) → multi-receptive-field
    fusion (the mean of residual blocks with the given kernels and dilations)
    → LeakyReLU → Conv1D(7) → tanh. ``prod(upsample_rates) = H``; the ``T H``
    samples are then padded by ``(N - H) / 2`` on each side so frame centres
    line up with the analysis (``(T - 1) H + N`` in all)."""
    if int(np.prod(upsample_rates)) != frame_step:
        raise ValueError(f"prod(upsample_rates) = {int(np.prod(upsample_rates))} must equal frame_step {frame_step}.")
    mel = keras.Input((None, num_mel_bins), name="mel")
    x = keras.layers.Rescaling(DB_SCALE, name="scale_db")(mel)
    x = WeightNormalization(keras.layers.Conv1D(channels, 7, padding="same"), name="conv_pre")(x)
    for i, (rate, kernel) in enumerate(zip(upsample_rates, upsample_kernels)):
        width = channels // 2 ** (i + 1)
        x = keras.layers.LeakyReLU(0.1, name=f"up_act_{i}")(x)
        x = WeightNormalization(keras.layers.Conv1DTranspose(width, kernel, strides=rate, padding="same"),
                                name=f"up_{i}")(x)
        blocks = [_residual_block(x, width, k, resblock_dilations, f"mrf_{i}_{k}") for k in resblock_kernels]
        x = keras.layers.Average(name=f"mrf_{i}")(blocks) if len(blocks) > 1 else blocks[0]
    x = keras.layers.LeakyReLU(0.1, name="post_act")(x)
    x = WeightNormalization(keras.layers.Conv1D(1, 7, padding="same"), name="conv_post")(x)
    x = keras.layers.Activation("tanh", name="tanh", dtype="float32")(x)
    edge = (frame_length - frame_step) // 2
    x = keras.layers.ZeroPadding1D((edge, frame_length - frame_step - edge), name="align_frames")(x)
    return keras.Model(mel, keras.layers.Reshape((-1,), name="waveform")(x), name=name)
