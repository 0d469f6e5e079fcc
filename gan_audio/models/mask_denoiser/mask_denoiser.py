"""A spectral-mask denoiser: a dilated conv net over STFT frames predicts a gain per time-frequency bin."""

import keras
import tensorflow as tf

from gan_audio.argument_checks import integer, number
from gan_audio.models.protocol.dataset_fit import DatasetFitMixin
from gan_audio.models.protocol.denoiser_contract import DenoiserMixin
from gan_audio.models.mask_denoiser.mask_denoiser_presets import MASK_DENOISER_PRESETS
from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.models.protocol.supervised_step import SupervisedStepMixin
from gan_audio.models.wavenet_denoiser.wavenet_denoiser import si_sdr
from gan_audio.serving import ServingMixin

EPS = 1e-8


def _weight(name, value, low=0.0, high=None):
    return number(name, value, low=low, high=high)


def as_complex(real):
    """A real tensor as complex64 (`tf.complex`, whose gradient is the real part: no lossy cast)."""
    return tf.complex(real, tf.zeros_like(real))


def compressed(spectrum, power):
    """``|Z|^c · Z/|Z|``: the magnitude compressed to the power c, the phase kept (complex)."""
    magnitude = tf.abs(spectrum)
    scale = tf.pow(magnitude + EPS, power) / (magnitude + EPS)
    return spectrum * as_complex(scale)


@keras.saving.register_keras_serializable(package="gan_audio")
class SpectralMaskDenoiser(PresetMixin, DenoiserMixin, ServingMixin, DatasetFitMixin, SupervisedStepMixin,
                           keras.Model):
    """Noisy speech → clean speech by a learned gain on each STFT bin (the noisy phase is kept).

    With ``X = STFT(x)`` (Hann window of `frame_length`, hop `frame_step`,
    the signal padded by ``frame_length - frame_step`` on both sides so that
    every sample is covered by the same number of frames)::

        f_t = log10(|X_t|² + 1e-8) / 4                 (B, T, F = frame_length/2 + 1)
        h_0 = W_in f_t                                  (a Dense layer over frequency, `channels` wide)
        h_{l+1} = h_l + W_l,2 ReLU(W_l,1 *_d h_l)       (a width-K conv over frames, dilation d ∈ `dilations`)
        m_t = σ(W_out ReLU(h_L))                        (F gains in [0, 1])
        ŷ = iSTFT(m ⊙ X)                                (the input's length)

    An output sample depends on the input ``r = (K - 1)/2 · Σ d`` frames on
    each side, `receptive_field` samples in all.

    Training (`fit` on ``(noisy, clean)`` batches) minimises, per example,
    with ``Z^c = |Z|^c · Z/|Z|`` (`compressed`, c = `compression`) and
    ``Ŝ = m ⊙ X``, ``S = STFT(y)``::

        L = mean_{t,f} ( |Ŝ|^c - |S|^c )²  +  complex_weight · mean_{t,f} |Ŝ^c - S^c|²

    (a compressed-magnitude term and a compressed-complex term that also sees
    the phase error the noisy phase leaves), averaged over the global batch.
    Tracked: ``loss`` and ``si_sdr`` (dB, as `WaveNetDenoiser`).

    Serving: ``serving_default`` takes ``noisy (B, S)`` (any S) and returns
    ``waveform (B, S)``, as `WaveNetDenoiser`: `gan_audio.denoising.denoise`
    and ``gan-audio denoise`` run either.

    Args:
        frame_length: int, STFT window (= FFT length). Defaults to 512.
        frame_step: int, hop; `frame_length` must be a multiple of it. Defaults to 128.
        channels: int, width of the network. Defaults to 192.
        kernel_size: int >= 1, frames per conv tap window. Defaults to 3.
        dilations: ints, one residual block each. Defaults to (1, 2, 4, 8, 1, 2, 4, 8).
        compression: float in (0, 1], the power c of the loss. Defaults to 0.3.
        complex_weight: float >= 0, weight of the complex term. Defaults to 0.3.
        segment_samples: int, training crop length (the data recipe's). Defaults to 16000.
        sample_rate: int. Defaults to 16000.
        seed: int or None (kept for runs; weights follow the global seed).

    Example:
    ```python
    import numpy as np
    from gan_audio.data import noisy_clean_pairs
    from gan_audio.models.mask_denoiser.mask_denoiser import SpectralMaskDenoiser
    model = SpectralMaskDenoiser.from_preset("tiny")
    model.compile(**SpectralMaskDenoiser.compile_kwargs("tiny"))
    t = np.arange(2000) / 4000
    clean = np.stack([0.3 * np.sin(2 * np.pi * f * t) for f in (200, 300, 450, 600)])
    noisy, clean = noisy_clean_pairs(clean, snr_db=(0, 15), kinds=("white",), seed=0)
    model.fit(noisy, clean, epochs=2, batch_size=2, verbose=0)
    model.serve(noisy=noisy[:, :1999])["waveform"].shape  # (4, 1999)
    ```
    """

    PRESETS = MASK_DENOISER_PRESETS

    def __init__(self, frame_length=512, frame_step=128, channels=192, kernel_size=3, dilations=(1, 2, 4, 8, 1, 2, 4, 8),
                 compression=0.3, complex_weight=0.3, segment_samples=16000, sample_rate=16000, seed=None, **kwargs):
        frame_length, frame_step = integer("frame_length", frame_length, 2), integer("frame_step", frame_step)
        if frame_length % frame_step:
            raise ValueError(f"`frame_length` ({frame_length}) must be a multiple of `frame_step` ({frame_step}).")
        channels, kernel_size = integer("channels", channels), integer("kernel_size", kernel_size)
        try:
            dilations = tuple(integer("dilation", d) for d in dilations)
        except TypeError:
            raise ValueError(f"`dilations` must be a list of integers >= 1, got {dilations!r}.") from None
        if not dilations:
            raise ValueError("`dilations` is empty: the network needs at least one block.")
        compression = _weight("compression", compression, 1e-3, 1.0)
        complex_weight = _weight("complex_weight", complex_weight)
        segment_samples, sample_rate = integer("segment_samples", segment_samples), integer("sample_rate", sample_rate)
        super().__init__(**kwargs)
        bins = frame_length // 2 + 1
        # === Layers ===
        self.input_projection = keras.layers.Dense(channels, name="input_projection")
        self.dilated_convs = [keras.layers.Conv1D(channels, kernel_size, dilation_rate=d, padding="same",
                                                  activation="relu", name=f"dilated_conv_{i}")
                              for i, d in enumerate(dilations)]
        self.pointwise_convs = [keras.layers.Dense(channels, name=f"pointwise_{i}") for i in range(len(dilations))]
        self.mask_output = keras.layers.Dense(bins, activation="sigmoid", dtype="float32", name="mask")
        self.input_projection.build((None, None, bins))
        for conv, pointwise in zip(self.dilated_convs, self.pointwise_convs):
            conv.build((None, None, channels))
            pointwise.build((None, None, channels))
        self.mask_output.build((None, None, channels))
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.si_sdr_tracker = keras.metrics.Mean(name="si_sdr")
        # === Config ===
        self.frame_length, self.frame_step, self.channels = frame_length, frame_step, channels
        self.kernel_size, self.dilations = kernel_size, dilations
        self.compression, self.complex_weight = compression, complex_weight
        self.segment_samples, self.sample_rate, self.seed = segment_samples, sample_rate, seed
        self.built = True

    # ---------------------------------------------------------------- shape
    @property
    def context_frames(self):
        """Frames seen on each side of a frame: ``(K - 1)/2 · Σ dilations`` (rounded up)."""
        return -(-(self.kernel_size - 1) * sum(self.dilations) // 2)

    @property
    def receptive_field(self):
        """Input samples an output sample can depend on: its frames' windows and their context."""
        return 2 * self.frame_length + 2 * self.context_frames * self.frame_step - 1

    # ------------------------------------------------------------- spectra
    def stft(self, waveform):
        """``(B, S)`` → complex ``(B, T, F)`` of the padded signal (see the class docstring)."""
        pad = self.frame_length - self.frame_step
        padded = tf.pad(tf.cast(waveform, tf.float32), [[0, 0], [pad, pad + self.frame_step]])
        return tf.signal.stft(padded, self.frame_length, self.frame_step, window_fn=tf.signal.hann_window)

    def istft(self, spectrum, length):
        """The inverse of `stft`, cut to `length` samples."""
        window = tf.signal.inverse_stft_window_fn(self.frame_step, forward_window_fn=tf.signal.hann_window)
        audio = tf.signal.inverse_stft(spectrum, self.frame_length, self.frame_step, window_fn=window)
        pad = self.frame_length - self.frame_step
        return audio[:, pad:pad + length]

    # -------------------------------------------------------------- network
    def mask(self, spectrum, training=False):
        """Complex STFT ``(B, T, F)`` → gains ``(B, T, F)`` in [0, 1]."""
        features = tf.math.log(tf.square(tf.abs(spectrum)) + 1e-8) / (4.0 * tf.math.log(10.0))
        h = self.input_projection(tf.cast(features, self.compute_dtype))
        for conv, pointwise in zip(self.dilated_convs, self.pointwise_convs):
            h = h + pointwise(conv(h))
        return tf.cast(self.mask_output(tf.nn.relu(h)), tf.float32)

    def enhance(self, noisy, training=False):
        """``(estimate (B, S), masked spectrum (B, T, F))``."""
        noisy = tf.cast(noisy, tf.float32)
        spectrum = self.stft(noisy)
        masked = spectrum * as_complex(self.mask(spectrum, training=training))
        return self.istft(masked, tf.shape(noisy)[1]), masked

    def call(self, noisy, training=False):
        """Noisy waveforms ``(B, S)`` → float32 clean estimates ``(B, S)``."""
        return self.enhance(noisy, training=training)[0]

    # ------------------------------------------------------------- training
    def losses_of(self, noisy, clean, training=False):
        """``(loss, si_sdr)`` per example ``(B,)`` on a batch of pairs."""
        clean = tf.cast(clean, tf.float32)
        estimate, masked = self.enhance(noisy, training=training)
        target = self.stft(clean)
        c = self.compression
        magnitude = tf.reduce_mean(tf.square(tf.pow(tf.abs(masked) + EPS, c) - tf.pow(tf.abs(target) + EPS, c)),
                                   axis=[1, 2])
        loss = magnitude
        if self.complex_weight > 0:
            error = tf.abs(compressed(masked, c) - compressed(target, c))
            loss += self.complex_weight * tf.reduce_mean(tf.square(error), axis=[1, 2])
        return loss, si_sdr(clean, estimate)

    # ------------------------------------------------------ serving contract (DenoiserMixin)
    def serving_metadata(self):
        return {**super().serving_metadata(), "frame_step": self.frame_step}

    def get_config(self):
        return {**super().get_config(), "frame_length": self.frame_length, "frame_step": self.frame_step,
                "channels": self.channels, "kernel_size": self.kernel_size, "dilations": list(self.dilations),
                "compression": self.compression, "complex_weight": self.complex_weight,
                "segment_samples": self.segment_samples, "sample_rate": self.sample_rate, "seed": self.seed}
