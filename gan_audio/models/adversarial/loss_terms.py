"""Named loss terms of an adversarial step: declaration, global averaging, tracking."""
import collections

import keras
import tensorflow as tf

#: The names a GAN's loss hooks return. ``discriminator`` and ``generator``
#: terms are summed into ``d_loss`` and ``g_loss``; ``monitors`` are tracked
#: but never differentiated (e.g. D's mean score on real clips).
LossNames = collections.namedtuple("LossNames", ["discriminator", "generator", "monitors"])

TOTALS = ("g_loss", "d_loss")


def tracker_names(names):
    """Metric names in display order: the totals, each term of a network with
    more than one term (one term *is* the total), then the monitors."""
    ordered = list(TOTALS)
    for terms in (names.generator, names.discriminator):
        if len(terms) > 1:
            ordered += list(terms)
    ordered += list(names.monitors)
    duplicates = {n for n in ordered if ordered.count(n) > 1}
    if duplicates:
        raise ValueError(f"Loss term names must be unique and differ from {TOTALS}: {sorted(duplicates)}.")
    return ordered


def make_trackers(names):
    """One `keras.metrics.Mean` per tracked name."""
    return {name: keras.metrics.Mean(name=name) for name in tracker_names(names)}


def global_average(value, name):
    """A per-example term ``(B,)`` → its mean over the *global* batch.

    Under a `tf.distribute` strategy each replica divides by the global batch
    size, so the summed gradients equal one device's on the same batch. A
    scalar is taken as already averaged over this replica's batch.
    """
    value = tf.cast(value, tf.float32)
    rank = value.shape.rank
    if rank == 1:
        return tf.nn.compute_average_loss(value)
    if rank == 0:
        return value / tf.distribute.get_strategy().num_replicas_in_sync
    raise ValueError(f"Loss term {name!r} has shape {value.shape}; return per-example values (B,) or a scalar.")


def average_terms(values, loss_names, allowed_monitors, hook):
    """Checks a hook's dict against its declared names; returns ``(total, averages)``."""
    returned = set(values)
    missing = set(loss_names) - returned
    unknown = returned - set(loss_names) - set(allowed_monitors)
    if missing or unknown:
        raise ValueError(
            f"{hook} returned terms {sorted(returned)}; declared losses {list(loss_names)} "
            f"(missing {sorted(missing)}) and monitors {list(allowed_monitors)} (unknown {sorted(unknown)})."
        )
    averages = {name: global_average(value, name) for name, value in values.items()}
    total = tf.add_n([averages[name] for name in loss_names])
    return total, averages


def update_trackers(trackers, names, d_total, d_terms, g_total, g_terms):
    """Feeds each tracker the replica-local mean of its term; returns the logs."""
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    values = {"d_loss": d_total, "g_loss": g_total, **d_terms, **g_terms}
    for name, tracker in trackers.items():
        if name in values:
            tracker.update_state(values[name] * replicas)
    return {name: tracker.result() for name, tracker in trackers.items()}
