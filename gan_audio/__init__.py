"""gan_audio: a TensorFlow/Keras model zoo of audio GANs and WaveNet."""

__version__ = "0.1.0"
