"""Vocoder: a GAN that turns log-mel spectrograms into waveforms (HiFi-GAN / Vocos heads)."""
import keras
import tensorflow as tf

from gan_audio import losses
from gan_audio.features import get_codec
from gan_audio.models.adversarial import loss_terms
from gan_audio.models.adversarial.adversarial_model import AdversarialModel
from gan_audio.models.adversarial.loss_terms import LossNames
from gan_audio.models.protocol.gradient_step import gradient_step
from gan_audio.models.protocol.multi_worker import replica_logs
from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.models.vocoder.vocoder_discriminators import MultiDiscriminator
from gan_audio.models.vocoder.vocoder_generators import (
    build_fourier_generator,
    build_hifigan_generator,
)
from gan_audio.models.vocoder.vocoder_presets import VOCODER_PRESETS
from gan_audio.serving import RESYNTHESIZE, SERVING_DEFAULT

HEAD_KEYS = {"fourier": ("dim", "num_blocks", "kernel_size", "expansion", "magnitude_prior"),
             "hifigan": ("channels", "upsample_rates", "upsample_kernels", "resblock_kernels", "resblock_dilations")}


@keras.saving.register_keras_serializable(package="gan_audio")
class Vocoder(PresetMixin, AdversarialModel):
    """Log-mel dB ``(B, T, M)`` → waveform ``(B, (T - 1) H + N)``, trained as a GAN.

    The generator is a Fourier head (`head="fourier"`: ConvNeXt blocks at
    frame rate predicting STFT log-magnitude and phase, then an inverse STFT;
    Vocos, Siuzdak 2023) or a HiFi-GAN head (`head="hifigan"`: weight-
    normalised transposed convolutions up to the hop size and multi-receptive-
    field residual blocks; Kong et al. 2020). The discriminator is a
    `MultiDiscriminator` (periods 2, 3, 5, 7, 11 and three STFT resolutions)
    returning lists of logits and feature maps. Per training segment ``x``
    with log-mel ``L(x)`` (the codec's analysis, dB):

    - D: ``Σ_k ½(D_k(x) − 1)² + ½ D_k(G(L(x)))²`` (least squares, per sub-discriminator),
    - G: ``a·Σ_k ½(D_k(G) − 1)² + f·Σ_k,l mean|F_kl(x) − F_kl(G)| + m·mean|L(x) − L(G)|``
      [``+ s·MR-STFT(x, G)``, `gan_audio.losses.multi_resolution_stft_loss`].

    For the first `warmup_steps` steps only G trains, on the reconstruction
    terms (mel L1 [+ MR-STFT]); D joins afterwards (Parallel WaveGAN's
    schedule): on a CPU this gets the waveform right cheaply before the
    adversarial terms refine it.

    The codec is part of the model: ``serving_default`` takes ``mel`` (dB,
    as `LogMelSpectrogram` with the codec's settings gives it) and returns
    ``waveform``; ``resynthesize`` takes a ``waveform`` and vocodes its
    log-mel (analysis → resynthesis).

    Args:
        head: "fourier" or "hifigan". dim, num_blocks, kernel_size, expansion:
            the Fourier head; magnitude_prior: bool, its log-magnitudes are a
            residual around the input mel spread over the bins
            (`MelMagnitudePrior`), so silence is silent from the first step. channels, upsample_rates, upsample_kernels,
            resblock_kernels, resblock_dilations: the HiFi-GAN head.
        periods, resolutions, period_channels, resolution_channels: D.
        adversarial_weight (a), feature_matching_weight (f), mel_weight (m),
            stft_weight (s; 0: off).
        warmup_steps: int, G-only steps on the reconstruction terms first.
        segment_frames: int, frames per training segment.
        codec: the analysis (a `LogMelCodec` or its keywords).
        seed: int or None.

    Example:
    ```python
    import numpy as np

    vocoder = Vocoder.from_preset("tiny", seed=0)
    waveforms = np.zeros((2, 4000), "float32")      # (B, S) at the codec's rate
    mel = vocoder.codec.log_mel(waveforms)          # (B, T, 16) dB
    vocoder.serve(mel=mel)["waveform"]              # (B, (T - 1) * 128 + 512)
    ```
    """

    serving_tasks = ("vocode",)  # log-mel → waveform (and resynthesize)

    PRESETS = VOCODER_PRESETS
    FIXED_LOSSES = "least-squares adversarial terms, feature matching and reconstruction terms"

    def __init__(self, head="fourier", dim=192, num_blocks=4, kernel_size=7, expansion=3, magnitude_prior=False,
                 channels=128,
                 upsample_rates=(8, 8, 4), upsample_kernels=(16, 16, 8), resblock_kernels=(3, 7),
                 resblock_dilations=(1, 3, 5), periods=(2, 3, 5, 7, 11), resolutions=((512, 128), (1024, 256), (256, 64)),
                 period_channels=(16, 32, 64, 128), resolution_channels=(16, 16, 16), adversarial_weight=1.0,
                 feature_matching_weight=2.0, mel_weight=5.0, stft_weight=0.0, warmup_steps=0, segment_frames=32,
                 codec=None, **kwargs):
        if head not in HEAD_KEYS:
            raise ValueError(f"`head` must be one of {sorted(HEAD_KEYS)}, got {head!r}.")
        codec = get_codec(codec)
        kwargs.setdefault("sample_rate", codec.sample_rate)
        analysis = (codec.num_mel_bins, codec.frame_length, codec.frame_step)
        # === Layers ===
        if head == "fourier":
            prior = ({"sample_rate": codec.sample_rate, "fmin": codec.log_mel.fmin, "fmax": codec.log_mel.fmax}
                     if magnitude_prior else None)
            generator = build_fourier_generator(*analysis, dim, num_blocks, kernel_size, expansion, prior)
        else:
            generator = build_hifigan_generator(*analysis, channels, upsample_rates, upsample_kernels,
                                                resblock_kernels, resblock_dilations)
        discriminator = MultiDiscriminator(periods, resolutions, period_channels, resolution_channels,
                                           name="discriminator")
        super().__init__(generator, discriminator, **kwargs)
        self.codec = codec
        # === Config ===
        self.head = head
        self.head_config = {"dim": int(dim), "num_blocks": int(num_blocks), "kernel_size": int(kernel_size),
                            "expansion": int(expansion), "magnitude_prior": bool(magnitude_prior),
                            "channels": int(channels),
                            "upsample_rates": [int(r) for r in upsample_rates],
                            "upsample_kernels": [int(k) for k in upsample_kernels],
                            "resblock_kernels": [int(k) for k in resblock_kernels],
                            "resblock_dilations": [int(d) for d in resblock_dilations]}
        self.adversarial_weight, self.feature_matching_weight = float(adversarial_weight), float(feature_matching_weight)
        self.mel_weight, self.segment_frames = float(mel_weight), int(segment_frames)
        self.stft_weight, self.warmup_steps = float(stft_weight), int(warmup_steps)

    @property
    def segment_samples(self):
        return self.codec.num_samples(self.segment_frames)

    def output_samples(self, frames):
        """Samples generated for `frames` log-mel frames: ``(T − 1) H + N``."""
        return self.codec.num_samples(frames)

    # -------------------------------------------------------------- loss hooks
    def loss_names(self):
        reconstruction = ("mel_l1",) + (("stft",) if self.stft_weight else ())
        return LossNames(("d_adversarial",), ("g_adversarial", "feature_matching") + reconstruction, ())

    def reconstruction_losses(self, batch, fake):
        """The terms that need no discriminator: mel L1 [+ multi-resolution STFT]."""
        terms = {"mel_l1": self.mel_weight * losses.mel_l1_loss(batch["mel"], self.codec.log_mel(fake),
                                                                 reduction="none")}
        if self.stft_weight:
            terms["stft"] = self.stft_weight * losses.multi_resolution_stft_loss(batch["real"], fake, reduction="none")
        return terms

    def unpack(self, data):
        """Waveform segments (or `(waveform, label)`) → ``{"real", "mel"}``, the
        real audio cut to the samples its frames cover."""
        real = data[0] if isinstance(data, (tuple, list)) else data
        mel = self.codec.log_mel(real)
        return {"real": real[:, : self.output_samples(tf.shape(mel)[1])], "mel": mel}

    def generator_inputs(self, batch):
        return batch["mel"]

    def discriminator_losses(self, batch, fake, training=True):
        real_logits = self.adversarial_logits(batch["real"], batch, training)
        fake_logits = self.adversarial_logits(fake, batch, training)
        return {"d_adversarial": losses.least_squares_discriminator_loss(real_logits, fake_logits, reduction="none")}

    def generator_losses(self, batch, fake, training=True):
        real_features = self.discriminate(batch["real"], batch, training)["features"]
        fake_parts = self.discriminate(fake, batch, training)
        fake_logits, fake_features = fake_parts["logits"], fake_parts["features"]
        return {
            "g_adversarial": self.adversarial_weight * losses.least_squares_generator_loss(fake_logits, reduction="none"),
            "feature_matching": self.feature_matching_weight * losses.feature_matching_loss(
                real_features, fake_features, reduction="none"),
            **self.reconstruction_losses(batch, fake),
        }

    def train_step(self, data):
        if not self.warmup_steps:
            return super().train_step(data)
        return tf.cond(self.g_optimizer.iterations < self.warmup_steps, lambda: self._warmup_step(data),
                       lambda: super(Vocoder, self).train_step(data))

    def _warmup_step(self, data):
        """One G-only update on the reconstruction terms (D untouched)."""
        batch = self.unpack(data)

        def reconstruction():
            fake = self.generator(self.generator_inputs(batch), training=True)
            terms = self.reconstruction_losses(batch, fake)
            return loss_terms.average_terms(terms, tuple(terms), (), "warm-up")

        total, terms = gradient_step(self.g_optimizer, self.generator.trainable_variables, reconstruction)
        if self.averaged_generator is not None:
            self.update_average()
        for name, value in {"g_loss": total, **terms}.items():
            if name in self.trackers:
                self.trackers[name].update_state(value * tf.distribute.get_strategy().num_replicas_in_sync)
        return replica_logs({name: tracker.result() for name, tracker in self.trackers.items()})

    # -------------------------------------------------------- serving contract
    def serving_inputs(self):
        return {"mel": tf.TensorSpec((None, None, self.codec.num_mel_bins), tf.float32, name="mel")}

    def serve(self, mel):
        """``serving_default``: log-mel dB → ``{"waveform"}``."""
        return {"waveform": tf.cast(self.sampler(mel, training=False), tf.float32)}

    def resynthesize(self, waveform):
        """waveform → its log-mel → ``{"waveform", "log_mel"}`` (analysis, then resynthesis)."""
        mel = self.codec.log_mel(waveform)
        return {**self.serve(mel), "log_mel": mel}

    def generation_inputs(self):
        return None  # a vocoder transforms a log-mel; it does not generate from nothing

    def endpoints(self):
        found = super().endpoints()
        found[RESYNTHESIZE] = (self.resynthesize, {"waveform": tf.TensorSpec((None, None), tf.float32, name="waveform")})
        return found

    def serving_metadata(self):
        analysis = {key: getattr(self.codec.log_mel, key) for key in self.codec.ANALYSIS_KEYS}
        return {"sample_rate": self.sample_rate, "frame_step": self.codec.frame_step, "analysis": analysis,
                "endpoints": {SERVING_DEFAULT: "mel (dB) → waveform", RESYNTHESIZE: "waveform → waveform"}}

    # ------------------------------------------------------------------ config
    def network_config(self):
        return {}

    def get_config(self):
        config = super().get_config()
        config.pop("sample_rate")  # the codec's
        config.update(head=self.head,  # plain lists: Keras tracks the attribute's (TrackedList cannot be deep-copied)
                      **{k: list(v) if isinstance(v, list) else v for k, v in self.head_config.items()},
                      periods=list(self.discriminator.periods),
                      resolutions=[list(r) for r in self.discriminator.resolutions],
                      period_channels=list(self.discriminator.period_channels),
                      resolution_channels=list(self.discriminator.resolution_channels),
                      adversarial_weight=self.adversarial_weight, feature_matching_weight=self.feature_matching_weight,
                      mel_weight=self.mel_weight, stft_weight=self.stft_weight, warmup_steps=self.warmup_steps,
                      segment_frames=self.segment_frames,
                      codec=keras.saving.serialize_keras_object(self.codec))
        return config
