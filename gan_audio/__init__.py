"""gan_audio: a TensorFlow/Keras model zoo of audio GANs and WaveNet.

`import gan_audio` loads TensorFlow and registers every model, layer and
codec class with Keras, so `keras.saving.load_model("RUN/model.keras")`
works after it alone. (The `gan-audio` command parses its arguments before
importing this package; see `gan_audio.cli`.)
"""
import os

__version__ = "0.2.0"

# The models run on Keras 3's TensorFlow backend (tf.signal, tf.data, SavedModel).
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
try:
    import tensorflow  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the install
    raise ImportError(
        "gan_audio needs TensorFlow 2.21. Install it with the package: "
        "pip install 'gan_audio[cpu]' (CPU only) or 'gan_audio[gpu]' (NVIDIA GPU)."
    ) from error

from gan_audio import features, losses, models  # noqa: E402,F401  (registers the Keras classes)
