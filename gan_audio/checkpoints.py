"""Crash-safe run files: one checkpoint that holds its own resume state.

A run's checkpoint is its `model.keras`: the weights, the optimizer state,
the noise state and, as one more member of the same zip archive, the resume
state (``{"epochs_done": int, "interrupted": bool}``). It is written under
a temporary name, flushed to disk and renamed over the previous one, so a
`kill -9` at any moment leaves either the previous or the new checkpoint,
complete, and never weights of one epoch with the state of another.

Only the chief of a multi-worker job writes run files (`is_chief`). `load_run` reads a run back (its
`config.json` and checkpoint), for training, generation, export and fine-tuning alike.
"""
import io
import json
import os
import zipfile

import keras
import numpy as np

from gan_audio.atomic_files import fsync_folder
from gan_audio.registry import get_family

CHECKPOINT_FILE = "model.keras"
CONFIG_FILE = "config.json"  # a run's settings, model and compile config

STATE_MEMBER = "gan_audio_state.json"
SEED_MEMBER = "gan_audio_seed_states.npz"


def is_chief():
    """Whether this process writes run files: True unless `TF_CONFIG` (or the
    current strategy's cluster resolver) names another task as the chief."""
    import tensorflow as tf

    resolver = getattr(tf.distribute.get_strategy(), "cluster_resolver", None)
    if resolver is not None and getattr(resolver, "task_type", None):
        task_type, task_id = resolver.task_type, resolver.task_id
        has_chief = "chief" in resolver.cluster_spec().as_dict()
    else:
        config = json.loads(os.environ.get("TF_CONFIG") or "{}")
        task = config.get("task") or {}
        task_type, task_id = task.get("type"), int(task.get("index", 0))
        has_chief = "chief" in (config.get("cluster") or {})
    if task_type in (None, "chief"):
        return True
    return task_type == "worker" and task_id == 0 and not has_chief


def save_checkpoint(model, path, state):
    """Saves `model` (with optimizer and noise state) and `state` to `path` atomically."""
    if not path.endswith(".keras"):
        raise ValueError(f"A checkpoint path must end in .keras, got {path!r}.")
    partial = path[: -len(".keras")] + ".partial.keras"
    model.save(partial)
    seeds = io.BytesIO()
    np.savez(seeds, **{str(i): np.asarray(g.state) for i, g in enumerate(seed_generators(model))})
    with zipfile.ZipFile(partial, "a") as archive:
        archive.writestr(STATE_MEMBER, json.dumps(state))
        archive.writestr(SEED_MEMBER, seeds.getvalue())
    with open(partial, "rb") as f:
        os.fsync(f.fileno())
    os.replace(partial, path)
    fsync_folder(path)


def seed_generators(model):
    """Every `keras.random.SeedGenerator` of `model` and its layers (Dropout, GaussianNoise, PhaseShuffle,
    the latent noise ...), in layer order: the same order in a model rebuilt from the same config."""
    found, seen = [], set()
    for layer in model._flatten_layers(include_self=True, recursive=True):
        for generator in getattr(layer, "_seed_generators", ()):
            if id(generator) not in seen:
                seen.add(id(generator))
                found.append(generator)
    return found


def restore_seed_states(model, path):
    """Sets the seed generators of `model` (loaded from checkpoint `path`) to their saved states: Keras saves
    weights, not random states, and a resumed run must draw what the uninterrupted run would have drawn.
    A checkpoint from before seed states were saved is left as loaded."""
    with zipfile.ZipFile(path) as archive:
        if SEED_MEMBER not in archive.namelist():
            return 0
        states = np.load(io.BytesIO(archive.read(SEED_MEMBER)))
        generators = seed_generators(model)
        if len(states.files) != len(generators):
            raise ValueError(f"{path}: {len(states.files)} saved random states for a model with "
                             f"{len(generators)} seed generators.")
        for i, generator in enumerate(generators):
            generator.state.assign(states[str(i)])
    return len(generators)


def read_checkpoint_state(path):
    """The resume state stored in checkpoint `path`, or None when there is none."""
    if not os.path.exists(path):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            if STATE_MEMBER not in archive.namelist():
                return None
            return json.loads(archive.read(STATE_MEMBER))
    except zipfile.BadZipFile:
        raise ValueError(f"{path} is not a complete checkpoint (not a zip archive).") from None


def load_run(run_dir):
    """`(model, config)` of a run folder: the model as last checkpointed,
    compiled as it was trained, with its optimizer state."""
    config_path = os.path.join(run_dir, CONFIG_FILE)
    if not os.path.exists(config_path):
        raise FileNotFoundError(f"{run_dir!r} is not a training run (no {CONFIG_FILE}).")
    checkpoint = os.path.join(run_dir, CHECKPOINT_FILE)
    if read_checkpoint_state(checkpoint) is None:
        raise FileNotFoundError(f"{run_dir!r} has no checkpoint yet ({CHECKPOINT_FILE}): it has not finished an epoch.")
    with open(config_path) as f:
        config = json.load(f)
    get_family(config["family"]).model_class  # imports (registers) the family's classes
    model = keras.saving.load_model(checkpoint)
    restore_seed_states(model, checkpoint)
    return model, config
