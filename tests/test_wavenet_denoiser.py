"""WaveNetDenoiser: shared family checks, any length, exact non-causal receptive field,
chunked == whole-signal denoising, files, learning, the data recipe, one-line errors."""
import glob
import logging
import os

import numpy as np
import pytest
import soundfile as sf
import tensorflow as tf

from gan_audio import denoiser_data, denoising
from gan_audio.data import bundled_path, noisy_clean_pairs
from gan_audio.metrics import si_sdr
from gan_audio.models.wavenet.wavenet import WaveNet
from gan_audio.models.wavenet_denoiser.wavenet_denoiser import WaveNetDenoiser
from tests.family_test_case import FamilyTestCase

SR = 4000
TINY = WaveNetDenoiser.PRESETS["tiny"]["config"]


def harmonic_clips(count, length, seed):
    """Speech-like clips: 3 harmonics of a random f0 (100-300 Hz) under a random smooth envelope."""
    rng = np.random.default_rng(seed)
    t = np.arange(length) / SR
    clips = []
    for _ in range(count):
        f0, phase = rng.uniform(100, 300), rng.uniform(0, 2 * np.pi, 3)
        tone = sum(np.sin(2 * np.pi * k * f0 * t + phase[k - 1]) / k for k in (1, 2, 3))
        envelope = 0.2 + np.abs(np.sin(np.pi * rng.uniform(1, 4) * t / t[-1] + rng.uniform(0, np.pi)))
        clips.append(0.3 * tone * envelope)
    return np.stack(clips).astype("float32")


def white_pairs(count, length, seed, snr_db=(0.0, 10.0)):
    return noisy_clean_pairs(harmonic_clips(count, length, seed), snr_db=snr_db, kinds=("white",), seed=seed)


class TestTinyWaveNetDenoiser(FamilyTestCase):
    model_class = WaveNetDenoiser
    init_kwargs = {**TINY, "seed": 0}
    preset = "tiny"

    def train_dataset(self, model):
        return tf.data.Dataset.from_tensor_slices(white_pairs(8, 600, seed=0)).repeat().batch(4)

    def example_inputs(self, model):
        return {"noisy": (0.3 * np.random.default_rng(0).standard_normal((3, 121))).astype("float32")}

    def test_shared_checks(self, tmp_path):
        model = self.make_model()
        history = self.run_shared_checks(model, tmp_path)
        assert sorted(history.history) == ["loss", "si_sdr"]
        evaluated = model.evaluate(self.train_data, steps=1, verbose=0, return_dict=True)
        assert sorted(evaluated) == ["loss", "si_sdr"] and np.isfinite(evaluated["loss"])
        noisy, clean = next(iter(self.train_data))
        loss, sdr = model.losses_of(noisy, clean)
        np.testing.assert_allclose(sdr, si_sdr(clean.numpy(), model(noisy).numpy()), atol=1e-3)
        l1 = np.mean(np.abs(model(noisy).numpy() - clean.numpy()), axis=1)
        assert np.all(loss.numpy() > l1 + 1e-4)  # the STFT term is on in `tiny`
        assert model.generation_inputs() is None and model.endpoint_names == ["serving_default"]
        assert model.serving_metadata() == {"sample_rate": SR, "receptive_field": 21}

    def test_mixed_precision(self):
        self.run_mixed_precision_test()


def test_output_length_equals_input_length():
    model = WaveNetDenoiser(**TINY)
    for length in (1, 2, 7, 20, 101, 333):
        noisy = np.random.default_rng(length).standard_normal((2, length)).astype("float32")
        assert model(noisy).shape == (2, length)
        assert model.run_endpoint("serving_default", noisy=noisy)["waveform"].shape == (2, length)


def test_receptive_field_is_exact_and_symmetric():
    model = WaveNetDenoiser(**{**TINY, "stacks": 2, "kernel_size": 5, "input_kernel_size": 3,
                               "head_kernel_size": 5})
    rf = model.receptive_field
    assert rf == 2 + 4 * 2 * (1 + 2 + 4) + 2 * 4 + 1 == 67 and model.context == 33
    noisy = np.random.default_rng(0).standard_normal((1, 200)).astype("float32")
    base = model(noisy).numpy()[0]
    for t in (0, 20, 100, 170, 199):
        expected = np.arange(max(0, t - model.context), min(199, t + model.context) + 1)
        seen = set()
        for delta in (2.0, -2.0, 0.7):  # a ReLU may hide one change; not all three
            probe = noisy.copy()
            probe[0, t] += delta
            changed = np.flatnonzero(model(probe).numpy()[0] != base)
            assert set(changed) <= set(expected)
            seen |= set(changed)
        assert sorted(seen) == list(expected)


def test_predict_noise_subtracts_the_head_from_the_input_and_old_configs_keep_their_meaning(caplog):
    noisy = (0.3 * np.random.default_rng(1).standard_normal((2, 150))).astype("float32")
    direct = WaveNetDenoiser(**{**TINY, "predict_noise": False})
    residual = WaveNetDenoiser(**TINY)
    assert residual.predict_noise and not WaveNetDenoiser.from_preset("article5").predict_noise
    residual.set_weights(direct.get_weights())
    head = direct(noisy).numpy()
    assert np.abs(head).max() > 1e-3
    np.testing.assert_allclose(residual(noisy).numpy(), noisy - head, atol=1e-6)
    config = residual.get_config()
    assert config["predict_noise"] is True and WaveNetDenoiser.from_config(config).predict_noise
    del config["predict_noise"]  # as saved before the key existed: the head was the clean estimate
    with caplog.at_level("WARNING", logger="gan_audio"):
        assert WaveNetDenoiser.from_config(config).predict_noise is False
    assert "read as predict_noise=False" in caplog.text
    with pytest.raises(ValueError, match="predict_noise"):
        WaveNetDenoiser(**{**TINY, "predict_noise": "yes"})


def test_chunk_weights_crossfade_to_one_and_cover_everything():
    context, fade, chunk, length = 10, 40, 400, 3333
    hop = chunk - 2 * context - fade
    starts = denoising.chunk_starts(length, chunk, hop)
    assert starts[0] == 0 and starts[-1] == length - chunk and np.all(np.diff(starts) <= hop)
    total = np.zeros(length)
    for start in starts:
        weights = denoising.chunk_weights(start, chunk, length, context, fade)
        assert np.all(weights[:context] == 0) if start > 0 else weights[0] == 1
        total[start:start + chunk] += weights
    assert total.min() > 0
    np.testing.assert_allclose(total[: starts[-1] + context], 1.0, atol=1e-12)  # regular spacing: sum 1


def test_chunked_denoising_equals_whole_signal_and_joins_do_not_click():
    model = WaveNetDenoiser(**TINY)
    noisy = white_pairs(1, 4001, seed=1)[0][0]
    whole = model(noisy[None]).numpy()[0]
    chunked = denoising.denoise(model, noisy, SR, chunk_seconds=0.1, fade_seconds=0.01, batch_size=3, normalize=False)
    assert chunked.shape == (4001,) and chunked.dtype == np.float32
    np.testing.assert_allclose(chunked, whole, atol=1e-5)  # 12 chunks, each join invisible
    rms = [np.sqrt(np.mean(x.reshape(-1, 40) ** 2, axis=1)) for x in (chunked[:4000], whole[:4000])]
    np.testing.assert_allclose(rms[0], rms[1], rtol=1e-4)  # no energy jump at any join
    np.testing.assert_allclose(denoising.denoise(model, noisy, SR, fade_seconds=0.0, chunk_seconds=0.05,
                                                 normalize=False), whole, atol=1e-5)
    # Another rate in: back at that rate and length; chunking still makes no difference.
    at_8k = np.repeat(noisy, 2)[:7999]
    long, short = (denoising.denoise(model, at_8k, 8000, chunk_seconds=s) for s in (10.0, 0.1))
    assert long.shape == short.shape == (7999,)
    np.testing.assert_allclose(short, long, atol=1e-5)


def test_normalized_denoising_does_not_depend_on_the_input_level():
    model = WaveNetDenoiser(**TINY)
    noisy = white_pairs(1, 2001, seed=2)[0][0]
    scaled = denoising.INPUT_PEAK / np.abs(noisy).max() * noisy
    np.testing.assert_allclose(denoising.denoise(model, noisy, SR),
                               noisy.max() / scaled.max() * model(scaled[None]).numpy()[0], atol=1e-5)
    quiet = denoising.denoise(model, 0.1 * noisy, SR)
    np.testing.assert_allclose(quiet, 0.1 * denoising.denoise(model, noisy, SR), atol=1e-6)
    raw = denoising.denoise(model, 0.1 * noisy, SR, normalize=False)
    assert np.abs(raw - quiet).max() > 1e-3  # the model alone is level-dependent (biases)


def test_denoise_files_from_an_export_skips_unreadable_files(tmp_path, caplog):
    from gan_audio.export import export_saved_model

    model = WaveNetDenoiser(**TINY)
    export = os.path.dirname(export_saved_model(model, str(tmp_path / "export")))
    noisy = white_pairs(2, 3001, seed=2)[0]
    sf.write(str(tmp_path / "a.wav"), noisy[0], SR)
    sf.write(str(tmp_path / "b.flac"), np.stack([noisy[1], noisy[1]], axis=1)[::2], SR // 2)  # stereo, 2 kHz
    (tmp_path / "broken.wav").write_bytes(b"not audio")
    paths = [str(tmp_path / n) for n in ("a.wav", "broken.wav", "b.flac")]
    with caplog.at_level(logging.WARNING, logger="gan_audio"):
        written = denoising.denoise_files(export, paths, str(tmp_path / "out"), chunk_seconds=0.2)
    assert [os.path.basename(p) for p in written] == ["a.wav", "b.wav"]
    assert "broken.wav" in caplog.text
    clean, rate = sf.read(written[0])
    assert rate == SR and len(clean) == 3001
    np.testing.assert_allclose(clean, np.clip(denoising.denoise(model, noisy[0], SR), -1, 1), atol=2e-4)  # 16-bit
    assert sf.info(written[1]).frames == 3002  # 1501 samples at 2 kHz → 3002 at 4 kHz


def test_tiny_denoiser_learns_to_remove_white_noise():
    tf.keras.utils.set_random_seed(0)
    model = WaveNetDenoiser(**{**TINY, "residual_channels": 16, "gate_channels": 16, "skip_channels": 32,
                               "layers_per_stack": 5, "stft_weight": 0.0})
    noisy, clean = white_pairs(256, 1000, seed=0)
    model.compile(**WaveNetDenoiser.compile_kwargs("tiny"))
    history = model.fit(noisy, clean, batch_size=16, epochs=12, verbose=0).history  # 192 steps
    assert history["si_sdr"][-1] > history["si_sdr"][0] + 3.0, history["si_sdr"]
    noisy, clean = white_pairs(32, 2000, seed=99)  # held out: new tones, new noise, longer
    before = si_sdr(clean, noisy)
    after = si_sdr(clean, denoising.denoise(model, noisy.reshape(-1), SR, chunk_seconds=0.5).reshape(32, -1))
    assert np.mean(after - before) > 4.0, (before.mean(), after.mean())
    assert np.mean(after > before) > 0.9


def _digit_files(count):
    return sorted(glob.glob(os.path.join(bundled_path("spoken_digits"), "*", "*.flac")))[:count]


def test_recipe_gives_pairs_at_the_requested_snrs_with_fresh_noise():
    model = WaveNetDenoiser(**TINY)
    settings = {"data": _digit_files(8), "batch_size": 4, "seed": 3, "snr_db": (2.0, 12.0), "gain_db": (0.0, 0.0)}
    data = denoiser_data.denoiser_dataset(model, settings)
    assert data.class_names is None and data.steps_per_pass == 2
    assert data.sample_inputs["noisy"].shape == (2, SR)
    batches = list(data.dataset.take(6).as_numpy_iterator())
    snrs = []
    for noisy, clean in batches:
        assert noisy.shape == clean.shape == (4, TINY["segment_samples"]) and np.abs(noisy).max() <= 1.0
        power, noise_power = (np.mean(x.astype("float64") ** 2, 1) for x in (clean, noisy - clean))
        loud = power >= 1e-3 * power.max()  # quieter crops are pauses: noise at the others' level
        assert np.all(noise_power[~loud] > 0.1 * noise_power[loud].min())
        snrs += list(10 * np.log10(power[loud] / noise_power[loud]))
    assert 2.0 - 1e-3 <= min(snrs) and max(snrs) <= 12.0 + 1e-3 and max(snrs) - min(snrs) > 4.0, snrs
    noises = [(n - c) / np.std(n - c) for noisy, clean in batches for n, c in zip(noisy, clean)]
    assert len({np.round(n[:20], 3).tobytes() for n in noises}) == len(noises)  # every clip its own noise
    again = next(iter(denoiser_data.denoiser_dataset(model, settings).dataset))
    np.testing.assert_array_equal(again[0], batches[0][0])  # seeded
    other = next(iter(denoiser_data.denoiser_dataset(model, {**settings, "seed": 4}).dataset))
    assert not np.array_equal(other[0], batches[0][0])
    levels = denoiser_data.denoiser_dataset(model, {**settings, "gain_db": (-12.0, 0.0)}).dataset  # the default gains
    peaks = [np.abs(noisy).max(axis=1) for noisy, _ in levels.take(4).as_numpy_iterator()]
    assert 20 * np.log10(np.max(peaks) / np.min(peaks)) > 4.0 and np.max(peaks) <= 1.0  # levels vary


def test_presets_are_the_documented_stacks():
    article = WaveNetDenoiser.from_preset("article5")
    assert article.dilations == tuple(2**i for i in range(10)) and article.receptive_field == 2053
    assert [layer.name for layer in article.layers if layer.weights] == (
        ["input_conv"] + [f"block_{i}" for i in range(10)] + ["head_hidden", "head_output"])
    assert not article.blocks[-1].residual and article.stft_weight == 0.0
    default = WaveNetDenoiser.from_preset("default")
    assert default.dilations == tuple(2**i for i in range(8)) * 2 and default.receptive_field == 1027
    assert WaveNetDenoiser.from_preset("tiny").receptive_field == 21


def test_bad_arguments_give_one_line_errors():
    model = WaveNetDenoiser(**TINY)
    cases = [
        (lambda: WaveNetDenoiser(**{**TINY, "kernel_size": 2}), "kernel_size"),
        (lambda: WaveNetDenoiser(**{**TINY, "head_kernel_size": 4}), "odd"),
        (lambda: WaveNetDenoiser(**{**TINY, "layers_per_stack": 0}), "layers_per_stack"),
        (lambda: WaveNetDenoiser(**{**TINY, "stft_weight": -1.0}), "stft_weight"),
        (lambda: WaveNetDenoiser(**{**TINY, "stft_resolutions": [[512]]}), "stft_resolutions"),
        (lambda: WaveNetDenoiser.from_preset("huge"), "preset"),
        (lambda: denoising.denoise(model, np.zeros((2, 100)), SR), "1-D"),
        (lambda: denoising.denoise(model, np.zeros(0), SR), "1-D"),
        (lambda: denoising.denoise(model, np.full(10, np.nan), SR), "NaN"),
        (lambda: denoising.denoise(model, np.zeros(100), 0), "sample_rate"),
        (lambda: denoising.denoise(model, np.zeros(100), SR, chunk_seconds=0), "chunk_seconds"),
        (lambda: denoising.denoise(model, np.zeros(100), SR, batch_size=0), "batch_size"),
        (lambda: denoising.denoise(WaveNet.from_preset("tiny"), np.zeros(100), SR), "not a denoiser"),
        (lambda: denoiser_data.with_noise(None, snr_db=(10, 0)), "snr_db"),
        (lambda: denoiser_data.with_noise(None, kinds=("blue",)), "noise_kinds"),
    ]
    for call, match in cases:
        with pytest.raises(ValueError, match=match) as error:
            call()
        assert "\n" not in str(error.value), str(error.value)
    with pytest.raises(ValueError, match="noisy"):
        model.run_endpoint("serving_default", waveform=np.zeros((1, 10), "float32"))
    model.compile(optimizer="adam")
    with pytest.raises(ValueError, match="pairs|noisy, clean"):
        model.fit(np.zeros((2, 64), "float32"), epochs=1, verbose=0)
