"""A non-causal WaveNet that denoises speech (Rethage et al. 2018, "A Wavenet for Speech Denoising")."""
import logging
import numbers

import keras
import tensorflow as tf

from gan_audio.losses import multi_resolution_stft_loss
from gan_audio.models.protocol.dataset_fit import DatasetFitMixin
from gan_audio.models.protocol.denoiser_contract import DenoiserMixin
from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.models.protocol.supervised_step import SupervisedStepMixin
from gan_audio.models.wavenet_denoiser.wavenet_denoiser_presets import WAVENET_DENOISER_PRESETS
from gan_audio.models.wavenet.wavenet_layers import GatedResidualBlock, shift_right
from gan_audio.serving import ServingMixin

EPS = 1e-8  # as gan_audio.metrics.signals


def _int(name, value, minimum=1, odd=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}, got {value!r}.")
    if odd and value % 2 == 0:
        raise ValueError(f"`{name}` must be odd (symmetric, non-causal taps), got {value}.")
    return int(value)


def shift(x, offset):
    """``(B, T, ...)`` → ``x[t - offset]`` with zeros outside: ``offset > 0`` delays, ``< 0`` advances."""
    if offset >= 0:
        return shift_right(x, offset)
    paddings = [[0, 0], [0, -offset]] + [[0, 0]] * (x.shape.rank - 2)
    return tf.pad(x, paddings)[:, -offset:]


def si_sdr(reference, estimate):
    """Per-example SI-SDR in dB ``(B,)``, in-graph twin of `gan_audio.metrics.si_sdr` (zero-mean)."""
    reference = reference - tf.reduce_mean(reference, axis=-1, keepdims=True)
    estimate = estimate - tf.reduce_mean(estimate, axis=-1, keepdims=True)
    alpha = tf.reduce_sum(reference * estimate, -1, keepdims=True) / (
        tf.reduce_sum(reference**2, -1, keepdims=True) + EPS)
    target = alpha * reference
    ratio = (tf.reduce_sum(target**2, -1) + EPS) / (tf.reduce_sum((estimate - target) ** 2, -1) + EPS)
    return 10.0 * tf.math.log(ratio) / tf.math.log(10.0)


@keras.saving.register_keras_serializable(package="gan_audio")
class NonCausalGatedBlock(GatedResidualBlock):
    """`GatedResidualBlock` with centred taps: ``x[t - (K-1)/2·d], …, x[t + (K-1)/2·d]``.

    Same weights, same gated unit, skip and residual paths; the dilated
    convolution is symmetric ("same" zero padding), so the block sees
    ``(K - 1)·d / 2`` samples on each side. `kernel_size` must be odd.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _int("kernel_size", self.kernel_size, 3, odd=True)

    def call(self, x, condition=None):
        x = tf.cast(x, self.compute_dtype)
        half = (self.kernel_size - 1) // 2
        stacked = tf.concat([shift(x, (half - tap) * self.dilation) for tap in range(self.kernel_size)], axis=-1)
        conditioned = None if condition is None else self.project_condition(condition)
        return self._gate_and_outputs(x, stacked, conditioned)

    def step(self, taps, conditioned=None):
        raise NotImplementedError("A non-causal block has no step-by-step (autoregressive) form.")


@keras.saving.register_keras_serializable(package="gan_audio")
class WaveNetDenoiser(PresetMixin, DenoiserMixin, ServingMixin, DatasetFitMixin, SupervisedStepMixin,
                      keras.Model):
    """A non-causal WaveNet that maps a noisy waveform to the clean one (regression).

    Follows Rethage et al. (2018), "A Wavenet for Speech Denoising": no
    μ-law and no softmax, the clean samples are predicted directly from
    context on both sides. With ``x`` the noisy waveform ``(B, S)``, ``*_d``
    a symmetric ("same"-padded) convolution of width K and dilation d::

        h_0 = W_in * x                                   (width input_kernel_size)
        z_l = tanh(W_f,l *_d h_l) ⊙ σ(W_g,l *_d h_l)     d = 1, 2, …, 2^(layers_per_stack-1), × stacks
        h_{l+1} = h_l + W_r,l z_l,     s = Σ_l W_s,l z_l  (1×1 residual and skip paths)
        h = W_2 * ReLU(W_1 * ReLU(s))                    (width head_kernel_size; 1 channel)
        ŷ = x - h  with `predict_noise` (h estimates the noise),  else  ŷ = h

    With `predict_noise` the network estimates the noise and the speech is
    what is left of the input (Rethage et al.'s decomposition ``x = y + n``;
    the L1 loss on ``ŷ`` is then also the L1 loss on the noise estimate
    ``x - ŷ``). An untrained model starts near the identity rather than near
    silence, and clean input needs no reconstruction.

    All kernels are odd, so ``ŷ[t]`` depends on ``x[t - r … t + r]`` exactly,
    ``r = (R - 1) / 2``, with the receptive field
    ``R = (input_kernel_size - 1) + (K - 1)·Σ dilations + 2·(head_kernel_size - 1) + 1``.
    The output has the input's length for any S (odd lengths too).

    Training (`fit` on ``(noisy, clean)`` batches) minimises, per example,

        L = mean_t |ŷ_t - y_t| + stft_weight · 1/R Σ_r mean |log|STFT_r ŷ| - log|STFT_r y||

    (`gan_audio.losses.multi_resolution_stft_loss` over `stft_resolutions`;
    Rethage et al. use the L1 term alone, ``stft_weight = 0``), averaged
    over the global batch. Tracked: ``loss`` and ``si_sdr``, the batch mean
    of ``10 log10(||αy||² / ||ŷ - αy||²)``, ``α = <y, ŷ>/||y||²`` (zero-mean,
    dB; as `gan_audio.metrics.si_sdr`).

    Serving: ``serving_default`` takes ``noisy (B, S)`` (any S) and returns
    ``waveform (B, S)``; there is no ``generate`` (the model transforms
    audio). `gan_audio.denoising.denoise` runs it on long audio in chunks.

    Args:
        residual_channels: int, width of the residual path. Defaults to 32.
        gate_channels: int or None (= residual_channels), width of the gated units.
        skip_channels: int, width of the skip path and the head. Defaults to 64.
        kernel_size: odd int >= 3, taps of the dilated convolutions. Defaults to 3.
        layers_per_stack: int, dilations 1 … 2^(layers_per_stack-1). Defaults to 8.
        stacks: int, repetitions of the dilation pattern. Defaults to 2.
        input_kernel_size: odd int >= 1, taps of the input convolution. Defaults to 3.
        head_kernel_size: odd int >= 1, taps of the two head convolutions. Defaults to 3.
        stft_weight: float >= 0, weight of the STFT term. Defaults to 0.1.
        stft_resolutions: ``(frame_length, frame_step)`` pairs of that term.
            Defaults to ``((512, 128), (1024, 256), (256, 64))``.
        predict_noise: bool, the head estimates the noise, subtracted from the
            input (else the head's output is the clean estimate). Defaults to True.
        segment_samples: int, training crop length (the data recipe's). Defaults to 8000.
        sample_rate: int. Defaults to 16000.
        seed: int or None (kept for runs; weights follow the global seed).

    Example:
    ```python
    import numpy as np
    from gan_audio.data import noisy_clean_pairs
    from gan_audio.models.wavenet_denoiser.wavenet_denoiser import WaveNetDenoiser
    model = WaveNetDenoiser.from_preset("tiny")
    model.compile(**WaveNetDenoiser.compile_kwargs("tiny"))
    t = np.arange(1000) / 4000
    clean = np.stack([0.3 * np.sin(2 * np.pi * f * t) for f in (200, 300, 450, 600)])
    noisy, clean = noisy_clean_pairs(clean, snr_db=(0, 15), kinds=("white",), seed=0)
    model.fit(noisy, clean, epochs=2, batch_size=2, verbose=0)
    model.serve(noisy=noisy[:, :999])["waveform"].shape  # (4, 999)
    ```
    """

    PRESETS = WAVENET_DENOISER_PRESETS

    def __init__(self, residual_channels=32, gate_channels=None, skip_channels=64, kernel_size=3, layers_per_stack=8,
                 stacks=2, input_kernel_size=3, head_kernel_size=3, stft_weight=0.1,
                 stft_resolutions=((512, 128), (1024, 256), (256, 64)), predict_noise=True, segment_samples=8000,
                 sample_rate=16000, seed=None, **kwargs):
        residual_channels = _int("residual_channels", residual_channels)
        gate_channels = residual_channels if gate_channels is None else _int("gate_channels", gate_channels)
        skip_channels = _int("skip_channels", skip_channels)
        kernel_size = _int("kernel_size", kernel_size, 3, odd=True)
        layers_per_stack, stacks = _int("layers_per_stack", layers_per_stack), _int("stacks", stacks)
        input_kernel_size = _int("input_kernel_size", input_kernel_size, odd=True)
        head_kernel_size = _int("head_kernel_size", head_kernel_size, odd=True)
        if isinstance(stft_weight, bool) or not isinstance(stft_weight, numbers.Real) or not stft_weight >= 0:
            raise ValueError(f"`stft_weight` must be a number >= 0, got {stft_weight!r}.")
        try:
            resolutions = tuple((_int("frame_length", int(f), 2), _int("frame_step", int(s))) for f, s in
                                stft_resolutions)
        except (TypeError, ValueError):
            raise ValueError("`stft_resolutions` must be (frame_length >= 2, frame_step >= 1) pairs, "
                             f"got {stft_resolutions!r}.") from None
        if stft_weight > 0 and not resolutions:
            raise ValueError("`stft_resolutions` is empty but `stft_weight` > 0.")
        if not isinstance(predict_noise, bool):
            raise ValueError(f"`predict_noise` must be True or False, got {predict_noise!r}.")
        segment_samples, sample_rate = _int("segment_samples", segment_samples), _int("sample_rate", sample_rate)
        super().__init__(**kwargs)
        dilations = [2**i for i in range(layers_per_stack)] * stacks
        # === Layers ===
        self.input_conv = keras.layers.Conv1D(residual_channels, input_kernel_size, padding="same", name="input_conv")
        self.blocks = [NonCausalGatedBlock(residual_channels, gate_channels, skip_channels, kernel_size, dilation,
                                           residual=i < len(dilations) - 1, name=f"block_{i}")
                       for i, dilation in enumerate(dilations)]
        self.head_hidden = keras.layers.Conv1D(skip_channels, head_kernel_size, padding="same", name="head_hidden")
        self.head_output = keras.layers.Conv1D(1, head_kernel_size, padding="same", dtype="float32",
                                               name="head_output")
        self.input_conv.build((None, None, 1))
        for block in self.blocks:
            block.build()
        self.head_hidden.build((None, None, skip_channels))
        self.head_output.build((None, None, skip_channels))
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.si_sdr_tracker = keras.metrics.Mean(name="si_sdr")
        # === Config ===
        self.residual_channels, self.gate_channels, self.skip_channels = residual_channels, gate_channels, skip_channels
        self.kernel_size, self.layers_per_stack, self.stacks = kernel_size, layers_per_stack, stacks
        self.input_kernel_size, self.head_kernel_size = input_kernel_size, head_kernel_size
        self.stft_weight, self.stft_resolutions = float(stft_weight), resolutions
        self.predict_noise = predict_noise
        self.segment_samples, self.sample_rate, self.seed = segment_samples, sample_rate, seed
        self.built = True

    # ---------------------------------------------------------------- shape
    @property
    def dilations(self):
        return tuple(block.dilation for block in self.blocks)

    @property
    def receptive_field(self):
        """Input samples one output sees: ``(K_in - 1) + (K - 1)·Σ dilations + 2(K_head - 1) + 1``."""
        return ((self.input_kernel_size - 1) + (self.kernel_size - 1) * sum(self.dilations)
                + 2 * (self.head_kernel_size - 1) + 1)

    @property
    def context(self):
        """Samples seen on each side of an output: ``(receptive_field - 1) / 2``."""
        return (self.receptive_field - 1) // 2

    # -------------------------------------------------------------- network
    def call(self, noisy, training=False):
        """Noisy waveforms ``(B, S)`` → float32 clean estimates ``(B, S)``."""
        x = self.input_conv(tf.cast(noisy, self.compute_dtype)[..., None])
        skips = 0.0
        for block in self.blocks:
            x, skip = block(x)
            skips = skips + skip
        hidden = self.head_hidden(tf.nn.relu(skips))
        head = self.head_output(tf.nn.relu(hidden))[..., 0]
        return tf.cast(noisy, tf.float32) - head if self.predict_noise else head

    # ------------------------------------------------------------- training
    def losses_of(self, noisy, clean, training=False):
        """``(loss, si_sdr)`` per example ``(B,)`` on a batch of pairs."""
        clean = tf.cast(clean, tf.float32)
        estimate = tf.cast(self(noisy, training=training), tf.float32)
        loss = tf.reduce_mean(tf.abs(estimate - clean), axis=-1)
        if self.stft_weight > 0:
            longest = max(frame for frame, _ in self.stft_resolutions)
            pad = [[0, 0], [0, tf.maximum(longest - tf.shape(clean)[-1], 0)]]  # at least one frame
            loss += self.stft_weight * multi_resolution_stft_loss(
                tf.pad(clean, pad), tf.pad(estimate, pad), self.stft_resolutions, reduction="none")
        return loss, si_sdr(clean, estimate)

    # ------------------------------------------------------ serving contract: DenoiserMixin
    def get_config(self):
        return {**super().get_config(), "residual_channels": self.residual_channels,
                "gate_channels": self.gate_channels, "skip_channels": self.skip_channels,
                "kernel_size": self.kernel_size, "layers_per_stack": self.layers_per_stack, "stacks": self.stacks,
                "input_kernel_size": self.input_kernel_size, "head_kernel_size": self.head_kernel_size,
                "stft_weight": self.stft_weight, "stft_resolutions": [list(r) for r in self.stft_resolutions],
                "predict_noise": self.predict_noise,
                "segment_samples": self.segment_samples, "sample_rate": self.sample_rate, "seed": self.seed}

    @classmethod
    def from_config(cls, config):
        # Configs saved before `predict_noise` existed are of models whose head is the clean estimate:
        # read them so, and say it (the constructor's default is True).
        if "predict_noise" not in config:
            logging.getLogger("gan_audio").warning(
                "WaveNetDenoiser config without `predict_noise` (saved before it existed): read as "
                "predict_noise=False, the head estimating clean speech.")
        return cls(**{"predict_noise": False, **config})
