"""The serving contract every model family states once.

A model declares named input specs and a function for each endpoint:

| endpoint | inputs (by family) | outputs |
|---|---|---|
| ``serving_default`` | ``noise`` [+ ``label``]; ``mel``; ``noisy``; ``waveform``; ... | ``waveform`` (+ ``log_mel``, ``probabilities``, ``label``) |
| ``generate`` (models that make audio from nothing) | ``num``, ``seed`` [+ ``label``, ``seconds``, ``temperature``] | as ``serving_default`` |
| ``resynthesize`` (vocoders) | ``waveform`` | ``waveform``, ``log_mel`` |

``serving_default`` is what TF Serving calls; ``generate`` draws its own
randomness in-graph from ``seed``, so the same seed gives the same audio
from a training run and from its SavedModel. Export, reload, generation,
the sample writer and the CLI use only this contract, through
`ServingMixin` (a Keras model) or `gan_audio.export.ServedModel` (a
reloaded SavedModel), which share `synthesize` and `check_inputs` below.
"""
import weakref

import numpy as np
import tensorflow as tf

from gan_audio.argument_checks import clip_labels, integer

SERVING_DEFAULT = "serving_default"
GENERATE = "generate"
RESYNTHESIZE = "resynthesize"  # vocoders: waveform → its log-mel → waveform

_TRACED = weakref.WeakKeyDictionary()  # model -> {endpoint: tf.function}


class ServingMixin:
    """What a model implements to be served, exported and sampled.

    Implement `serving_inputs` and `serve`; models that generate audio from
    nothing also implement `generation_inputs` and `generate_audio`.
    `serving_metadata` describes the audio (``sample_rate``, and what
    generation needs: ``num_classes``, ``generation_defaults``).
    `serving_tasks` says what the model does (`gan_audio.serving_tasks.TASKS`).
    """

    #: What the model does (`gan_audio.serving_tasks.TASKS`); each family declares it.
    serving_tasks = None
    #: Whether every endpoint is tested computing in float16/bfloat16 (`gan_audio.precision`); a family
    #: declares it once `tests/test_precision.py` covers it.
    serves_in_reduced_precision = False

    def serving_inputs(self):
        """``{name: tf.TensorSpec}`` of ``serving_default``."""
        raise NotImplementedError(f"{type(self).__name__} does not declare its serving inputs.")

    def serve(self, **inputs):
        """The ``serving_default`` computation: named inputs → dict with ``waveform``."""
        raise NotImplementedError(f"{type(self).__name__} does not implement serve().")

    def generation_inputs(self):
        """``{name: tf.TensorSpec}`` of ``generate``, or None when the model
        only transforms audio it is given."""
        return None

    def generate_audio(self, **inputs):
        """The ``generate`` computation (seeded in-graph randomness)."""
        raise NotImplementedError(f"{type(self).__name__} does not generate audio from nothing.")

    def serving_metadata(self):
        """JSON-able facts a caller needs: ``sample_rate`` at least."""
        return {"sample_rate": int(self.sample_rate)}

    # ------------------------------------------------------------ derived
    def endpoints(self):
        """``{endpoint name: (function, input specs)}`` of this model."""
        found = {SERVING_DEFAULT: (self.serve, self.serving_inputs())}
        generation = self.generation_inputs()
        if generation is not None:
            found[GENERATE] = (self.generate_audio, generation)
        return found

    @property
    def endpoint_names(self):
        return sorted(self.endpoints())

    def endpoint_specs(self, name):
        return _specs_of(self.endpoints(), name, type(self).__name__)

    def endpoint_function(self, name):
        """The endpoint traced once as a `tf.function` with its input signature,
        the same graph an export runs (Griffin-Lim amplifies eager/graph rounding)."""
        traced = _TRACED.setdefault(self, {})
        if name not in traced:
            specs = self.endpoint_specs(name)
            fn = self.endpoints()[name][0]

            def endpoint(inputs):
                return fn(**inputs)

            traced[name] = tf.function(endpoint, input_signature=[specs])
        return traced[name]

    def run_endpoint(self, name, **inputs):
        """Runs an endpoint on named inputs; returns a dict of numpy arrays."""
        tensors = check_inputs(self.endpoint_specs(name), inputs, type(self).__name__)
        return {k: np.asarray(v) for k, v in self.endpoint_function(name)(tensors).items()}

    def synthesize(self, num, labels=None, seed=None, **options):
        """`num` generated clips as numpy arrays (``waveform``, ...); see `synthesize`."""
        return synthesize(self, num, labels=labels, seed=seed, **options)


def _specs_of(endpoints, name, owner):
    if name not in endpoints:
        if name == GENERATE:
            inputs = ", ".join(endpoints[SERVING_DEFAULT][1]) if SERVING_DEFAULT in endpoints else "?"
            raise ValueError(f"{owner} does not generate audio from nothing: it takes {inputs}.")
        raise ValueError(f"{owner} has no endpoint {name!r}; it has {sorted(endpoints)}.")
    return endpoints[name][1]


def check_inputs(specs, inputs, owner="the model"):
    """Named inputs → tensors of the specs' dtypes; a clear error for missing,
    unknown or mis-shaped inputs."""
    unknown, missing = sorted(set(inputs) - set(specs)), sorted(set(specs) - set(inputs))
    if unknown or missing:
        raise ValueError(f"{owner} takes inputs {sorted(specs)}; missing {missing}, unknown {unknown}.")
    tensors = {}
    for name, spec in specs.items():
        value = tf.convert_to_tensor(np.asarray(inputs[name]), dtype=spec.dtype)
        if not spec.shape.is_compatible_with(value.shape):
            raise ValueError(f"{owner}: input {name!r} has shape {value.shape.as_list()}, expected {spec.shape}.")
        tensors[name] = value
    return tensors


def generation_request(specs, metadata, num, labels=None, seed=0, **options):
    """The ``generate`` inputs for `num` clips, checked against what the model takes.

    Args:
        specs: the ``generate`` input specs.
        metadata: the model's `serving_metadata()` (``num_classes``,
            ``generation_defaults``).
        num: int >= 1, clips to generate.
        labels: None, an int, or one int per clip (label-conditional models).
        seed: int, the seed of the in-graph randomness.
        **options: further inputs by name (``seconds``, ``temperature``, ...);
            None means the model's default. ``seconds`` is converted at the
            model's ``sample_rate`` to the input its metadata names
            ``length_input`` (e.g. WaveNet's ``num_samples``) when it takes no
            ``seconds`` itself.
    """
    integer("num", num)
    request = {"num": int(num), "seed": int(seed)}
    num_classes = metadata.get("num_classes")
    if "label" in specs:
        request["label"] = clip_labels(labels, num, num_classes)
    elif labels is not None:
        raise ValueError(f"This model is not label-conditional: it takes no label (its inputs: {', '.join(specs)}).")
    length = metadata.get("length_input")  # the input that counts samples at its rate, as the model declares
    if options.get("seconds") is not None and "seconds" not in specs and length in specs:
        options[length] = max(1, int(round(float(options.pop("seconds")) * metadata["sample_rate"])))
    defaults = metadata.get("generation_defaults") or {}
    for name, value in {**defaults, **{k: v for k, v in options.items() if v is not None}}.items():
        if name not in specs:
            raise ValueError(f"This model's generation takes no {name!r} (its inputs: {', '.join(specs)}).")
        request[name] = value
    return request


def synthesize(target, num, labels=None, seed=None, **options):
    """Runs `target`'s ``generate`` endpoint for `num` clips; `target` is a
    `ServingMixin` model or a `ServedModel`. Returns numpy arrays by name.
    `seed` None takes ``target.next_seed()`` (the next of its inference
    stream; training draws are untouched).

    A model whose metadata names a ``generation_endpoint`` (same inputs, same
    draws, faster) is run through it, and through ``generate`` where that one
    cannot run (`tf.errors.UnimplementedError`, e.g. no XLA compiler)."""
    specs, metadata = target.endpoint_specs(GENERATE), target.serving_metadata()  # refuses a non-generator
    if seed is None:
        seed = target.next_seed()
    request = generation_request(specs, metadata, num, labels, seed, **options)
    faster = metadata.get("generation_endpoint")  # the same draws by a faster route (e.g. compiled by XLA)
    if faster and faster != GENERATE and faster in target.endpoint_names:
        try:
            return target.run_endpoint(faster, **request)
        except tf.errors.UnimplementedError:  # it cannot be compiled where this runs: the portable endpoint
            pass
    return target.run_endpoint(GENERATE, **request)
