"""SavedModel export in the TF Serving layout, and loading it back.

`export_saved_model(model, "saved_models/NAME")` writes
`saved_models/NAME/<integer version>/` (a SavedModel with a
`serving_default` signature whose inputs and outputs are named) and
`gan_audio.json` beside `saved_model.pb` (the model's config, family and
signature). TF Serving serves the highest version of `saved_models/NAME`.
"""
import json
import os
import re

import keras
import numpy as np
import tensorflow as tf

CONFIG_FILE = "gan_audio.json"


def _versions(directory):
    if not os.path.isdir(directory):
        return []
    return sorted(int(d) for d in os.listdir(directory) if re.fullmatch(r"\d+", d))


def _serving_function(model):
    """`(fn, input_signature)` with named inputs for `model`."""
    serve = getattr(model, "serve", None)
    if serve is None:  # a plain GAN: raw generator samples

        def serve(noise, label=None):
            inputs = noise if model.num_classes is None else [noise, label]
            return {"samples": model.generator(inputs, training=False)}

    noise = tf.TensorSpec((None, model.latent_dim), tf.float32, name="noise")
    if model.num_classes is None:
        return (lambda noise: serve(noise)), [noise]
    label = tf.TensorSpec((None,), tf.int32, name="label")
    return (lambda noise, label: serve(noise, label)), [noise, label]


def export_saved_model(model, directory, version=None, metadata=None):
    """Exports `model` for TF Serving; returns the version folder.

    Args:
        model: a `gan_audio` GAN (any model with `latent_dim`, `num_classes`,
            a `generator`, and optionally `serve(noise, label)`).
        directory: str, `saved_models/NAME`; versions go below it.
        version: int or None (None → one more than the highest present).
        metadata: dict or None, extra JSON written into `gan_audio.json`.

    Example:
    ```python
    path = export_saved_model(model, "saved_models/dense_gan")
    served = load_saved_model("saved_models/dense_gan")
    out = served(noise=np.zeros((1, model.latent_dim), "float32"))
    ```
    """
    existing = _versions(directory)
    if version is None:
        version = (existing[-1] + 1) if existing else 1
    if int(version) < 1:
        raise ValueError(f"`version` must be a positive integer, got {version}.")
    path = os.path.join(directory, str(int(version)))
    if os.path.exists(path):
        raise FileExistsError(f"{path} exists; pass another `version` or remove it.")
    fn, signature = _serving_function(model)
    archive = keras.export.ExportArchive()
    # Only what serving runs: the generator and the audio codec (no
    # discriminator, no optimizer state).
    for part in (model.generator, getattr(model, "codec", None)):
        if part is not None:
            archive.track(part)
    archive.add_endpoint("serving_default", tf.function(fn), input_signature=signature)
    archive.write_out(path, verbose=False)
    info = {
        "class_name": type(model).__name__,
        "config": model.get_config(),
        "inputs": {spec.name: {"shape": spec.shape.as_list(), "dtype": spec.dtype.name} for spec in signature},
        "sample_rate": getattr(model, "sample_rate", None),
        **(metadata or {}),
    }
    with open(os.path.join(path, CONFIG_FILE), "w") as f:
        json.dump(info, f, indent=2, default=str)
    return path


def resolve_version(path):
    """`saved_models/NAME` → its highest version folder; a version folder stays."""
    if os.path.exists(os.path.join(path, "saved_model.pb")):
        return path
    versions = _versions(path)
    if not versions:
        raise FileNotFoundError(f"No SavedModel in {path!r} (expected saved_model.pb or integer version folders).")
    return os.path.join(path, str(versions[-1]))


class ServedModel:
    """A reloaded export, called like TF Serving's `serving_default`.

    `served(noise=..., label=...)` returns a dict of numpy arrays;
    `served.config` is the `gan_audio.json` written beside it.
    """

    def __init__(self, path):
        self.path = resolve_version(path)
        self._loaded = tf.saved_model.load(self.path)
        self.signature = self._loaded.signatures["serving_default"]
        config_path = os.path.join(self.path, CONFIG_FILE)
        self.config = json.load(open(config_path)) if os.path.exists(config_path) else {}

    @property
    def input_names(self):
        return sorted(self.signature.structured_input_signature[1])

    @property
    def latent_dim(self):
        return int(self.signature.structured_input_signature[1]["noise"].shape[-1])

    @property
    def sample_rate(self):
        return self.config.get("sample_rate")

    def __call__(self, **inputs):
        unknown = set(inputs) - set(self.input_names)
        missing = set(self.input_names) - set(inputs)
        if unknown or missing:
            raise ValueError(f"{self.path} takes inputs {self.input_names}; missing {sorted(missing)}, unknown {sorted(unknown)}.")
        specs = self.signature.structured_input_signature[1]
        tensors = {k: tf.convert_to_tensor(v, dtype=specs[k].dtype) for k, v in inputs.items()}
        return {k: np.asarray(v) for k, v in self.signature(**tensors).items()}


def load_saved_model(path):
    """Loads an export written by `export_saved_model` (see `ServedModel`)."""
    return ServedModel(path)
