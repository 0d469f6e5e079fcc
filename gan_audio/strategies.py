"""The `tf.distribute` strategy a run trains under (`gan-audio train --strategy`).

- ``default``: no strategy (one device);
- ``mirrored``: `tf.distribute.MirroredStrategy` over this machine's devices;
- ``multiworker``: `tf.distribute.MultiWorkerMirroredStrategy`, the workers
  named by ``TF_CONFIG`` (the same command on every worker; only the chief
  writes the run folder, see `gan_audio.checkpoints.is_chief`). Keras 3 needs
  `gan_audio.models.protocol.multi_worker` for this (keras-team/keras#20585).

Example:
    >>> make_strategy("default") is None
    True
"""
import json
import os

STRATEGIES = ("default", "mirrored", "multiworker")


def make_strategy(name):
    """The strategy called `name` (see the module), or None for ``default``."""
    import tensorflow as tf

    if name in (None, "default"):
        return None
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        config = json.loads(os.environ.get("TF_CONFIG") or "{}")
        if not (config.get("cluster") and config.get("task")):
            raise ValueError("--strategy multiworker needs TF_CONFIG naming the cluster and this worker's task, "
                             'e.g. {"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
                             '"task": {"type": "worker", "index": 0}}.')
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"Unknown strategy {name!r}; choose from {list(STRATEGIES)}.")


def with_sharding(dataset, strategy):
    """`dataset` with the sharding policy of `strategy`: under ``multiworker``, tf.data's DATA policy
    (every worker runs the same seeded pipeline and keeps every N-th batch, so no batch, and no clip of an
    epoch's pass, is seen by two workers); unchanged otherwise. Set explicitly rather than left to AUTO,
    which would try to shard by file and fall back with a warning for the zoo's in-memory pipelines."""
    import tensorflow as tf

    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return dataset
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return dataset.with_options(options)


def num_workers(strategy):
    """Workers (processes) of `strategy`: their number under ``multiworker``, else 1."""
    import tensorflow as tf

    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return 1
    spec = strategy.cluster_resolver.cluster_spec()
    return sum(spec.num_tasks(job) for job in ("chief", "worker") if job in spec.jobs)


def resumed(dataset, batches_done, strategy=None):
    """`dataset` from where a run that had taken `batches_done` batches stood: the zoo's pipelines are
    seeded and deterministic, so replaying them to that position gives the uninterrupted run's next
    batches (data order, crops, augmentation, mixed noise). The replay decodes what it skips (from the
    cache, when the clips fit in memory). Under ``multiworker`` every worker runs the whole pipeline and
    keeps every N-th batch (`with_sharding`), so N × `batches_done` are replayed."""
    skipped = int(batches_done) * num_workers(strategy)
    return dataset.skip(skipped) if skipped else dataset
