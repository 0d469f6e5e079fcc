"""Starting a run from another model's weights (fine-tuning): by weight path, from an export or a run.

Example:
    >>> from gan_audio.models import WaveNetDenoiser
    >>> model = WaveNetDenoiser.from_preset("default", seed=0)
    >>> copied = copy_weights_from(model, "saved_models/wavenet_denoiser")  # doctest: +SKIP
"""
import os

import numpy as np


def _export_weights(folder):
    import tensorflow as tf

    from gan_audio.export import resolve_version

    loaded = tf.saved_model.load(resolve_version(folder))
    variables = getattr(loaded, "_all_variables", None)
    if not variables:
        raise ValueError(f"{folder}: the export holds no weights to start from")
    return {v.name.rsplit(":", 1)[0]: v.numpy() for v in variables}


def _copy_from_run(model, folder):
    """A run's model is rebuilt from its config, so its weights come in the same order (paths of nested
    layers are not unique, e.g. the discriminators' ``conv_1/g``): copied in order, shapes checked."""
    from gan_audio.training import load_run

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


def copy_weights_from(model, source):
    """Set every weight of `model` (built) to the weight of the same path and shape in `source`
    (an export, ``saved_models/NAME[/VERSION]``, or a run folder); returns how many were copied.

    Raises:
        ValueError: `source` lacks one of the model's weights or holds it with another shape (all are
            named), so a fine-tuning run never starts half-initialised.
    """
    if os.path.exists(os.path.join(source, "config.json")):
        return _copy_from_run(model, source)
    weights = _export_weights(source)
    targets = [w for w in model.weights if "seed_generator" not in w.path]
    missing = [w.path for w in targets if w.path not in weights]
    shapes = [f"{w.path} {tuple(w.shape)} vs {weights[w.path].shape}" for w in targets
              if w.path in weights and tuple(w.shape) != weights[w.path].shape]
    if missing or shapes:
        raise ValueError(f"{source} does not fit this model: missing {missing[:5]}{' ...' if len(missing) > 5 else ''}"
                         f"{'; other shapes ' + ', '.join(shapes[:5]) if shapes else ''}")
    for w in targets:
        w.assign(weights[w.path])
    return len(targets)
