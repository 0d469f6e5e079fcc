"""Time-normalising the spoken part of a log-mel spectrogram."""
import keras
import tensorflow as tf

from gan_audio.features import _checks


@keras.saving.register_keras_serializable(package="gan_audio")
class WordAlignment(keras.layers.Layer):
    """The active frames of each clip, stretched to a fixed number of frames.

    Maths: for an example ``x`` ``(T, M)`` in dB, the frame energy is
    ``e_t = max_m x[t, m]``; the active span runs from the first to the last
    frame with ``e_t > max_t e_t - threshold_db``; its frames are resampled
    by linear interpolation at ``N = num_frames`` equally spaced positions
    ``p_j = first + j (last - first) / (N - 1)``:
    ``y[j] = (1 - w) x[floor(p_j)] + w x[floor(p_j) + 1]``, ``w = p_j - floor(p_j)``
    (``numpy.interp`` per mel bin). Silence around a word, where the word sits
    in the clip and how fast it is spoken no longer change the features.

    Shapes: ``(B, T, M) -> (B, num_frames, M)``.

    Args:
        num_frames (int): N. Defaults to 20.
        threshold_db (float): frames this far below the loudest frame are
            silence. Defaults to 40.0.

    Example:
        >>> x = tf.constant([[[-80.0], [0.0], [10.0], [-80.0]]])
        >>> WordAlignment(num_frames=3)(x).numpy().ravel().tolist()
        [0.0, 5.0, 10.0]
    """

    def __init__(self, num_frames=20, threshold_db=40.0, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.num_frames = _checks.positive_int("num_frames", num_frames)
        if self.num_frames < 2:
            raise ValueError(f"`num_frames` must be at least 2, got {num_frames}.")
        self.threshold_db = _checks.positive_float("threshold_db", threshold_db)
        self.built = True

    def call(self, log_mel):
        log_mel = _checks.as_float32(log_mel)
        energy = tf.reduce_max(log_mel, axis=-1)  # (B, T)
        active = energy > tf.reduce_max(energy, axis=1, keepdims=True) - self.threshold_db
        length = tf.shape(log_mel)[1]
        index = tf.range(length)[None, :]
        first = tf.reduce_min(tf.where(active, index, length), axis=1)
        last = tf.reduce_max(tf.where(active, index, -1), axis=1)
        fractions = tf.linspace(0.0, 1.0, self.num_frames)[None, :]
        positions = tf.cast(first, tf.float32)[:, None] + fractions * tf.cast(last - first, tf.float32)[:, None]
        lower = tf.cast(tf.floor(positions), tf.int32)
        upper = tf.minimum(lower + 1, length - 1)
        weight = (positions - tf.cast(lower, tf.float32))[..., None]
        below = tf.gather(log_mel, lower, batch_dims=1)
        above = tf.gather(log_mel, upper, batch_dims=1)
        return (1.0 - weight) * below + weight * above

    def get_config(self):
        return {**super().get_config(), "num_frames": self.num_frames, "threshold_db": self.threshold_db}
