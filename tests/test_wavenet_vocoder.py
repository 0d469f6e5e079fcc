"""A log-mel-conditioned WaveNet is a vocoder: the ``vocode`` contract (serving_default mel → waveform,
resynthesize, likelihood), the same draws from the model, its generate endpoint and its export, the CLI."""
import keras
import numpy as np
import pytest

from gan_audio import cli
from gan_audio.callbacks import SampleWriter
from gan_audio.data import load_audio
from gan_audio.export import export_saved_model, load_saved_model
from gan_audio.models.wavenet.wavenet import WaveNet
from gan_audio.models.wavenet.wavenet_vocoding import LIKELIHOOD, VOCODE_SEED
from gan_audio.recipes import wavenet_dataset
from gan_audio.samples import write_wav
from gan_audio.serving_tasks import require_task, tasks_of
from gan_audio.vocoding import vocode_log_mels
from tests import test_wavenet
from tests.test_wavenet import SR, TINY, spectral_peaks, tones

VOCODER = {**TINY, "local_conditioning": True, "num_mel_bins": 8, "frame_step": 16}


class TestTinyWaveNetVocoder(test_wavenet.TestTinyWaveNet):
    """The family's shared checks (config, export round trip, fit, resume) for a vocoder WaveNet."""
    init_kwargs = {**VOCODER, "vocode_temperature": 0.9, "seed": 0}


def test_only_a_mel_conditioned_wavenet_without_labels_is_a_vocoder():
    vocoder = WaveNet(**VOCODER)
    assert tasks_of(vocoder) == ("vocode", "likelihood")
    assert set(vocoder.endpoint_names) == {"serving_default", "resynthesize", LIKELIHOOD, "generate", "generate_xla"}
    assert list(vocoder.endpoint_specs("serving_default")) == ["mel"]
    assert tasks_of(WaveNet(**VOCODER, num_classes=2)) == ("generate", "likelihood")  # needs a label: no vocoder
    assert tasks_of(WaveNet(**TINY)) == WaveNet.serving_tasks == ("generate", "likelihood")
    with pytest.raises(ValueError, match="is not a vocoder"):
        require_task(WaveNet(**TINY), "vocode")
    analysis = vocoder.serving_metadata()["analysis"]  # what `check_analysis` compares with a generator's
    assert (analysis["sample_rate"], analysis["frame_length"], analysis["frame_step"], analysis["num_mel_bins"]) == (
        SR, 64, 16, 8)


def test_vocoding_is_generation_at_the_vocode_seed_and_temperature():
    model = WaveNet(**VOCODER, vocode_temperature=0.8)
    waveform = tones([300.0], 0.05)[None].repeat(2, axis=0)  # 200 samples
    out = model.run_endpoint("resynthesize", waveform=waveform)
    assert out["waveform"].shape == (2, 200) and out["log_mel"].shape == (2, 9, 8)  # 1 + (200 - 64) // 16
    served = model.run_endpoint("serving_default", mel=out["log_mel"])["waveform"]
    assert served.shape == (2, 8 * 16 + 64)  # the span the 9 frames cover
    drawn = model.generate(2, seed=VOCODE_SEED, temperature=0.8, num_samples=200, mel=out["log_mel"])
    np.testing.assert_array_equal(out["waveform"], drawn)
    np.testing.assert_array_equal(served, drawn[:, :192])  # the same draws
    other = model.generate(2, seed=VOCODE_SEED + 1, temperature=0.8, num_samples=200, mel=out["log_mel"])
    assert np.any(other != drawn)
    likelihood = model.run_endpoint(LIKELIHOOD, waveform=waveform)
    assert likelihood["probabilities"].shape == (2, 200, 256) and likelihood["bits_per_sample"].shape == (2,)
    assert WaveNet.from_config(model.get_config()).vocode_temperature == 0.8
    for bad in (0, -1.0):
        with pytest.raises(ValueError, match="vocode_temperature"):
            WaveNet(**VOCODER, vocode_temperature=bad)


def test_log_mels_are_vocoded_by_the_xla_loop_with_serving_default_s_draws(tmp_path):
    """`vocode_log_mels` (what `gan-audio generate --vocoder` runs) gives serving_default's audio, model and export."""
    model = WaveNet(**VOCODER, vocode_temperature=0.8)
    mel = model.run_endpoint("resynthesize", waveform=tones([300.0, 700.0], 0.05)[None].repeat(3, axis=0))["log_mel"]
    served = model.run_endpoint("serving_default", mel=mel)["waveform"]
    assert served.shape == (3, 8 * 16 + 64) and np.std(served) > 0
    np.testing.assert_array_equal(vocode_log_mels(model, mel), served)
    export = load_saved_model(export_saved_model(model, str(tmp_path / "wavenet_vocoder")))
    np.testing.assert_array_equal(vocode_log_mels(export, mel), served)
    model.vocode_temperature = 0.5  # the model's setting decides the draws
    assert np.any(vocode_log_mels(model, mel) != served)


def test_a_trained_wavenet_vocoder_resynthesises_tones_it_hears_and_its_export_gives_the_same(tmp_path):
    """Trained on two tones, it vocodes a clip switching between them, by the model, the export and the CLI."""
    model = WaveNet(**{**VOCODER, "residual_channels": 16, "gate_channels": 16, "skip_channels": 32,
                       "layers_per_stack": 5, "frame_step": 32, "vocode_temperature": 0.7})
    low, high = tones([200.0], 2.0, 0.5), tones([500.0], 2.0, 0.5)
    rng = np.random.default_rng(0)
    crops = []
    for _ in range(480):
        start, switch = rng.integers(0, len(low) - 512), 32 * rng.integers(4, 13)
        first, second = (low, high) if rng.random() < 0.5 else (high, low)
        crops.append(np.concatenate([first[start:start + switch], second[start + switch:start + 512]]))
    model.compile(optimizer=keras.optimizers.Adam(3e-3))
    model.fit(np.stack(crops), batch_size=16, epochs=4, verbose=0)
    clip = np.concatenate([high[:1024], low[:1024]])  # the other order than the test of generation
    vocoded = model.run_endpoint("resynthesize", waveform=clip[None])["waveform"][0]
    assert abs(spectral_peaks(vocoded[200:1000], 1)[0] - 500.0) <= 8.0
    assert abs(spectral_peaks(vocoded[1200:2000], 1)[0] - 200.0) <= 8.0
    export = export_saved_model(model, str(tmp_path / "saved" / "wavenet_vocoder"))
    served = load_saved_model(export)
    assert tasks_of(served) == ("vocode", "likelihood")
    np.testing.assert_array_equal(served.run_endpoint("resynthesize", waveform=clip[None])["waveform"][0], vocoded)
    path = write_wav(str(tmp_path / "in" / "switch.wav"), clip, SR)
    assert cli.main(["vocode", path, "--model", export, "--out", str(tmp_path / "out")]) == 0
    written = load_audio(str(tmp_path / "out" / "switch.wav"), sample_rate=SR)
    assert written.shape == clip.shape
    np.testing.assert_allclose(written, vocoded, atol=1e-4)  # 16-bit WAV


def test_the_sample_writer_vocodes_the_recipe_s_clips(small_set, tmp_path):
    model = WaveNet(**{**VOCODER, "sample_rate": 16000, "frame_step": 64, "segment_samples": 800})
    data = wavenet_dataset(model, {"data": small_set, "batch_size": 2, "seed": 0})
    mel, num_samples = data.sample_inputs["mel"], data.sample_inputs["num_samples"]
    assert mel.shape[0] == 2 and mel.shape[2] == 8 and num_samples > 0
    writer = SampleWriter(str(tmp_path / "samples"), inputs=data.sample_inputs)
    writer.set_model(model)
    writer.on_epoch_end(0)
    written = [load_audio(str(tmp_path / "samples" / "epoch_001" / f"sample_0{i}.wav"), sample_rate=16000)
               for i in range(2)]
    assert all(w.shape == (num_samples,) for w in written)
    assert wavenet_dataset(WaveNet(**TINY), {"data": small_set, "batch_size": 2}).sample_inputs is None
