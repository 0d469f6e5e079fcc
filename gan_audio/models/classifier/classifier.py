"""A compact spoken-word classifier: log-mel front end + a small conv net."""
import keras
import tensorflow as tf

from gan_audio.features import LogMelSpectrogram, PeakNormalization, WordAlignment
from gan_audio.models.classifier.classifier_presets import WORD_CLASSIFIER_PRESETS
from gan_audio.models.protocol.dataset_fit import DatasetFitMixin
from gan_audio.models.protocol.multi_worker import ReplicaLogsMixin
from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.replica_draws import ReplicaDropout
from gan_audio.serving import ServingMixin
from gan_audio.time_windows import centre_pad


def build_conv_classifier(frames, num_mel_bins, filters, embedding_dim, dropout, num_classes, name="classifier",
                          batch_norm=True):
    """``(B, T, M)`` features → ``[logits (B, K), embedding (B, E)]``.

    Blocks of 3×3 Conv2D → BatchNorm → ReLU → 2×2 max-pooling (one per
    entry of `filters`; without BatchNorm the ReLU is leaky, 0.2, as in a GAN
    discriminator, whose batches of real and generated clips would otherwise
    mix in the moving statistics), then the mean and the max over time and frequency
    (so `frames` may be None: any length, and a word may sit anywhere in the
    clip), dropout, a Dense ReLU embedding and the class logits. The
    embedding is what the Fréchet distance of `gan_audio.metrics` compares.
    """
    features = keras.Input((frames, num_mel_bins), name="log_mel")
    x = keras.layers.Reshape((-1, num_mel_bins, 1), name="add_channel")(features)
    for i, width in enumerate(filters):
        x = keras.layers.Conv2D(width, 3, padding="same", use_bias=not batch_norm, name=f"conv_{i}")(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(momentum=0.9, synchronized=True, name=f"batch_norm_{i}")(x)
            x = keras.layers.ReLU(name=f"relu_{i}")(x)
        else:
            x = keras.layers.LeakyReLU(negative_slope=0.2, name=f"leaky_relu_{i}")(x)
        x = keras.layers.MaxPooling2D(2, padding="same", name=f"pool_{i}")(x)
    pooled = keras.layers.Concatenate(name="mean_and_max")(
        [keras.layers.GlobalAveragePooling2D(name="mean")(x), keras.layers.GlobalMaxPooling2D(name="max")(x)])
    x = ReplicaDropout(dropout, name="dropout")(pooled)
    embedding = keras.layers.Dense(embedding_dim, activation="relu", name="embedding")(x)
    logits = keras.layers.Dense(num_classes, name="logits", dtype="float32")(embedding)
    return keras.Model(features, [logits, embedding], name=name)


@keras.saving.register_keras_serializable(package="gan_audio")
class WordClassifier(PresetMixin, ServingMixin, DatasetFitMixin, ReplicaLogsMixin, keras.Model):
    """Classifies spoken words from waveforms of any length.

    ``waveform (B, S)`` → log-mel dB → `PeakNormalization` (dB below each
    clip's peak: the recording level does not matter) → `build_conv_classifier`
    → K logits. With `align_frames`, the spoken part of each clip is first
    stretched to that many frames (`WordAlignment`): where the word sits and
    how fast it is said no longer matter, as for a real speaker whose words
    are slower than espeak's. Clips shorter than `min_seconds` are zero-padded (centred).
    Trained with Keras' own `compile`/`fit` on ``(waveform, label)`` batches
    (sparse cross-entropy on the logits `call` returns).

    Serving: ``serving_default`` takes ``waveform`` ``(B, S)`` (any S) and
    returns ``probabilities`` ``(B, K)`` and ``label`` ``(B,)``.

    Args:
        num_classes: int, K. Defaults to 10.
        class_names: list of K names or None (kept in the config and the export).
        sample_rate, frame_length, frame_step, num_mel_bins: the log-mel front end.
        range_db: float, dynamic range kept below each clip's peak. Defaults to 80.
        filters: conv widths, one block each. Defaults to (32, 64, 96).
        embedding_dim: int, size of the penultimate layer. Defaults to 128.
        dropout: float. Defaults to 0.3.
        min_seconds: float, shorter input is padded to this. Defaults to 0.25.
        align_frames: int or None, frames of the time-normalised word (None: no
            alignment). Defaults to None.
        align_threshold_db: float, frames this far below the loudest are
            silence for the alignment. Defaults to 40.
        seed: int or None (kept for runs; weights are seeded by the global seed).

    Example:
    ```python
    from gan_audio.data import audio_dataset
    from gan_audio.models import WordClassifier
    waves = audio_dataset("spoken_digits", batch_size=32, seed=0)
    model = WordClassifier.from_preset("tiny", class_names=waves.class_names)
    model.compile(**WordClassifier.compile_kwargs("tiny"))
    model.fit(waves, epochs=1, steps_per_epoch=5)
    model.serve(waveform=next(iter(waves))[0])["label"]  # (32,) int32
    ```
    """

    serving_tasks = ("classify",)  # waveform → class probabilities

    PRESETS = WORD_CLASSIFIER_PRESETS

    def __init__(self, num_classes=10, class_names=None, sample_rate=16000, frame_length=512, frame_step=160,
                 num_mel_bins=64, range_db=80.0, filters=(32, 64, 96), embedding_dim=128, dropout=0.3,
                 min_seconds=0.25, align_frames=None, align_threshold_db=40.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if class_names is not None and len(class_names) != int(num_classes):
            raise ValueError(f"{len(class_names)} class_names for num_classes={num_classes}.")
        # === Layers ===
        # A floor 100 dB down (amin 1e-10), below the kept range of any usable level: the
        # recording level then changes the dB values only by an offset, which the peak removes.
        self.log_mel = LogMelSpectrogram(sample_rate=sample_rate, frame_length=frame_length, frame_step=frame_step,
                                         num_mel_bins=num_mel_bins, amin=1e-10, name="log_mel")
        self.alignment = None if align_frames is None else WordAlignment(
            align_frames, threshold_db=align_threshold_db, name="word_alignment")
        self.normalize = PeakNormalization(range_db=range_db, name="peak_normalization")
        self.network = build_conv_classifier(None, num_mel_bins, filters, embedding_dim, dropout, num_classes)
        # === Config ===
        self.num_classes = int(num_classes)
        self.class_names = None if class_names is None else [str(c) for c in class_names]
        self.sample_rate = int(sample_rate)
        self.frame_length, self.frame_step, self.num_mel_bins = int(frame_length), int(frame_step), int(num_mel_bins)
        self.range_db = float(range_db)
        self.filters = tuple(int(f) for f in filters)
        self.embedding_dim, self.dropout = int(embedding_dim), float(dropout)
        self.min_seconds = float(min_seconds)
        self.align_frames = None if align_frames is None else int(align_frames)
        self.align_threshold_db = float(align_threshold_db)
        self.seed = seed
        self.built = True

    def features(self, waveform):
        """Waveforms `(B, S)` → normalised log-mels `(B, T, M)` in [-1, 1]."""
        waveform = centre_pad(waveform, int(self.min_seconds * self.sample_rate))
        log_mel = self.log_mel(waveform)
        if self.alignment is not None:
            log_mel = self.alignment(log_mel)
        return self.normalize(log_mel)

    def call(self, waveform, training=False):
        return self.network(self.features(waveform), training=training)[0]

    def embed(self, waveform):
        """The penultimate layer `(B, embedding_dim)` (inference mode)."""
        return self.network(self.features(waveform), training=False)[1]

    # -------------------------------------------------------- serving contract
    def serving_inputs(self):
        return {"waveform": tf.TensorSpec((None, None), tf.float32, name="waveform")}

    def serve(self, waveform):
        """waveform → ``{"probabilities", "label", "embedding"}``."""
        logits, embedding = self.network(self.features(waveform), training=False)
        probabilities = tf.nn.softmax(tf.cast(logits, tf.float32))
        return {"probabilities": probabilities, "label": tf.argmax(probabilities, axis=-1, output_type=tf.int32),
                "embedding": tf.cast(embedding, tf.float32)}

    def serving_metadata(self):
        return {"sample_rate": self.sample_rate, "num_classes": self.num_classes, "class_names": self.class_names}

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "class_names": self.class_names,
                "sample_rate": self.sample_rate, "frame_length": self.frame_length, "frame_step": self.frame_step,
                "num_mel_bins": self.num_mel_bins, "range_db": self.range_db, "filters": list(self.filters),
                "embedding_dim": self.embedding_dim, "dropout": self.dropout, "min_seconds": self.min_seconds,
                "align_frames": self.align_frames, "align_threshold_db": self.align_threshold_db, "seed": self.seed}
