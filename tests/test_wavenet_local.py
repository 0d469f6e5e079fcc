"""WaveNet local conditioning: log-mel frames aligned to samples, in training, naive and fast generation, export."""
import keras
import numpy as np
import pytest

from gan_audio.export import export_saved_model, load_saved_model
from gan_audio.models.wavenet.wavenet import WaveNet
from gan_audio.models.wavenet.wavenet_conditioning import mel_of
from tests.test_wavenet import SR, TINY, spectral_peaks, tones

LOCAL = {**TINY, "local_conditioning": True, "num_mel_bins": 8, "frame_step": 16}


def test_sample_i_sees_frame_i_over_hop_and_no_future_audio():
    model = WaveNet(**LOCAL, num_classes=2)
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 256, (1, 100)).astype("int32")
    mel = rng.normal(-20, 10, (1, 7, 8)).astype("float32")
    base = model(codes, np.array([1]), mel).numpy()
    changed = mel.copy()
    changed[:, 3] += 30.0  # frame 3: samples 48 … 63, predicted at positions 47 … 62
    moved = np.abs(model(codes, np.array([1]), changed).numpy() - base).max(axis=-1)[0]
    reach = (model.kernel_size - 1) * sum(model.dilations)  # later positions see a condition through the stack
    assert np.all(moved[47:63] > 1e-4) and moved[:47].max() == 0 and moved[63 + reach:].max() == 0
    last = mel.copy()
    last[:, -1] += 30.0  # the last frame (6: from sample 96) also serves the samples past the frames
    moved = np.abs(model(codes, np.array([1]), last).numpy() - base).max(axis=-1)[0]
    assert moved[:95].max() == 0 and np.all(moved[95:] > 1e-4)
    future = codes.copy()
    future[:, 60:] = 0
    np.testing.assert_array_equal(model(future, np.array([1]), mel).numpy()[:, :60], base[:, :60])


def test_fast_generation_equals_naive_with_frames_and_label():
    model = WaveNet(**LOCAL, num_classes=2)
    mel = np.random.default_rng(1).normal(-20, 10, (2, 5, 8)).astype("float32")
    naive = model.generate(2, labels=[0, 1], seed=3, num_samples=90, method="naive", mel=mel)
    np.testing.assert_array_equal(model.generate(2, labels=[0, 1], seed=3, num_samples=90, mel=mel), naive)
    from gan_audio.models.wavenet import wavenet_generation
    plain = wavenet_generation.fast_generate(model, 90, num=2, label=[0, 1], seed=3, mel=mel, jit_compile=False)
    np.testing.assert_array_equal(model.decode(plain).numpy(), naive)
    assert model.generate(2, labels=[0, 1], seed=3, mel=mel).shape == (2, 80)  # 5 frames x 16


def test_the_frames_choose_the_tone_within_a_clip(tmp_path):
    """Trained on tones whose frames tell the frequency, it follows a frame sequence it never saw."""
    model = WaveNet(**{**LOCAL, "residual_channels": 16, "gate_channels": 16, "skip_channels": 32,
                       "layers_per_stack": 5, "frame_step": 32})
    low, high = tones([200.0], 2.0, 0.5), tones([500.0], 2.0, 0.5)
    rng = np.random.default_rng(0)
    crops = []
    for _ in range(480):  # 512-sample crops switching tone at a random frame boundary
        start, switch = rng.integers(0, len(low) - 512), 32 * rng.integers(4, 13)
        first, second = (low, high) if rng.random() < 0.5 else (high, low)
        crops.append(np.concatenate([first[start:start + switch], second[start + switch:start + 512]]))
    model.compile(optimizer=keras.optimizers.Adam(3e-3))
    losses = model.fit(np.stack(crops), batch_size=16, epochs=4, verbose=0).history["loss"]
    assert losses[-1] < 0.2 * losses[0], losses
    target = np.concatenate([low[:1024], high[:1024]])[None]
    mel = mel_of(model, target).numpy()  # 61 frames: low for ~32, then high
    audio = model.generate(4, seed=2, num_samples=2048, temperature=0.7, mel=np.repeat(mel, 4, axis=0))
    for clip in audio:
        assert abs(spectral_peaks(clip[200:1000], 1)[0] - 200.0) <= 8.0
        assert abs(spectral_peaks(clip[1200:2000], 1)[0] - 500.0) <= 8.0
    export = export_saved_model(model, str(tmp_path / "local"))
    served = load_saved_model(export)
    assert "mel" in served.endpoint_specs("generate")
    request = {"seed": 5, "mel": mel[:, :6], "num_samples": 150}
    np.testing.assert_array_equal(served.synthesize(1, **request)["waveform"],
                                  model.synthesize(1, **request)["waveform"])
    rebuilt = WaveNet.from_config(model.get_config())
    assert rebuilt.local_conditioning and rebuilt.frame_step == 32 and rebuilt.receptive_field == model.receptive_field


def test_missing_or_misshaped_frames_are_one_line_errors():
    model = WaveNet(**LOCAL)
    for mel, match in ((None, "pass `mel`"), (np.zeros((1, 3, 5), "float32"), r"\(1, frames >= 1, 8\)")):
        with pytest.raises(ValueError, match=match) as error:
            model.generate(num_samples=32, mel=mel)
        assert "\n" not in str(error.value)
    with pytest.raises(ValueError, match="pass `mel`"):
        model(np.zeros((1, 10), "int32"))
