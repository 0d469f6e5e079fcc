"""The semi-supervised GAN's discriminator as a standalone waveform classifier."""
import keras
import tensorflow as tf

from gan_audio.features import WordAlignment, get_codec
from gan_audio.models.protocol.dataset_fit import DatasetFitMixin
from gan_audio.models.adversarial.discriminator_outputs import discriminator_parts
from gan_audio.models.protocol.multi_worker import ReplicaLogsMixin
from gan_audio.serving import ServingMixin
from gan_audio.time_windows import centre_pad


def centre_fit(waveform, num_samples):
    """`(B, S)` → `(B, num_samples)`: zero-padded or cropped around the centre."""
    waveform = centre_pad(waveform, num_samples)
    start = (tf.shape(waveform)[1] - num_samples) // 2
    return tf.ensure_shape(waveform[:, start:start + num_samples], [None, num_samples])


def discriminator_input(codec, alignment, clip_samples, frames, output_activation, waveform):
    """Waveforms → what the discriminator sees (training and serving alike).

    The clip is centred in `clip_samples` and analysed by the codec's log-mel
    layer; with an `alignment` (`WordAlignment`) the spoken part is stretched
    to its frames, otherwise the first `frames` frames are kept; the codec's
    normaliser maps dB to [-1, 1] (to [0, 1] for a sigmoid generator).
    """
    log_mel = codec.log_mel(centre_fit(waveform, clip_samples))
    log_mel = alignment(log_mel) if alignment is not None else log_mel[:, :frames]
    features = codec.normalizer(log_mel)
    return (features + 1.0) * 0.5 if output_activation == "sigmoid" else features


def classify(discriminator, features):
    """D's input → ``{"probabilities", "label", "embedding"}``; ``probabilities``
    are ``softmax(l)`` over the K real classes (the implicit fake class drops
    out for a clip known to be real)."""
    parts = discriminator_parts(discriminator(features, training=False), discriminator.name)
    logits, embedding = parts["logits"], parts["features"]
    probabilities = tf.nn.softmax(tf.cast(logits, tf.float32))
    return {"probabilities": probabilities, "label": tf.argmax(probabilities, axis=-1, output_type=tf.int32),
            "embedding": tf.cast(embedding, tf.float32)}


@keras.saving.register_keras_serializable(package="gan_audio")
class SGANClassifier(ServingMixin, DatasetFitMixin, ReplicaLogsMixin, keras.Model):
    """Waveform → word, with a semi-supervised GAN's codec and discriminator.

    `SemiSupervisedGAN.classifier()` builds one that shares the GAN's
    weights; trained alone (compile with a sparse cross-entropy on the
    logits `call` returns, fit on ``(waveform, label)``) it is the
    same-architecture supervised baseline. ``serving_default`` takes a
    waveform ``(B, S)`` of any length and returns ``probabilities``,
    ``label`` and ``embedding`` of its centred `clip_seconds` (zero-padded
    or cropped: one word per clip; the metadata's ``window_seconds``).

    Args:
        codec: the `LogMelCodec` (or its config).
        discriminator: the `keras.Model` features → ``[logits, embedding]`` (or its config).
        clip_seconds: float, the clip length D was built for.
        frames: int, the frames D sees.
        align_frames: int or None: D sees the spoken part stretched to this
            many frames (`WordAlignment`) rather than the first `frames`.
        output_activation: "tanh" or "sigmoid": the range of D's input.
        class_names: list of K names or None.
    """

    serving_tasks = ("classify",)  # waveform → class probabilities

    def __init__(self, codec, discriminator, clip_seconds=1.0, frames=None, output_activation="tanh",
                 class_names=None, align_frames=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(discriminator, dict):
            discriminator = keras.saving.deserialize_keras_object(discriminator)
        # === Layers ===
        self.codec = get_codec(codec)
        self.discriminator = discriminator
        self.alignment = None if align_frames is None else WordAlignment(align_frames, name="word_alignment")
        # === Config ===
        self.clip_seconds = float(clip_seconds)
        self.frames = int(frames or discriminator.input_shape[1])
        self.output_activation = output_activation
        self.class_names = None if class_names is None else list(class_names)
        self.align_frames = None if align_frames is None else int(align_frames)
        self.sample_rate = self.codec.sample_rate
        self.num_classes = int(discriminator.output_shape[0][-1])
        self.built = True

    @property
    def clip_samples(self):
        return int(round(self.sample_rate * self.clip_seconds))

    def features(self, waveform):
        return discriminator_input(self.codec, self.alignment, self.clip_samples, self.frames,
                                   self.output_activation, waveform)

    def call(self, waveform, training=False):
        return discriminator_parts(self.discriminator(self.features(waveform), training=training),
                                   self.discriminator.name)["logits"]

    def serving_inputs(self):
        return {"waveform": tf.TensorSpec((None, None), tf.float32, name="waveform")}

    def serve(self, waveform):
        return classify(self.discriminator, self.features(waveform))

    def serving_metadata(self):
        return {"sample_rate": self.sample_rate, "num_classes": self.num_classes, "class_names": self.class_names,
                "window_seconds": self.clip_seconds}

    def get_config(self):
        return {**super().get_config(), "codec": keras.saving.serialize_keras_object(self.codec),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "clip_seconds": self.clip_seconds, "frames": self.frames,
                "output_activation": self.output_activation, "class_names": self.class_names,
                "align_frames": self.align_frames}
