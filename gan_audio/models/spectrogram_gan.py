"""Shared machinery for GANs whose samples are normalised log-mel spectrograms."""
import keras
import tensorflow as tf

from gan_audio.features import LogMelCodec
from gan_audio.models.gan import GAN

CODEC_KEYS = (
    "sample_rate",
    "frame_length",
    "frame_step",
    "num_mel_bins",
    "fmin",
    "fmax",
    "low",
    "high",
    "griffin_lim_iterations",
)


class SpectrogramGAN(GAN):
    """A GAN generating `(frames, num_mel_bins)` log-mel patches in [-1, 1].

    Holds a `LogMelCodec` (waveform ⇄ normalised log-mel) so that the same
    object turns a waveform dataset into training features (`features`),
    learns the normalisation range from data (`adapt`), and turns samples
    back into dB spectrograms and Griffin-Lim waveforms (`synthesize`,
    `serve`). Sub-classes build `generator`/`discriminator` and may map the
    codec range [-1, 1] to their output range through `output_activation`
    ("tanh" keeps [-1, 1], "sigmoid" uses [0, 1]).
    """

    def __init__(
        self,
        generator,
        discriminator,
        sample_rate=16000,
        clip_seconds=1.0,
        frame_length=1024,
        frame_step=256,
        num_mel_bins=64,
        fmin=0.0,
        fmax=None,
        low=-50.0,
        high=50.0,
        griffin_lim_iterations=32,
        output_activation="tanh",
        **kwargs,
    ):
        super().__init__(generator, discriminator, **kwargs)
        if output_activation not in ("tanh", "sigmoid"):
            raise ValueError(f"`output_activation` must be 'tanh' or 'sigmoid', got {output_activation!r}.")
        # === Layers ===
        self.codec = LogMelCodec(
            sample_rate=sample_rate,
            frame_length=frame_length,
            frame_step=frame_step,
            num_mel_bins=num_mel_bins,
            fmin=fmin,
            fmax=fmax,
            low=low,
            high=high,
            griffin_lim_iterations=griffin_lim_iterations,
            name="codec",
        )
        # === Config ===
        self.sample_rate = int(sample_rate)
        self.clip_seconds = float(clip_seconds)
        self.frame_length = int(frame_length)
        self.frame_step = int(frame_step)
        self.num_mel_bins = int(num_mel_bins)
        self.fmin = float(fmin)
        self.fmax = None if fmax is None else float(fmax)
        self.griffin_lim_iterations = int(griffin_lim_iterations)
        self.output_activation = output_activation

    @property
    def clip_samples(self):
        return int(round(self.sample_rate * self.clip_seconds))

    @property
    def clip_frames(self):
        """Log-mel frames in one training clip."""
        return self.codec.num_frames(self.clip_samples)

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

    def serve(self, noise, label=None):
        """The serving computation: noise [+ label] → named outputs."""
        inputs = noise if self.num_classes is None else [noise, label]
        samples = self.generator(inputs, training=False)
        return {"log_mel": self.to_db(samples), "waveform": self.to_waveform(samples)}

    def serving_function(self):
        """`serve` traced once as a `tf.function` (what an export runs)."""
        if getattr(self, "_serving_function", None) is None:
            self._serving_function = tf.function(self.serve, reduce_retracing=True)
        return self._serving_function

    def synthesize(self, num, labels=None, seed=None):
        """`num` samples as numpy `{"log_mel": dB, "waveform": audio}`."""
        noise = self.sample_noise(num, seed)
        label = self.check_labels(labels, num) if self.num_classes is not None else None
        outputs = self.serving_function()(noise, label)
        return {k: keras.ops.convert_to_numpy(v) for k, v in outputs.items()}

    # --------------------------------------------------------------- config
    def codec_config(self):
        config = self.codec.get_config()
        return {key: config[key] for key in CODEC_KEYS if key != "griffin_lim_iterations"} | {
            "griffin_lim_iterations": self.griffin_lim_iterations,
            "clip_seconds": self.clip_seconds,
            "output_activation": self.output_activation,
        }
