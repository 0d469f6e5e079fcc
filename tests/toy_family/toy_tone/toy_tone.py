"""ToyTone: the smallest generating family — a learned template clip plus seeded noise."""
import random

import keras
import tensorflow as tf

from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.recipes import TrainingData
from gan_audio.data import audio_dataset
from gan_audio.serving import ServingMixin

from toy_tone.toy_tone_presets import TOY_TONE_PRESETS


@keras.saving.register_keras_serializable(package="toy_family")
class ToyTone(PresetMixin, ServingMixin, keras.Model):
    """Generates its template clip (the mean of the training clips, learned by `fit`) plus noise 0.01."""

    PRESETS = TOY_TONE_PRESETS
    serving_tasks = ("generate",)

    def __init__(self, num_samples=800, sample_rate=4000, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.num_samples, self.sample_rate, self.seed = int(num_samples), int(sample_rate), int(seed)
        self.template = self.add_weight(shape=(self.num_samples,), initializer="zeros", name="template")
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self._seeds = random.Random(self.seed)

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, waveform):
        return tf.broadcast_to(self.template, tf.shape(waveform))

    def train_step(self, data):
        clips = data[0] if isinstance(data, tuple) else data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(clips[:, :self.num_samples] - self.template[None]))
        self.optimizer.apply_gradients(zip(tape.gradient(loss, [self.template]), [self.template]))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def next_seed(self):
        return self._seeds.randrange(2**31 - 1)

    # === Serving contract ===
    def serving_inputs(self):
        return {"noise": tf.TensorSpec((None, self.num_samples), tf.float32, name="noise")}

    def serve(self, noise):
        return {"waveform": self.template[None] + 0.01 * noise}

    def generation_inputs(self):
        return {"num": tf.TensorSpec((), tf.int32, name="num"), "seed": tf.TensorSpec((), tf.int64, name="seed")}

    def generate_audio(self, num, seed):
        noise = tf.random.stateless_normal(tf.stack([num, self.num_samples]), tf.stack([seed, tf.constant(0, tf.int64)]))
        return self.serve(noise=noise)

    def get_config(self):
        return {**super().get_config(), "num_samples": self.num_samples, "sample_rate": self.sample_rate,
                "seed": self.seed}


def toy_tone_dataset(model, settings, adapt=True, strict=False):
    """Unlabelled clips of the model's length and rate."""
    waves = audio_dataset(settings.get("data", "spoken_digits"), sample_rate=model.sample_rate,
                          clip_seconds=model.num_samples / model.sample_rate, labels=None,
                          batch_size=settings.get("batch_size", 8), seed=settings.get("seed", 0), training=True,
                          strict=strict, repeat=True)
    return TrainingData(waves, None, max(1, len(waves.files) // settings.get("batch_size", 8)))
