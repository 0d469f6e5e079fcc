"""A WaveNet's training step: next-code cross-entropy of a batch of waveforms (`fit`'s `step_loss`)."""
import math

import tensorflow as tf

from gan_audio.models.adversarial import loss_terms
from gan_audio.models.wavenet.wavenet_conditioning import mel_of
from gan_audio.models.wavenet.wavenet_pitch import excitation_source


class WaveNetTraining:
    """`SupervisedStepMixin`'s hooks for `WaveNet`: batches, the loss and its trackers."""

    def unpack(self, data):
        waveform, label = data, None
        if isinstance(data, (tuple, list)):
            waveform, label = data[0], (data[1] if len(data) > 1 else None)
        if self.conditional and label is None:
            raise ValueError("A label-conditional WaveNet needs (waveform, label) batches.")
        return waveform, label

    def step_loss(self, data, training):
        """Cross-entropy of the next code (global-batch mean), accuracy and bits per sample."""
        waveform, label = self.unpack(data)
        if self.dither_noise is not None:
            waveform = self.dither_noise(tf.cast(waveform, tf.float32), training=training)
        mel = mel_of(self, waveform) if self.local_conditioning else None
        codes = self.encode(waveform, mel)
        source = excitation_source(self, mel, tf.shape(waveform)[1], waveform)[:, 1:] if self.pitch_source else None
        logits = self(codes[:, :-1], label, mel, training=training, source=source)
        targets = codes[:, 1:]
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(targets, tf.cast(logits, tf.float32))
        hits = tf.cast(tf.equal(tf.argmax(logits, axis=-1, output_type=tf.int32), targets), tf.float32)
        loss = loss_terms.global_average(tf.reduce_mean(nats, axis=1), "loss")
        return loss, {"accuracy": tf.reduce_mean(hits), "bits_per_sample": tf.reduce_mean(nats) / math.log(2.0)}

    @property
    def metrics(self):
        return [self.loss_tracker, self.accuracy_tracker, self.bits_tracker]
