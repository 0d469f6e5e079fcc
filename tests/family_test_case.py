"""The checks every model family runs (keras-hub's TestCase style).

A family's test subclasses `FamilyTestCase`, sets `model_class`,
`init_kwargs` (a tiny model) and `preset` (its compile keywords are made
afresh for every model: optimizers are not shared) or `compile_kwargs`,
and implements
`train_dataset(model)` and `example_inputs(model)` (named inputs of its
``serving_default``). The `run_*` checks use only the serving contract and
`keras.Model.fit`, so GANs and plain Keras models (WaveNet, the denoiser)
are checked alike:

- `run_serialization_test`: `from_config(get_config())` rebuilds the same
  config, JSON-able, with the same weight shapes;
- `run_fit_test`: a short `fit` gives finite metrics and changes every network;
- `run_saving_test`: `.keras` save/load after `import gan_audio` gives the
  same config and the same outputs;
- `run_export_test`: export, reload in a fresh process, same named outputs
  from every endpoint, each weight and each endpoint's graph stored once;
- `run_mixed_precision_test`: under `mixed_float16` the optimizers scale the
  loss, a fit step is finite and changes the weights, outputs are float32.
"""
import json
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np

from gan_audio.serving import GENERATE, SERVING_DEFAULT

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def weights_of(network):
    return [np.array(v) for v in network.trainable_variables]


def as_json(config):
    """A config as stored on disk (tuples and lists are the same there)."""
    return json.loads(json.dumps(config, default=str))


def networks_of(model):
    return getattr(model, "networks", None) or {"model": model}


def run_in_fresh_python(script, timeout=300):
    """Runs `script` in a new interpreter (no state shared with the tests)."""
    env = dict(os.environ, PYTHONPATH=REPO, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


class FamilyTestCase:
    model_class = None
    init_kwargs = {}
    preset = None
    compile_kwargs = {}
    generation_request = {"num": 3, "seed": 7}  # + "label" for conditional models

    # ------------------------------------------------------- family-specific
    def train_dataset(self, model):
        raise NotImplementedError

    def example_inputs(self, model):
        raise NotImplementedError

    def make_model(self, **overrides):
        model = self.model_class(**{**self.init_kwargs, **overrides})
        self.train_data = self.train_dataset(model)
        model.compile(**(self.model_class.compile_kwargs(self.preset) if self.preset else self.compile_kwargs))
        return model

    def other_endpoint_inputs(self, model):
        """Inputs of endpoints beyond ``serving_default`` and ``generate`` (e.g. a vocoder's)."""
        return {}

    def endpoint_inputs(self, model):
        """Example inputs for every endpoint of `model`."""
        inputs = {SERVING_DEFAULT: self.example_inputs(model), **self.other_endpoint_inputs(model)}
        if GENERATE in model.endpoints():
            inputs[GENERATE] = self.request(model)
        missing = set(model.endpoints()) - set(inputs)
        assert not missing, f"no example inputs for the endpoints {sorted(missing)}"
        return inputs

    def outputs_of(self, model):
        """Every endpoint's outputs on the example inputs, through traced functions."""
        return {name: model.run_endpoint(name, **inputs) for name, inputs in self.endpoint_inputs(model).items()}

    def request(self, model):
        request = dict(self.generation_request)
        if "label" in model.endpoint_specs(GENERATE):
            request["label"] = np.arange(request["num"], dtype="int32") % model.serving_metadata()["num_classes"]
        return request

    @staticmethod
    def assert_same_outputs(actual, expected, tolerance):
        assert sorted(actual) == sorted(expected)
        for endpoint in expected:
            assert sorted(actual[endpoint]) == sorted(expected[endpoint]), endpoint
            assert {"waveform", "probabilities"} & set(expected[endpoint]), f"{endpoint}: no waveform or probabilities"
            for key, value in expected[endpoint].items():
                np.testing.assert_allclose(actual[endpoint][key], value, rtol=tolerance, atol=tolerance,
                                           err_msg=f"{endpoint}/{key}")

    # ---------------------------------------------------------------- checks
    def run_serialization_test(self, model):
        config = model.get_config()
        clone = type(model).from_config(as_json(config))  # as read back from config.json
        assert as_json(clone.get_config()) == as_json(config)
        assert [v.shape for v in clone.weights] == [v.shape for v in model.weights]
        in_process = type(model).from_config(config)  # as `keras.models.clone_model` does: no JSON in between
        assert as_json(in_process.get_config()) == as_json(config)
        return clone

    def run_fit_test(self, model, steps=2):
        before = {name: weights_of(network) for name, network in networks_of(model).items()}
        history = model.fit(self.train_data, epochs=1, steps_per_epoch=steps, verbose=0)
        assert history.history, "fit reported nothing"
        for name, values in history.history.items():
            assert np.isfinite(values[-1]), f"{name} is not finite: {history.history}"
        for name, network in networks_of(model).items():
            after = weights_of(network)
            assert any(not np.allclose(b, a) for b, a in zip(before[name], after)), f"{name} did not change"
        return history

    def run_saving_test(self, model, tmp_path):
        path = os.path.join(str(tmp_path), "model.keras")
        model.save(path)
        expected = self.outputs_of(model)
        script = textwrap.dedent(
            f"""
            import json, keras
            import gan_audio  # alone: it registers every class
            model = keras.saving.load_model({path!r})
            config = json.loads(json.dumps(model.get_config(), default=str))
            print(type(model).__name__, config == {as_json(model.get_config())!r})
            """
        )
        assert run_in_fresh_python(script).split() == [type(model).__name__, "True"]
        restored = keras.saving.load_model(path)
        assert as_json(restored.get_config()) == as_json(model.get_config())
        self.assert_same_outputs(self.outputs_of(restored), expected, 1e-5)
        return restored

    def run_export_test(self, model, tmp_path):
        from gan_audio.export import export_saved_model

        path = export_saved_model(model, os.path.join(str(tmp_path), "export"))
        assert os.path.basename(path) == "1"
        inputs = self.endpoint_inputs(model)
        np.savez(os.path.join(str(tmp_path), "inputs.npz"), **self._flat(inputs))
        script = textwrap.dedent(
            f"""
            import numpy as np
            from gan_audio.export import load_saved_model
            served = load_saved_model({os.path.dirname(path)!r})
            flat = dict(np.load({os.path.join(str(tmp_path), 'inputs.npz')!r}))
            outputs = {{}}
            for endpoint in sorted({{k.split("/")[0] for k in flat}}):
                named = {{k.split("/")[1]: v for k, v in flat.items() if k.startswith(endpoint + "/")}}
                for key, value in served.run_endpoint(endpoint, **named).items():
                    outputs[endpoint + "/" + key] = value
            np.savez({os.path.join(str(tmp_path), 'outputs.npz')!r}, **outputs)
            print(served.endpoint_names)
            """
        )
        printed = run_in_fresh_python(script)
        assert printed.strip().splitlines()[-1] == str(sorted(inputs)), printed
        served = self._nested(dict(np.load(os.path.join(str(tmp_path), "outputs.npz"))))
        self.assert_same_outputs(served, self.outputs_of(model), 1e-4)
        self.assert_weights_stored_once(model, path)
        self.assert_graphs_stored_once(model, path)
        return path

    @staticmethod
    def assert_graphs_stored_once(model, path):
        """Each endpoint's traced graph is in the export once (as its signature, not also as an attribute)."""
        from tensorflow.core.protobuf import saved_model_pb2

        saved = saved_model_pb2.SavedModel()
        with open(os.path.join(path, "saved_model.pb"), "rb") as f:
            saved.ParseFromString(f.read())
        traced = [f.signature.name for f in saved.meta_graphs[0].graph_def.library.function
                  if f.signature.name.startswith("__inference_endpoint_")]
        assert len(traced) == len(model.endpoints()), traced

    @staticmethod
    def assert_weights_stored_once(model, path):
        """The export's variables are those its endpoints read, each stored once."""
        read = {}
        for name in model.endpoints():
            for variable in model.endpoint_function(name).get_concrete_function().variables:
                read[id(variable)] = variable
        expected = sum(int(np.prod(v.shape)) * v.dtype.size for v in read.values())
        folder = os.path.join(path, "variables")
        stored = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        assert expected <= stored <= 1.05 * expected + 64 * 1024, (expected, stored)

    def run_mixed_precision_test(self, steps=6):  # dynamic loss scaling may skip the first steps
        previous = keras.config.dtype_policy()
        keras.config.set_dtype_policy("mixed_float16")
        try:
            model = self.make_model()
            optimizers = [getattr(model, n) for n in ("g_optimizer", "d_optimizer") if hasattr(model, n)]
            for optimizer in optimizers or [model.optimizer]:
                assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer), type(optimizer)
            self.run_fit_test(model, steps=steps)
            for endpoint in self.outputs_of(model).values():
                for key, value in endpoint.items():
                    if np.issubdtype(value.dtype, np.floating):
                        assert value.dtype == np.float32, (key, value.dtype)
                        assert np.all(np.isfinite(value)), key
        finally:
            keras.config.set_dtype_policy(previous)

    def run_shared_checks(self, model, tmp_path):
        """Serialization, a fit step, `.keras` and export round trips; returns the fit history."""
        self.run_serialization_test(model)
        history = self.run_fit_test(model)
        self.run_saving_test(model, tmp_path)
        self.run_export_test(model, tmp_path)
        return history

    # ----------------------------------------------------------------- utils
    @staticmethod
    def _flat(nested):
        return {f"{endpoint}/{key}": value for endpoint, values in nested.items() for key, value in values.items()}

    @staticmethod
    def _nested(flat):
        nested = {}
        for key, value in flat.items():
            endpoint, name = key.split("/")
            nested.setdefault(endpoint, {})[name] = value
        return nested
