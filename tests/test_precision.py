"""`gan_audio.precision`: a WaveNet copied into float16 arithmetic keeps its float32 weights, the global policy
is left as it was, and its export draws what the copy draws for the same seed."""
import keras
import numpy as np
import pytest

from gan_audio.export import export_saved_model, load_saved_model
from gan_audio.models import DenseGAN, WaveNet
from gan_audio.models.wavenet.wavenet_generation import fast_generate
from gan_audio.precision import with_dtype_policy

CONFIG = {**WaveNet.PRESETS["tiny"]["config"], "num_classes": 3, "stacks": 2}


def test_a_half_precision_copy_keeps_the_weights_and_leaves_the_global_policy_alone():
    model = WaveNet(**CONFIG)
    half = with_dtype_policy(model, "mixed_float16")
    assert keras.config.dtype_policy().name == "float32"
    assert half.blocks[0].compute_dtype == "float16" and half.blocks[0].kernel.dtype == "float32"
    for ours, theirs in zip(half.weights, model.weights):
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    codes = np.random.default_rng(0).integers(0, 256, (2, 300)).astype("int32")
    labels = np.array([0, 2], "int32")
    full, reduced = model(codes, labels).numpy(), half(codes, labels).numpy()
    assert reduced.dtype == np.float32  # the logits stay float32 (the softmax and the draws)
    assert np.abs(reduced - full).max() < 0.02 * np.abs(full).max()
    assert not np.array_equal(reduced, full)  # it really computes in float16


def test_a_float16_export_draws_what_its_model_draws_and_scores_like_float32(tmp_path):
    model = WaveNet(**CONFIG)
    path = export_saved_model(model, str(tmp_path / "wavenet"), dtype_policy="mixed_float16")
    served = load_saved_model(path)
    assert served.serving_metadata()["dtype_policy"] == "mixed_float16"
    request = dict(num=2, seed=5, num_samples=400, temperature=1.0, label=np.array([1, 2], "int32"))
    waveform = served.run_endpoint("generate_xla", **request)["waveform"]
    np.testing.assert_array_equal(served.run_endpoint("generate", **request)["waveform"], waveform)
    half = with_dtype_policy(model, "mixed_float16")
    expected = fast_generate(half, 400, num=2, label=[1, 2], seed=5, jit_compile=True)
    np.testing.assert_array_equal(half.encode(waveform).numpy(), expected)
    clip = np.sin(np.arange(2000) / 7.0).astype("float32")[None] * 0.3
    bits = served(waveform=clip, label=np.array([0], "int32"))["bits_per_sample"]
    reference = model.run_endpoint("serving_default", waveform=clip, label=np.array([0], "int32"))["bits_per_sample"]
    np.testing.assert_allclose(bits, reference, rtol=0.01)


def test_a_float16_lpc_vocoder_export_resynthesises_like_its_float32_model(tmp_path):
    from tests.test_wavenet_lpc import LPC

    model = WaveNet(**LPC)
    served = load_saved_model(export_saved_model(model, str(tmp_path / "vocoder"), dtype_policy="mixed_float16"))
    t = np.arange(2000) / model.sample_rate
    clip = (0.3 * np.sin(2 * np.pi * 300 * t) + 0.1 * np.sin(2 * np.pi * 900 * t)).astype("float32")[None]
    half = served.run_endpoint("resynthesize", waveform=clip)["waveform"]
    full = model.run_endpoint("resynthesize", waveform=clip)["waveform"]
    assert half.shape == full.shape and half.dtype == np.float32 and np.isfinite(half).all()
    level = lambda audio: float(np.sqrt(np.mean(audio ** 2)))  # noqa: E731
    assert 0.5 < level(half) / level(full) < 2.0  # other draws of the excitation, the same filters


def test_unsupported_classes_and_policies_are_refused():
    with pytest.raises(ValueError, match="DenseGAN is not tested in reduced precision"):
        with_dtype_policy(DenseGAN.from_preset("tiny", seed=0), "mixed_float16")
    with pytest.raises(ValueError, match="must be one of float32, mixed_float16, mixed_bfloat16, got 'float64'"):
        with_dtype_policy(WaveNet(**CONFIG), "float64")
    assert keras.config.dtype_policy().name == "float32"


def test_the_cli_offers_exactly_the_serving_policies():
    from gan_audio.cli_parser import build_parser  # stdlib-only: it keeps its own copy of the names
    from gan_audio.precision import SERVING_POLICIES
    from gan_audio.strategies import STRATEGIES

    parser = build_parser(STRATEGIES)
    for policy in SERVING_POLICIES:
        assert parser.parse_args(["export", "run", "--out", "o", "--dtype-policy", policy]).dtype_policy == policy
    export = next(a for a in parser._subparsers._group_actions[0].choices["export"]._actions
                  if a.dest == "dtype_policy")
    assert tuple(export.choices) == SERVING_POLICIES

