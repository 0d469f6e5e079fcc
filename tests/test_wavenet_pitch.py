"""A pitch-excited LPC WaveNet (`pitch_source`): the source reaches every generation path alike, it is
what a warm start from a WaveNet without it leaves at zero (the same audio), and bad settings fail."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.export import export_saved_model
from gan_audio.models.wavenet import wavenet_generation
from gan_audio.models.wavenet.wavenet import WaveNet
from gan_audio.models.wavenet.wavenet_pitch import excitation_source
from gan_audio.warm_start import copy_weights_from
from tests import test_wavenet
from tests.test_wavenet import tones
from tests.test_wavenet_lpc import LPC

PITCH = {**LPC, "pitch_source": True, "frame_step": 64, "num_mel_bins": 32}  # a 4 kHz voice's pitch resolves


def pulses(num_samples=800, period=20, first=7):
    """Smoothed pulses every `period` samples from sample `first` (200 Hz at the tiny models' 4 kHz): voiced."""
    clip = np.zeros(num_samples, "float32")
    clip[(np.arange(num_samples) % period) == first] = 0.5
    return np.convolve(clip, np.hanning(5), "same").astype("float32")[None]


def voiced_mel(model):
    return model.log_mel(pulses())


class TestTinyPitchWaveNet(test_wavenet.TestTinyWaveNet):
    """The family's shared checks (config, export round trip, fit, resume) for a pitch-excited WaveNet."""
    init_kwargs = {**PITCH, "vocode_temperature": 0.9, "dither": 1e-3, "seed": 0}


def test_the_source_reaches_fast_naive_and_exported_draws_alike(tmp_path):
    model = WaveNet(**PITCH, vocode_temperature=1.0)
    kernel = model.source_embedding.kernel
    kernel.assign(np.random.default_rng(0).normal(0.0, 2.0, kernel.shape))
    mel = voiced_mel(model).numpy()
    source = excitation_source(model, mel, 200).numpy()[0]
    assert source[:, 0].sum() >= 3 and source[:, 1].max() > 0.3  # pulses, voiced
    kwargs = dict(num=1, temperature=1.0, seed=5, mel=mel)
    naive = wavenet_generation.naive_generate(model, 200, **kwargs)
    np.testing.assert_array_equal(wavenet_generation.fast_generate(model, 200, jit_compile=False, **kwargs), naive)
    np.testing.assert_array_equal(wavenet_generation.fast_generate(model, 200, jit_compile=True, **kwargs), naive)
    export = export_saved_model(model, str(tmp_path / "pitch"))
    served = tf.saved_model.load(export).signatures["generate_xla"](
        num=tf.constant(1), seed=tf.constant(5, tf.int64), num_samples=tf.constant(200),
        temperature=tf.constant(1.0), mel=tf.constant(mel))["waveform"].numpy()
    np.testing.assert_allclose(served, model.decode(naive, mel).numpy(), atol=1e-4)
    kernel.assign(np.zeros(kernel.shape))  # without the source the draws are other ones
    assert not np.array_equal(wavenet_generation.fast_generate(model, 200, jit_compile=False, **kwargs), naive)


def test_training_marks_the_recording_s_pulses_and_generation_free_runs():
    model = WaveNet(**PITCH)
    clip = pulses(3200)
    mel = model.log_mel(clip)
    marks = excitation_source(model, mel, 3200, clip).numpy()[0]
    voiced = marks[:, 1] > 0.5
    assert voiced.mean() > 0.5
    onsets = np.flatnonzero(marks[:, 0] > 0)
    phases = set(onsets[voiced[onsets]] % 20)
    assert len(phases) == 1 and abs(phases.pop() - 7) <= 1, phases  # at the recording's own pulses (their onsets)
    free = np.flatnonzero(excitation_source(model, mel, 3200).numpy()[0, :, 0] > 0)
    assert abs(np.median(np.diff(free)) - 20) <= 1  # the same period, its own phase


def test_a_warm_start_from_a_wavenet_without_the_source_keeps_its_audio(tmp_path):
    plain = WaveNet(**{**PITCH, "pitch_source": False}, seed=0)
    plain.compile(**WaveNet.compile_kwargs("tiny"))
    plain.fit(np.stack([tones([200.0, 400.0], 0.25)] * 4), epochs=1, batch_size=4, verbose=0)
    export = export_saved_model(plain, str(tmp_path / "plain"))
    pitched = WaveNet(**PITCH, seed=0)
    with pytest.raises(ValueError, match="source_embedding"):
        copy_weights_from(pitched, export)  # the export lacks the new input
    copy_weights_from(pitched, export, partial=True)
    assert not np.any(pitched.source_embedding.kernel.numpy())  # kept at its initial zeros
    mel = voiced_mel(plain).numpy()
    np.testing.assert_array_equal(pitched.generate(1, seed=3, mel=mel, num_samples=300),
                                  plain.generate(1, seed=3, mel=mel, num_samples=300))
    with pytest.raises(ValueError, match="does not fit"):  # the other way: the export holds a weight we lack
        copy_weights_from(WaveNet(**{**PITCH, "pitch_source": False}), export_saved_model(pitched, str(tmp_path / "pitched")), partial=True)


def test_bad_settings_name_themselves():
    with pytest.raises(ValueError, match="lpc_order"):
        WaveNet(**{**PITCH, "lpc_order": 0})
    with pytest.raises(ValueError, match="pitch_source"):
        WaveNet(**{**PITCH, "pitch_source": "yes"})
    with pytest.raises(ValueError, match="pass `source`"):
        model = WaveNet(**PITCH)
        model(tf.zeros([1, 10], tf.int32), mel=tf.zeros([1, 2, model.num_mel_bins]))


def voiced_clips(count, seed, num_samples=1000):
    """Pulse trains (periods 16-20 samples: 200-250 Hz, random phases) and noise through one resonance."""
    rng = np.random.default_rng(seed)
    clips = []
    for _ in range(count):
        clip = pulses(num_samples, int(rng.integers(16, 21)), int(rng.integers(0, 16)))[0]
        clip = clip + 0.02 * rng.standard_normal(num_samples)  # breath between pulses: the past shows no phase
        r, theta = 0.9, 2.0  # a resonance at 1.27 kHz, well above the pitch range
        out = np.zeros_like(clip)
        for t in range(num_samples):
            out[t] = clip[t] + 2 * r * np.cos(theta) * out[t - 1] - r * r * out[t - 2] if t > 1 else clip[t]
        clips.append(0.4 * out / np.abs(out).max())
    return np.stack(clips).astype("float32")


def test_the_source_teaches_where_pulses_go():
    """Trained alike on voiced clips, the pitch-excited WaveNet predicts held-out clips' excitation better
    than the same WaveNet without the source: its 9-sample receptive field cannot see the last pulse, the
    source says where the next one is."""
    train, held_out = voiced_clips(32, seed=0), voiced_clips(8, seed=1)
    results = {}
    for pitch_source in (False, True):
        keras.utils.set_random_seed(0)
        model = WaveNet(**{**PITCH, "pitch_source": pitch_source, "segment_samples": 1000})
        model.compile(**WaveNet.compile_kwargs("tiny"))
        model.fit(train, epochs=50, batch_size=8, verbose=0)
        results[pitch_source] = float(np.mean(model.run_endpoint("likelihood", waveform=held_out)["bits_per_sample"]))
    assert results[True] < results[False] - 0.1, results  # measured: 6.26 against 6.46 bits
