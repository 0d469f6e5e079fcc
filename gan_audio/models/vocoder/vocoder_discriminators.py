"""Vocoder discriminators with HiFi-GAN's contract: lists of logits and of feature maps.

`MultiDiscriminator` runs sub-discriminators on a waveform ``(B, S)`` (any S)
and returns ``(logits, features)``: ``logits[i]`` the i-th sub-discriminator's
logit map, ``features[i]`` the list of its intermediate activations. The
losses of `gan_audio.losses` take these lists directly.
"""
import keras
import tensorflow as tf

from gan_audio.features.spectral import hann_window
from gan_audio.layers import WeightNormalization


def _conv2d(filters, kernel, strides, name):
    return WeightNormalization(keras.layers.Conv2D(filters, kernel, strides=strides, padding="same"), name=name)


def build_period_discriminator(period, channels=(16, 32, 64, 128), name=None):
    """MPD branch (HiFi-GAN): the waveform folded into ``(S / p, p)`` (reflect-
    padded to a multiple of p), Conv2D (5, 1) stride (3, 1) layers with
    LeakyReLU 0.1, Conv2D (3, 1) to one logit map."""
    waveform = keras.Input((None,), name="waveform")
    x = PeriodFold(period, name="fold")(waveform)
    features = []
    for i, width in enumerate(channels):
        x = keras.layers.LeakyReLU(0.1, name=f"act_{i}")(_conv2d(width, (5, 1), (3, 1), f"conv_{i}")(x))
        features.append(x)
    logits = _conv2d(1, (3, 1), (1, 1), "logits")(x)
    return keras.Model(waveform, {"logits": logits, "features": features}, name=name or f"period_{period}")


def build_resolution_discriminator(frame_length, frame_step, channels=(16, 16, 16), name=None):
    """MRD branch (UnivNet, Vocos): the log-magnitude STFT at one resolution,
    Conv2D (3, 9) layers striding over frequency with LeakyReLU 0.1, Conv2D
    (3, 3) to one logit map."""
    waveform = keras.Input((None,), name="waveform")
    x = LogMagnitude(frame_length, frame_step, name="log_magnitude")(waveform)
    features = []
    for i, width in enumerate(channels):
        x = keras.layers.LeakyReLU(0.1, name=f"act_{i}")(_conv2d(width, (3, 9), (1, 2), f"conv_{i}")(x))
        features.append(x)
    logits = _conv2d(1, (3, 3), (1, 1), "logits")(x)
    return keras.Model(waveform, {"logits": logits, "features": features}, name=name or f"resolution_{frame_length}")


@keras.saving.register_keras_serializable(package="gan_audio")
class PeriodFold(keras.layers.Layer):
    """``(B, S)`` → ``(B, ceil(S / p), p, 1)``, reflect-padded at the end."""

    def __init__(self, period, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.period = int(period)

    def call(self, waveform):
        waveform = tf.cast(waveform, tf.float32)
        pad = (-tf.shape(waveform)[1]) % self.period
        waveform = tf.pad(waveform, [[0, 0], [0, pad]], mode="REFLECT")
        return tf.reshape(waveform, [tf.shape(waveform)[0], -1, self.period, 1])

    def get_config(self):
        return {**super().get_config(), "period": self.period}


@keras.saving.register_keras_serializable(package="gan_audio")
class LogMagnitude(keras.layers.Layer):
    """``(B, S)`` → ``log(|STFT| + 1e-5)`` as ``(B, T, K, 1)`` (periodic Hann, no centring)."""

    def __init__(self, frame_length, frame_step, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.frame_length, self.frame_step = int(frame_length), int(frame_step)

    def call(self, waveform):
        spectrum = tf.signal.stft(tf.cast(waveform, tf.float32), self.frame_length, self.frame_step,
                                  window_fn=hann_window)
        return tf.math.log(tf.abs(spectrum) + 1e-5)[..., None]

    def get_config(self):
        return {**super().get_config(), "frame_length": self.frame_length, "frame_step": self.frame_step}


@keras.saving.register_keras_serializable(package="gan_audio")
class MultiDiscriminator(keras.Model):
    """Multi-period + multi-resolution discriminator.

    Args:
        periods: MPD periods (HiFi-GAN: 2, 3, 5, 7, 11).
        resolutions: MRD ``(frame_length, frame_step)`` pairs.
        period_channels, resolution_channels: widths of each branch's layers.

    Call: waveform ``(B, S)`` → ``{"logits", "features"}``, lists with one
    entry per sub-discriminator (periods first; `discriminator_parts`).
    """

    def __init__(self, periods=(2, 3, 5, 7, 11), resolutions=((512, 128), (1024, 256), (256, 64)),
                 period_channels=(16, 32, 64, 128), resolution_channels=(16, 16, 16), **kwargs):
        super().__init__(**kwargs)
        self.periods = tuple(int(p) for p in periods)
        self.resolutions = tuple((int(n), int(h)) for n, h in resolutions)
        self.period_channels, self.resolution_channels = tuple(period_channels), tuple(resolution_channels)
        # === Layers ===
        self.branches = [build_period_discriminator(p, self.period_channels) for p in self.periods] + [
            build_resolution_discriminator(n, h, self.resolution_channels) for n, h in self.resolutions]
        self.built = True

    def call(self, waveform, training=False):
        logits, features = [], []
        for branch in self.branches:
            outputs = branch(waveform, training=training)
            logits.append(tf.cast(outputs["logits"], tf.float32))
            features.append(list(outputs["features"]))
        return {"logits": logits, "features": features}

    def get_config(self):
        return {**super().get_config(), "periods": list(self.periods),
                "resolutions": [list(r) for r in self.resolutions], "period_channels": list(self.period_channels),
                "resolution_channels": list(self.resolution_channels)}
