"""SavedModel export in the TF Serving layout, and loading it back.

`export_saved_model(model, "saved_models/NAME")` writes
`saved_models/NAME/<integer version>/`: a SavedModel with the model's
endpoints as named signatures (`serving_default`, and `generate` for models
that make audio from nothing; see `gan_audio.serving`), and
`gan_audio.json` beside `saved_model.pb` (class, config, serving metadata,
the input specs of every signature). TF Serving serves the highest version.

What is exported is what serving runs and nothing else: only the
variables the endpoints read (a GAN's generator and codec; no
discriminator, no optimizer state), each stored once, and each endpoint's
graph once, as a signature. (Keras 3.15's `ExportArchive.track(layer)`
lists every `keras.Variable` beside the `tf.Variable` it wraps, and both
are written: the weights twice, keras-team/keras#23553; and its endpoints
are saved both as attributes and as signatures, every graph twice. The
export is written with `tf.saved_model.save` from a module holding the
variables the signatures capture: what TF Serving and `ServedModel` read,
in about half the bytes.)
"""
import json
import os
import random
import re
import shutil

import numpy as np
import tensorflow as tf

from gan_audio import serving
from gan_audio.serving_tasks import tasks_of

CONFIG_FILE = "gan_audio.json"


def _versions(directory):
    if not os.path.isdir(directory):
        return []
    return sorted(int(d) for d in os.listdir(directory) if re.fullmatch(r"\d+", d))


def _spec_json(specs):
    return {name: {"shape": spec.shape.as_list() if spec.shape.rank is not None else None, "dtype": spec.dtype.name}
            for name, spec in specs.items()}


def export_saved_model(model, directory, version=None, metadata=None, dtype_policy=None):
    """Exports `model` for TF Serving; returns the version folder.

    Args:
        model: a model implementing the serving contract
            (`gan_audio.serving.ServingMixin`: every family of the zoo).
        directory: str, `saved_models/NAME`; versions go below it.
        version: int or None (None → one more than the highest present).
        metadata: dict or None, extra JSON written into `gan_audio.json`
            (e.g. the label vocabulary as ``class_names``).
        dtype_policy: None (the model's) or a Keras policy of
            `gan_audio.precision.SERVING_POLICIES`: the export computes in it
            (``mixed_float16``: a WaveNet generates 1.1-1.25 times as fast on
            CPU; other draws than float32's), recorded as its metadata's
            ``dtype_policy``.

    Example:
    ```python
    import tempfile

    import numpy as np
    from gan_audio.models import DenseGAN

    model = DenseGAN.from_preset("tiny", seed=0)
    folder = tempfile.mkdtemp()                                   # e.g. saved_models/dense_gan
    path = export_saved_model(model, folder)                      # folder/1
    served = load_saved_model(folder)
    served(noise=np.zeros((1, model.latent_dim), "float32"))     # serving_default
    served.synthesize(4, seed=0)                                  # generate
    ```
    """
    if not hasattr(model, "endpoints"):
        raise TypeError(f"{type(model).__name__} does not implement the serving contract (gan_audio.serving).")
    existing = _versions(directory)
    if version is None:
        version = (existing[-1] + 1) if existing else 1
    if int(version) < 1:
        raise ValueError(f"`version` must be a positive integer, got {version}.")
    path = os.path.join(directory, str(int(version)))
    if os.path.exists(path):
        raise FileExistsError(f"{path} exists; pass another `version` or remove it.")
    if dtype_policy is not None:
        from gan_audio.precision import with_dtype_policy

        model = with_dtype_policy(model, dtype_policy)
        metadata = {**(metadata or {}), "dtype_policy": dtype_policy}
    endpoints = model.endpoints()
    signatures = {name: model.endpoint_function(name).get_concrete_function() for name in endpoints}
    root = tf.Module()
    root.weights_read = _read_variables(signatures.values())
    # Written under a temporary name and renamed: TF Serving polls the folder
    # and must never see a half-written version.
    partial = os.path.join(directory, f".{int(version)}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    tf.saved_model.save(root, partial, signatures=signatures)
    info = {
        "class_name": type(model).__name__,
        "config": model.get_config(),
        "metadata": {**model.serving_metadata(), "tasks": list(tasks_of(model)), **(metadata or {})},
        "signatures": {name: _spec_json(specs) for name, (_, specs) in endpoints.items()},
    }
    with open(os.path.join(partial, CONFIG_FILE), "w") as f:
        json.dump(info, f, indent=2, default=str)
    os.replace(partial, path)
    return path


def _read_variables(functions):
    """The variables the traced `functions` capture, each once, in the order first read."""
    seen, found = set(), []
    for function in functions:
        for variable in function.variables:
            if variable.ref() not in seen:
                seen.add(variable.ref())
                found.append(variable)
    return found


def resolve_version(path):
    """`saved_models/NAME` → its highest version folder; a version folder stays."""
    if os.path.exists(os.path.join(path, "saved_model.pb")):
        return path
    versions = _versions(path)
    if not versions:
        raise FileNotFoundError(
            f"{path!r} is neither a training run (a folder with config.json) nor a SavedModel export "
            "(saved_models/NAME with integer version folders, or one version folder with saved_model.pb)."
        )
    return os.path.join(path, str(versions[-1]))


class ServedModel:
    """A reloaded export, called through the same contract as the Keras model.

    `served(**inputs)` runs `serving_default` (what TF Serving calls);
    `served.run_endpoint(name, **inputs)` any signature;
    `served.synthesize(num, labels, seed)` the `generate` signature. Results
    are dicts of numpy arrays. `served.metadata` holds the serving metadata
    (``sample_rate``, ``class_names``, ...) written at export.
    """

    def __init__(self, path):
        self.path = resolve_version(path)
        self._loaded = tf.saved_model.load(self.path)
        config_path = os.path.join(self.path, CONFIG_FILE)
        self.info = json.load(open(config_path)) if os.path.exists(config_path) else {}
        self.metadata = {**_inferred_metadata(self.info), **self.info.get("metadata", {})}
        self._seeds = random.Random(0)  # synthesize(seed=None): 0 seeds the stream, as a model's seed does

    @property
    def endpoint_names(self):
        return sorted(self._loaded.signatures.keys())

    def endpoint_specs(self, name):
        if name not in self._loaded.signatures:
            endpoints = {n: (None, self._specs(n)) for n in self.endpoint_names}
            return serving._specs_of(endpoints, name, self.path)
        return self._specs(name)

    def _specs(self, name):
        return dict(self._loaded.signatures[name].structured_input_signature[1])

    @property
    def input_names(self):
        """Inputs of `serving_default`."""
        return sorted(self.endpoint_specs(serving.SERVING_DEFAULT))

    @property
    def sample_rate(self):
        return self.metadata.get("sample_rate")

    def serving_metadata(self):
        return self.metadata

    def run_endpoint(self, name, **inputs):
        tensors = serving.check_inputs(self.endpoint_specs(name), inputs, self.path)
        return {k: np.asarray(v) for k, v in self._loaded.signatures[name](**tensors).items()}

    def __call__(self, **inputs):
        return self.run_endpoint(serving.SERVING_DEFAULT, **inputs)

    def next_seed(self):
        """The seed `synthesize(seed=None)` uses: the next of this object's stream (reproducible per load)."""
        return self._seeds.randrange(2**31 - 1)

    def synthesize(self, num, labels=None, seed=None, **options):
        """`num` generated clips from the `generate` signature (see `gan_audio.serving.synthesize`), the
        model's `synthesize(num, labels, seed)`: `seed` None takes `next_seed()`."""
        return serving.synthesize(self, num, labels=labels, seed=seed, **options)

    def generate(self, num, labels=None, seed=None, **options):
        """`num` generated clips as numpy audio ``(num, samples)``: the model's `generate`."""
        return self.synthesize(num, labels=labels, seed=seed, **options)["waveform"]


def _inferred_metadata(info):
    """What exports written before a metadata key existed imply about it (the one place it is inferred):
    a semi-supervised GAN classifies the centred ``clip_seconds`` (``window_seconds``); a WaveNet's
    generation length is its ``num_samples`` (``length_input``)."""
    inferred = {}
    if info.get("class_name") in ("SemiSupervisedGAN", "SGANClassifier") and "clip_seconds" in info.get("config", {}):
        inferred["window_seconds"] = float(info["config"]["clip_seconds"])
    if info.get("class_name") == "WaveNet" and "num_samples" in info.get("signatures", {}).get(serving.GENERATE, {}):
        inferred["length_input"] = "num_samples"
    return inferred


def load_saved_model(path):
    """Loads an export written by `export_saved_model` (see `ServedModel`)."""
    return ServedModel(path)
