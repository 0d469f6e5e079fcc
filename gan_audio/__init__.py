"""gan_audio: a TensorFlow/Keras model zoo of audio GANs and WaveNet."""
import os

__version__ = "0.1.0"

# The models run on Keras 3's TensorFlow backend (tf.signal, tf.data, SavedModel).
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
try:
    import tensorflow  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the install
    raise ImportError(
        "gan_audio needs TensorFlow 2.21. Install it with the package: "
        "pip install 'gan_audio[cpu]' (CPU only) or 'gan_audio[gpu]' (NVIDIA GPU)."
    ) from error
