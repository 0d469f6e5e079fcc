"""SpectralMaskDenoiser: shared family checks, exact STFT round trip, the hand-computed loss, the
receptive field, chunked == whole-signal denoising, learning, the CLI, one-line errors."""
import numpy as np
import pytest
import tensorflow as tf

from gan_audio import denoising
from gan_audio.metrics import si_sdr
from gan_audio.models.mask_denoiser.mask_denoiser import SpectralMaskDenoiser
from tests.family_test_case import FamilyTestCase
from tests.test_wavenet_denoiser import SR, white_pairs

TINY = SpectralMaskDenoiser.PRESETS["tiny"]["config"]


class TestTinySpectralMaskDenoiser(FamilyTestCase):
    model_class = SpectralMaskDenoiser
    init_kwargs = {**TINY, "seed": 0}
    preset = "tiny"

    def train_dataset(self, model):
        return tf.data.Dataset.from_tensor_slices(white_pairs(8, 600, seed=0)).repeat().batch(4)

    def example_inputs(self, model):
        return {"noisy": (0.3 * np.random.default_rng(0).standard_normal((3, 321))).astype("float32")}

    def test_shared_checks(self, tmp_path):
        model = self.make_model()
        history = self.run_shared_checks(model, tmp_path)
        assert sorted(history.history) == ["loss", "si_sdr"]
        assert model.generation_inputs() is None and model.endpoint_names == ["serving_default"]
        assert model.serving_metadata() == {"sample_rate": SR, "receptive_field": model.receptive_field,
                                            "frame_step": 32}

    def test_mixed_precision(self):
        self.run_mixed_precision_test()


def _unit_mask(model):
    """Weights for which every gain is 1 (a huge bias before the sigmoid, zero kernel)."""
    kernel, bias = model.mask_output.get_weights()
    model.mask_output.set_weights([np.zeros_like(kernel), np.full_like(bias, 50.0)])


def test_a_unit_mask_gives_back_the_input_exactly_at_any_length():
    model = SpectralMaskDenoiser(**TINY)
    _unit_mask(model)
    for length in (1, 31, 32, 333, 1000):
        noisy = np.random.default_rng(length).standard_normal((2, length)).astype("float32")
        out = model.serve(noisy=noisy)["waveform"].numpy()
        assert out.shape == (2, length)
        np.testing.assert_allclose(out, noisy, atol=1e-5)


def test_loss_is_the_compressed_magnitude_and_complex_error_computed_by_hand():
    model = SpectralMaskDenoiser(**TINY)
    noisy, clean = white_pairs(2, 400, seed=3)
    loss, sdr = model.losses_of(noisy, clean)
    mask = model.mask(model.stft(noisy)).numpy()
    estimate, target = mask * model.stft(noisy).numpy(), model.stft(clean).numpy()
    c, eps = 0.3, 1e-8

    def squash(z):
        return (np.abs(z) + eps) ** c / (np.abs(z) + eps) * z

    magnitude = np.mean(((np.abs(estimate) + eps) ** c - (np.abs(target) + eps) ** c) ** 2, axis=(1, 2))
    complex_term = np.mean(np.abs(squash(estimate) - squash(target)) ** 2, axis=(1, 2))
    np.testing.assert_allclose(loss.numpy(), magnitude + 0.3 * complex_term, rtol=1e-4)
    np.testing.assert_allclose(sdr.numpy(), si_sdr(clean, model(noisy).numpy()), atol=1e-3)
    plain = SpectralMaskDenoiser(**{**TINY, "complex_weight": 0.0})
    plain.set_weights(model.get_weights())
    np.testing.assert_allclose(plain.losses_of(noisy, clean)[0].numpy(), magnitude, rtol=1e-4)


def test_outputs_depend_on_no_sample_outside_the_receptive_field():
    model = SpectralMaskDenoiser(**TINY)
    noisy = np.random.default_rng(0).standard_normal((1, 1200)).astype("float32")
    base = model(noisy).numpy()[0]
    reach = (model.receptive_field - 1) // 2
    for t in (0, 500, 1199):
        probe = noisy.copy()
        probe[0, t] += 3.0
        changed = np.flatnonzero(np.abs(model(probe).numpy()[0] - base) > 1e-7)
        assert changed.size and changed.min() >= t - reach and changed.max() <= t + reach


def test_chunked_denoising_equals_whole_signal():
    model = SpectralMaskDenoiser(**TINY)
    noisy = white_pairs(1, 6001, seed=1)[0][0]
    whole = model(noisy[None]).numpy()[0]
    for seconds in (0.3, 0.55):  # chunk starts on the frame grid; the last chunk runs to the end
        chunked = denoising.denoise(model, noisy, SR, chunk_seconds=seconds, batch_size=2, normalize=False)
        assert chunked.shape == (6001,)
        np.testing.assert_allclose(chunked, whole, atol=1e-5)


def test_tiny_mask_denoiser_learns_to_remove_white_noise_on_held_out_clips():
    tf.keras.utils.set_random_seed(0)
    model = SpectralMaskDenoiser(**TINY)
    noisy, clean = white_pairs(128, 2000, seed=0)
    model.compile(**SpectralMaskDenoiser.compile_kwargs("tiny"))
    history = model.fit(noisy, clean, batch_size=16, epochs=10, verbose=0).history
    assert history["loss"][-1] < 0.7 * history["loss"][0], history["loss"]
    noisy, clean = white_pairs(32, 4000, seed=99)  # new tones, new noise, longer
    before = si_sdr(clean, noisy)
    after = si_sdr(clean, denoising.denoise(model, noisy.reshape(-1), SR, chunk_seconds=0.5).reshape(32, -1))
    assert np.mean(after - before) > 3.0, (before.mean(), after.mean())
    assert np.mean(after > before) > 0.9
    silent = model(np.zeros((1, 4000), "float32")).numpy()
    assert np.all(silent == 0.0)  # a gain on zero is zero: no hiss is invented


@pytest.mark.parametrize("bad, message", [
    ({"frame_length": 100, "frame_step": 32}, "multiple of `frame_step`"),
    ({"dilations": []}, "`dilations` is empty"),
    ({"dilations": [1, 0]}, "`dilation` must be a positive integer"),
    ({"compression": 0.0}, "`compression`"),
    ({"complex_weight": -1.0}, "`complex_weight`"),
    ({"channels": 2.5}, "`channels`"),
])
def test_bad_configs_are_one_line_errors(bad, message):
    with pytest.raises(ValueError, match=message):
        SpectralMaskDenoiser(**{**TINY, **bad})


def test_trains_and_denoises_from_the_cli(tmp_path):
    import soundfile as sf

    from gan_audio import cli

    run = str(tmp_path / "run")
    assert cli.main(["train", "mask-denoiser", "--preset", "tiny", "--epochs", "1", "--steps-per-epoch", "2",
                     "--batch-size", "4", "--out", run]) == 0
    noisy = white_pairs(1, 3000, seed=5)[0][0]
    sf.write(str(tmp_path / "in.wav"), noisy, SR)
    assert cli.main(["denoise", str(tmp_path / "in.wav"), "--model", run, "--out", str(tmp_path / "out")]) == 0
    clean, rate = sf.read(str(tmp_path / "out" / "in.wav"))
    assert rate == SR and len(clean) == 3000
