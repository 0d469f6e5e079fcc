"""A moving average of a generator's weights: its copy, one averaging step, the warmed-up decay."""
import keras
import tensorflow as tf


def without_seed_states(variables):
    """`variables` without the layers' seed states (a copy or a restore must not replay their draws)."""
    return [v for v in variables if "seed_generator" not in v.path]


def average_of(generator):
    """A copy of `generator` (`keras.models.clone_model`) holding its current weights: an average's start."""
    if not generator.built:
        raise ValueError(f"{generator.name}: a moving average needs a built generator.")
    copy = keras.models.clone_model(generator)
    for average, weight in zip(without_seed_states(copy.weights), without_seed_states(generator.weights)):
        average.assign(weight)
    copy.trainable = False
    return copy


def warmed_up_decay(decay, step):
    """``min(decay, (1 + t) / (10 + t))`` after the t-th update: short runs do not average in initial weights."""
    t = tf.cast(step, "float32")
    return tf.minimum(float(decay), (1.0 + t) / (10.0 + t))


def step_average(averaged, generator, decay):
    """``a ← d·a + (1 − d)·w`` for each weight of `averaged` (`average_of(generator)`) and of `generator`."""
    for average, weight in zip(without_seed_states(averaged.weights), without_seed_states(generator.weights)):
        average.assign(decay * average + (1.0 - decay) * tf.cast(weight, average.dtype))
