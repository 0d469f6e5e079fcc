"""Shared machinery for GANs whose samples are normalised log-mel spectrograms."""
import keras
import tensorflow as tf

from gan_audio.features import get_codec
from gan_audio.models.adversarial.gan import GAN


@keras.saving.register_keras_serializable(package="gan_audio")
class SpectrogramGAN(GAN):
    """A GAN generating `(frames, num_mel_bins)` log-mel patches in [-1, 1].

    Holds one `LogMelCodec` (waveform ⇄ normalised log-mel) so that the same
    object turns a waveform dataset into training features (`features`),
    learns the normalisation range from data (`adapt`), and turns samples
    back into dB spectrograms and Griffin-Lim waveforms (`serve`). The codec
    is one serialisable object in the config, so a reloaded model keeps
    every analysis setting and the adapted dB range. Sub-classes build
    `generator`/`discriminator` and may map the codec range [-1, 1] to
    their output range through `output_activation` ("tanh" keeps [-1, 1],
    "sigmoid" uses [0, 1]).

    Args:
        generator, discriminator: see `GAN`.
        codec: a `LogMelCodec`, a dict of its keywords, its serialised
            config, or None (the default codec). Its `sample_rate` is the
            model's.
        clip_seconds: float, length of a training clip. Defaults to 1.0.
        output_activation: "tanh" or "sigmoid", the generator's output range.
        **kwargs: `GAN` keywords (`latent_dim`, `conditional`, ...).
    """

    def __init__(self, generator, discriminator, codec=None, clip_seconds=1.0, output_activation="tanh", **kwargs):
        codec = get_codec(codec)
        if kwargs.setdefault("sample_rate", codec.sample_rate) != codec.sample_rate:
            raise ValueError(f"`sample_rate` {kwargs['sample_rate']} differs from the codec's {codec.sample_rate}.")
        super().__init__(generator, discriminator, **kwargs)
        if output_activation not in ("tanh", "sigmoid"):
            raise ValueError(f"`output_activation` must be 'tanh' or 'sigmoid', got {output_activation!r}.")
        # === Layers ===
        self.codec = codec
        # === Config ===
        self.clip_seconds = float(clip_seconds)
        self.output_activation = output_activation

    @property
    def clip_samples(self):
        return int(round(self.sample_rate * self.clip_seconds))

    @property
    def clip_frames(self):
        """Log-mel frames in one training clip."""
        return self.codec.num_frames(self.clip_samples)

    @property
    def num_mel_bins(self):
        return self.codec.num_mel_bins

    @property
    def frame_step(self):
        return self.codec.frame_step

    # ------------------------------------------------------------ data side
    def features(self, waveform, labels=None):
        """Waveforms `(B, S)` → training features in the generator's range.

        Usable as `audio_dataset(..., features=model.features)` and in
        `Dataset.map` over `(waveform, label)` pairs.
        """
        encoded = self.codec.encode(waveform)
        if self.output_activation == "sigmoid":
            encoded = (encoded + 1.0) * 0.5
        return encoded if labels is None else (encoded, labels)

    def adapt(self, dataset, max_batches=50):
        """Learns the codec's dB range from a dataset of waveforms."""
        self.codec.adapt(dataset.take(max_batches) if hasattr(dataset, "take") else dataset)

    def to_unit_range(self, samples):
        """Generator output → the codec's [-1, 1] range."""
        samples = tf.cast(samples, "float32")
        return samples * 2.0 - 1.0 if self.output_activation == "sigmoid" else samples

    # -------------------------------------------------------- sample side
    def to_db(self, samples):
        """Generator output → log-mel in dB, `(B, frames, mels)`."""
        return self.codec.to_db(self.to_unit_range(samples))

    def to_waveform(self, samples):
        """Generator output → Griffin-Lim waveform `(B, S)`."""
        return self.codec.decode(self.to_unit_range(samples))

    def decode_noise(self, noise, label=None):
        """noise [+ label] → ``{"log_mel": dB, "waveform": Griffin-Lim audio}``."""
        inputs = [noise, self._graph_checked(label)] if self.conditional else noise
        samples = self.sampler(inputs, training=False)
        return {"log_mel": self.to_db(samples), "waveform": self.to_waveform(samples)}

    def serving_metadata(self):
        analysis = {key: getattr(self.codec.log_mel, key) for key in self.codec.ANALYSIS_KEYS}
        return {**super().serving_metadata(), "frame_step": self.codec.frame_step, "analysis": analysis}

    # --------------------------------------------------------------- config
    def get_config(self):
        config = super().get_config()
        del config["sample_rate"]  # the codec's
        config.update(codec=keras.saving.serialize_keras_object(self.codec), clip_seconds=self.clip_seconds,
                      output_activation=self.output_activation)
        return config
