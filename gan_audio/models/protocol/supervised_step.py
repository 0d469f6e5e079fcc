"""The training and evaluation step of the zoo's non-GAN models (WaveNet, the denoiser)."""
import tensorflow as tf

from gan_audio.models.protocol.gradient_step import gradient_step
from gan_audio.models.protocol.multi_worker import replica_logs


class SupervisedStepMixin:
    """`train_step` / `test_step` from one hook, ``step_loss(data, training)`` →
    ``(loss, values)``: the loss already averaged over the global batch
    (`loss_terms.global_average`) and a dict of this replica's batch values,
    tracked by the `keras.metrics.Mean` in `metrics` of the same name (the
    loss under ``"loss"``, as this replica's mean)."""

    def step_loss(self, data, training):
        raise NotImplementedError(f"{type(self).__name__} does not implement step_loss().")

    def _track(self, loss, values):
        trackers = {m.name: m for m in self.metrics}
        trackers["loss"].update_state(loss * tf.distribute.get_strategy().num_replicas_in_sync)
        for name, value in values.items():
            trackers[name].update_state(value)
        return replica_logs({m.name: m.result() for m in self.metrics})

    def train_step(self, data):
        loss, values = gradient_step(self.optimizer, self.trainable_variables,
                                     lambda: self.step_loss(data, training=True))
        return self._track(loss, values)

    def test_step(self, data):
        return self._track(*self.step_loss(data, training=False))
