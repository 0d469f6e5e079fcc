"""Starting a run from another model's weights (fine-tuning): from an export, by what its endpoints read, or
from a run, in order.

An export holds only what its signatures read (a GAN's generator and codec, a denoiser's whole network), and
weight paths are not unique in a model (a GAN's generator, its average and its discriminator all have a
``dense_0/kernel``), so an export's weights are matched signature by signature: the variables one signature
of the export reads against the variables the same endpoint of `model` reads, by name and shape (unique
within one endpoint, checked).

Example:
    >>> from gan_audio.models import WaveNetDenoiser
    >>> model = WaveNetDenoiser.from_preset("default", seed=0)
    >>> copied = copy_weights_from(model, "saved_models/wavenet_denoiser")  # doctest: +SKIP
"""
import os

import numpy as np


def _keyed(variables, where):
    """``{(name, shape): variable}`` of one function's variables; a repeated key is an error (ambiguous)."""
    keyed = {}
    for v in variables:
        key = (v.name.rsplit(":", 1)[0], tuple(v.shape))
        if key in keyed and keyed[key] is not v:
            raise ValueError(f"{where} reads two weights named {key[0]} of shape {key[1]}: they cannot be told apart.")
        keyed[key] = v
    return keyed


def copy_export_weights(model, source, partial=False):
    """Sets every weight an endpoint of `model` reads to the weight the same signature of the export `source`
    reads; returns the weights of `model.weights` it set (the others, e.g. a GAN's discriminator, are untouched).
    With `partial`, an endpoint of `model` may read weights the export's does not (a layer the model adds,
    which keeps its initial values).

    Raises:
        ValueError: `source` lacks one of `model`'s endpoints, or one signature reads other weights (names and
            shapes listed) than the same endpoint of `model` (`partial`: weights `model`'s does not read).
    """
    import tensorflow as tf

    from gan_audio.export import resolve_version

    loaded = tf.saved_model.load(resolve_version(source))
    copied = set()
    for name in model.endpoints():
        if name not in loaded.signatures:
            raise ValueError(f"{source} does not fit this model: it has no {name!r} signature "
                             f"(it has {sorted(loaded.signatures)})")
        ours = _keyed(model.endpoint_function(name).get_concrete_function().variables,
                      f"{type(model).__name__}.{name}")
        theirs = _keyed(loaded.signatures[name].variables, f"{source} {name}")
        if set(theirs) - set(ours) or (set(ours) - set(theirs) and not partial):
            missing = sorted(f"{n} {s}" for n, s in set(ours) - set(theirs))
            extra = sorted(f"{n} {s}" for n, s in set(theirs) - set(ours))
            raise ValueError(f"{source} does not fit this model: its {name!r} signature lacks {missing[:5]}"
                             f"{' ...' if len(missing) > 5 else ''} and holds {extra[:5]}"
                             f"{' ...' if len(extra) > 5 else ''}")
        for key, variable in ours.items():
            if key not in theirs:
                continue
            variable.assign(theirs[key])
            copied.add(id(variable))
    return [w for w in model.weights if id(w.value) in copied]


def _copy_from_run(model, folder):
    """A run's model is rebuilt from its config, so its weights come in the same order (paths of nested
    layers are not unique, e.g. the discriminators' ``conv_1/g``): copied in order, shapes checked."""
    from gan_audio.checkpoints import load_run

    source, _ = load_run(folder)
    targets = [w for w in model.weights if "seed_generator" not in w.path]
    weights = [w for w in source.weights if "seed_generator" not in w.path]
    shapes = [f"{a.path} {tuple(a.shape)} vs {tuple(b.shape)}" for a, b in zip(targets, weights)
              if tuple(a.shape) != tuple(b.shape)]
    if len(targets) != len(weights) or shapes:
        raise ValueError(f"{folder} does not fit this model: {len(weights)} weights for {len(targets)}"
                         f"{'; other shapes ' + ', '.join(shapes[:5]) if shapes else ''}")
    for target, weight in zip(targets, weights):
        target.assign(np.asarray(weight))
    return len(targets)


def start_from_export(model, source, partial=False):
    """`copy_export_weights`, and a generator average's weights, when set, also start the generator (the
    export holds the average, what samples; training goes on from there); returns the weights set."""
    copied = copy_export_weights(model, source, partial)
    ids = {id(w) for w in copied}
    average = getattr(model, "averaged_generator", None)
    if average is not None and any(id(w) in ids for w in average.weights):
        from gan_audio.models.adversarial.generator_average import without_seed_states

        for weight, averaged in zip(without_seed_states(model.generator.weights), without_seed_states(average.weights)):
            weight.assign(averaged)
            copied.append(weight)
    return copied


def copy_weights_from(model, source, partial=False):
    """Set the weights of `model` (built) from `source`: an export (``saved_models/NAME[/VERSION]``,
    `start_from_export`) or a run folder (every weight); returns how many were copied.

    Args:
        model: the model to start from `source`.
        source: str, an export or a run folder.
        partial: bool, accept an export that holds only some of `model`'s weights (a GAN's export holds
            its generator, not its discriminator, which then keeps its initial weights; a layer the model
            adds, such as a pitch-excited WaveNet's ``source_embedding``, keeps its initial weights too).

    Raises:
        ValueError: `source` does not hold one of the weights its endpoints read, holds it with another
            shape, or (`partial` False) leaves some of `model`'s weights unset (all named), so a
            fine-tuning run never starts half-initialised by accident.
    """
    if os.path.exists(os.path.join(source, "config.json")):
        return _copy_from_run(model, source)
    copied = {id(w) for w in start_from_export(model, source, partial)}
    targets = [w for w in model.weights if "seed_generator" not in w.path]
    left = [w.path for w in targets if id(w) not in copied]
    if left and not partial:
        raise ValueError(f"{source} does not fit this model: it sets {len(targets) - len(left)} of its "
                         f"{len(targets)} weights, not {left[:5]}{' ...' if len(left) > 5 else ''}")
    return len(targets) - len(left)
