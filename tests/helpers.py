"""Checks every model family runs on its `tiny` preset (keras-hub style).

Each `run_*` helper asserts behaviour that could fail: configs that do not
round-trip, a step that leaves a network untouched, a save or an export
that changes the numbers.
"""
import json
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _weights(network):
    return [np.array(v) for v in network.trainable_variables]


def _changed(before, after):
    return any(not np.allclose(b, a) for b, a in zip(before, after))


def run_serialization_test(model):
    """`from_config(get_config())` rebuilds the same config and weight shapes."""
    config = model.get_config()
    json.dumps(config, default=str)  # must be JSON-able for config.json
    clone = type(model).from_config(config)
    assert clone.get_config() == config
    assert [v.shape for v in clone.weights] == [v.shape for v in model.weights]
    return clone


def run_fit_step_test(model, dataset, steps=2):
    """A short `fit` gives finite losses and changes both networks."""
    g_before, d_before = _weights(model.generator), _weights(model.discriminator)
    history = model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
    for name in ("g_loss", "d_loss", "d_real", "d_fake"):
        assert np.isfinite(history.history[name][-1]), f"{name} is not finite: {history.history}"
    assert _changed(g_before, _weights(model.generator)), "the generator did not change"
    assert _changed(d_before, _weights(model.discriminator)), "the discriminator did not change"
    return history


def _generator_inputs(model, num=3, seed=7):
    noise = np.random.default_rng(seed).standard_normal((num, model.latent_dim)).astype("float32")
    if model.num_classes is None:
        return {"noise": noise}
    return {"noise": noise, "label": (np.arange(num) % model.num_classes).astype("int32")}


def _serve(model, inputs):
    # Traced like the export: Griffin-Lim amplifies eager-vs-graph rounding.
    outputs = model.serving_function()(inputs["noise"], inputs.get("label"))
    return {k: keras.ops.convert_to_numpy(v) for k, v in outputs.items()}


def run_saving_test(model, tmp_path):
    """`.keras` save/load gives the same config, weights and outputs."""
    path = os.path.join(str(tmp_path), "model.keras")
    model.save(path)
    restored = keras.saving.load_model(path)
    assert type(restored) is type(model)
    assert restored.get_config() == model.get_config()
    inputs = _generator_inputs(model)
    expected, actual = _serve(model, inputs), _serve(restored, inputs)
    for key in expected:
        np.testing.assert_allclose(actual[key], expected[key], rtol=1e-5, atol=1e-5, err_msg=key)
    return restored


def run_export_test(model, tmp_path):
    """Export, then reload in a fresh Python process: same named outputs."""
    from gan_audio.export import export_saved_model

    path = export_saved_model(model, os.path.join(str(tmp_path), "export"))
    assert os.path.basename(path) == "1"
    inputs = _generator_inputs(model)
    np.savez(os.path.join(str(tmp_path), "inputs.npz"), **inputs)
    script = textwrap.dedent(
        f"""
        import numpy as np
        from gan_audio.export import load_saved_model
        served = load_saved_model({os.path.dirname(path)!r})
        inputs = dict(np.load({os.path.join(str(tmp_path), 'inputs.npz')!r}))
        np.savez({os.path.join(str(tmp_path), 'outputs.npz')!r}, **served(**inputs))
        print(sorted(served.input_names))
        """
    )
    env = dict(os.environ, PYTHONPATH=REPO, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == str(sorted(inputs))
    served = dict(np.load(os.path.join(str(tmp_path), "outputs.npz")))
    expected = _serve(model, inputs)
    assert sorted(served) == sorted(expected)
    for key in expected:
        np.testing.assert_allclose(served[key], expected[key], rtol=1e-4, atol=1e-4, err_msg=key)
    return path


def run_model_checks(model, dataset, tmp_path):
    """All shared checks on one (compiled) model."""
    run_serialization_test(model)
    run_fit_step_test(model, dataset)
    run_saving_test(model, tmp_path)
    run_export_test(model, tmp_path)
