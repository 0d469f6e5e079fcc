"""Keras 3 `fit` under `tf.distribute.MultiWorkerMirroredStrategy`: two upstream failures worked around.

1. Step logs. Keras 3's TensorFlow trainer reduces the logs of every step with
``strategy.reduce("MEAN", value, axis=0)`` when the strategy is a multi-worker
collective one, and that fails on the scalar logs every `train_step`
returns: ``ValueError: Invalid reduction dimension 0 for input with 0
dimensions`` (keras-team/keras#20585, tensorflow/tensorflow#72388; open
upstream, the suggested ``TF_USE_LEGACY_KERAS=1`` abandons Keras 3). The
zoo's steps pass their logs through `replica_logs`, which gives each scalar
a length-1 axis in multi-worker mode only: the reduction then averages over
the replicas and that axis and hands Keras a scalar again. Elsewhere the
logs are unchanged (single device, `MirroredStrategy`).

2. The first batch. Before the first step, Keras builds the model on one
batch it averages over the replicas with ``strategy.reduce("MEAN", batch)``;
the collective strategy cannot reduce a nested batch (``(clips, labels)``,
the SGAN's ``((x, y), unlabelled)``: ``Attempt to convert a value
(PerReplica...) to a Tensor``), and averaging integer labels would be wrong
anyway. `MultiWorkerFitMixin` builds from zeros of the data's shapes and dtypes instead (only
they matter for building), under every strategy: Keras' build takes a batch from an iterator of its
own, so a seeded pipeline would start the training on other random draws than one device does.

Remove these when the upstream fix lands; `tests/test_multi_worker.py`
trains two workers and fails without them.
"""
import tensorflow as tf
from keras.src import tree


def in_multi_worker_mode(strategy=None):
    """Whether `strategy` (default: the current one) is a multi-worker collective all-reduce strategy."""
    strategy = strategy or tf.distribute.get_strategy()
    extended = getattr(strategy, "extended", None)
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) or bool(
        extended is not None and getattr(extended, "_in_multi_worker_mode", lambda: False)())


def replica_logs(logs):
    """`logs` (``{name: tensor}``) with every scalar shaped ``(1,)`` in multi-worker mode (see the module)."""
    if not in_multi_worker_mode():
        return logs
    return {name: tf.reshape(value, [1]) if getattr(value, "shape", None) is not None and value.shape.rank == 0
            else value for name, value in logs.items()}


class ReplicaLogsMixin:
    """For models trained by Keras' own `train_step` / `test_step`: their logs through `replica_logs`."""

    def train_step(self, data):
        return replica_logs(super().train_step(data))

    def test_step(self, data):
        return replica_logs(super().test_step(data))


class MultiWorkerFitMixin:
    """Builds the model under any `tf.distribute` strategy from the *shapes* of the data (point 2 above),
    without taking a batch from it: Keras' own build iterates the dataset once before training, and a
    seeded pipeline that draws anew on each iteration (shuffles, crops, augmentation) would then feed the
    distributed run other batches than a single-device run with the same seed gets."""

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        strategy = getattr(self, "_distribute_strategy", None)
        adapter = getattr(iterator, "data_adapter", None)
        if strategy is None or adapter is None:
            return super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)
        data_batch = tree.map_structure(
            lambda spec: tf.zeros([1 if d is None else d for d in spec.shape], spec.dtype),
            adapter.get_tf_dataset().element_spec)
        with strategy.scope():
            self._symbolic_build(data_batch=data_batch)
