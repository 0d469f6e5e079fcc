"""WaveNet: shared family checks, causality, receptive field, μ-law, fast == naive, learning tones."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.models.wavenet import wavenet_generation
from gan_audio.models.wavenet.wavenet import WaveNet
from gan_audio.models.wavenet.wavenet_generation import GENERATE_XLA
from gan_audio.models.wavenet.wavenet_vocoding import LIKELIHOOD, is_vocoder
from tests.family_test_case import FamilyTestCase

SR = 4000
TINY = WaveNet.PRESETS["tiny"]["config"]


def tones(frequencies, seconds, amplitude=0.25):
    t = np.arange(int(seconds * SR)) / SR
    return sum(amplitude * np.sin(2 * np.pi * f * t) for f in frequencies).astype("float32")


def random_crops(wave, length, count, seed):
    starts = np.random.default_rng(seed).integers(0, len(wave) - length, count)
    return np.stack([wave[s:s + length] for s in starts])


def spectral_peaks(audio, count):
    """The `count` strongest local maxima of a Hann-windowed spectrum, in Hz."""
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    peaks = [i for i in range(1, len(spectrum) - 1) if spectrum[i - 1] <= spectrum[i] >= spectrum[i + 1]]
    return sorted(np.fft.rfftfreq(len(audio), 1 / SR)[sorted(peaks, key=lambda i: -spectrum[i])[:count]])


class TestTinyWaveNet(FamilyTestCase):
    model_class = WaveNet
    init_kwargs = {**TINY, "num_classes": 2, "class_names": ["low", "high"], "seed": 0}
    preset = "tiny"
    generation_request = {"num": 3, "seed": 7, "num_samples": 40, "temperature": 1.0}

    def train_dataset(self, model):
        waves = np.stack([tones([200.0], 0.1), tones([500.0], 0.1)] * 4)
        data = (waves, np.arange(8) % 2) if model.conditional else waves
        return tf.data.Dataset.from_tensor_slices(data).repeat().batch(4)

    def waveform(self, model):
        return {"waveform": (0.3 * np.random.default_rng(0).standard_normal((3, 120))).astype("float32")}

    def mel(self, model, frames):
        return np.random.default_rng(1).normal(-20.0, 10.0, (3, frames, model.num_mel_bins)).astype("float32")

    def example_inputs(self, model):
        if is_vocoder(model):  # serving_default: log-mel → waveform
            return {"mel": self.mel(model, 2)}
        label = {"label": np.array([0, 1, 1], "int32")} if model.conditional else {}
        return {**self.waveform(model), **label}

    def other_endpoint_inputs(self, model):
        vocoding = {LIKELIHOOD: self.waveform(model), "resynthesize": self.waveform(model)} if is_vocoder(model) else {}
        return {GENERATE_XLA: self.request(model), **vocoding}

    def request(self, model):
        request = super().request(model)
        return {**request, "mel": self.mel(model, 2)} if model.local_conditioning else request

    def test_shared_checks(self, tmp_path):
        model = self.make_model()
        history = self.run_shared_checks(model, tmp_path)
        evaluated = model.evaluate(self.train_data, steps=1, verbose=0, return_dict=True)
        assert sorted(evaluated) == ["accuracy", "bits_per_sample", "loss"] and np.isfinite(evaluated["loss"])
        assert sorted(history.history) == ["accuracy", "bits_per_sample", "loss"]
        np.testing.assert_allclose(history.history["bits_per_sample"], np.array(history.history["loss"]) / np.log(2),
                                   rtol=1e-5)

    def test_mixed_precision(self):
        self.run_mixed_precision_test()


def test_causal_and_receptive_field_is_exact():
    model = WaveNet(**{**TINY, "kernel_size": 3, "stacks": 2, "input_kernel_size": 2})
    rf = model.receptive_field
    assert rf == (3 - 1) * 2 * (1 + 2 + 4) + 2 == 30
    codes = np.random.default_rng(0).integers(0, 256, (1, 90)).astype("int32")
    base = model(codes).numpy()
    future = codes.copy()
    future[:, 50:] = np.random.default_rng(1).integers(0, 256, (1, 40))
    np.testing.assert_array_equal(model(future).numpy()[:, :50], base[:, :50])  # the past ignores the future
    for t in (0, 20, 45):
        probe = codes.copy()
        probe[0, t] = (probe[0, t] + 97) % 256
        changed = np.flatnonzero(np.max(np.abs(model(probe).numpy() - base), axis=(0, 2)) > 0)
        assert changed.min() == t and changed.max() == min(t + rf - 1, 89) and len(changed) == changed.max() - t + 1


def test_mu_law_round_trip_over_all_levels():
    model = WaveNet(**TINY)
    levels = np.arange(256, dtype="int32")
    waveform = model.decode(levels).numpy()
    assert waveform.min() == -1.0 and waveform.max() == 1.0 and np.all(np.diff(waveform) > 0)
    np.testing.assert_array_equal(model.encode(waveform).numpy(), levels)
    assert model.encode(np.float32(0.0)).numpy() == model.silence_code == 128


def test_fast_generation_equals_naive_for_the_same_seed():
    model = WaveNet(**{**TINY, "num_classes": 3, "input_kernel_size": 3, "kernel_size": 3, "stacks": 2})
    kwargs = dict(num=2, label=[0, 2], temperature=1.0, seed=11)
    naive = wavenet_generation.naive_generate(model, 100, **kwargs)
    fast = wavenet_generation.fast_generate(model, 100, jit_compile=False, **kwargs)
    np.testing.assert_array_equal(fast, naive)
    np.testing.assert_array_equal(wavenet_generation.fast_generate(model, 100, jit_compile=True, **kwargs), naive)
    assert len(np.unique(naive)) > 20  # really sampled, not a constant
    served = model.run_endpoint("generate", num=2, seed=11, num_samples=100, temperature=1.0,
                                label=np.array([0, 2], "int32"))["waveform"]
    np.testing.assert_array_equal(model.encode(served).numpy(), naive)  # the same codes
    assert not np.array_equal(wavenet_generation.fast_generate(model, 100, **{**kwargs, "seed": 12}), naive)
    assert model.generate(1, labels=1, seed=3, num_samples=30).shape == (1, 30)
    # every family's generate(num, labels, seed): the length is a named option, seconds or num_samples
    assert model.generate(2, labels=[0, 1], seed=3, seconds=30 / model.sample_rate).shape == (2, 30)
    with pytest.raises(ValueError, match="not both"):
        model.generate(1, labels=1, num_samples=30, seconds=1.0)
    state = np.array(model.seed_generator.state) if hasattr(model, "seed_generator") else None
    first, second = (model.generate(1, labels=1, num_samples=30) for _ in range(2))  # seed None: the next seed
    assert not np.array_equal(first, second)
    if state is not None:
        np.testing.assert_array_equal(np.array(model.seed_generator.state), state)  # training draws untouched


def test_presets_are_the_documented_stacks():
    article = WaveNet.from_preset("article5")
    assert article.dilations == tuple(2**i for i in range(10)) and article.receptive_field == 1024
    assert (article.residual_channels, article.gate_channels, article.skip_channels) == (32, 32, 64)
    assert [layer.name for layer in article.layers if layer.weights] == (
        ["input_embedding"] + [f"block_{i}" for i in range(10)] + ["head_hidden", "head_logits"])
    assert not article.blocks[-1].residual and article.blocks[-2].residual
    default = WaveNet.PRESETS["default"]["config"]
    assert default["stacks"] * default["layers_per_stack"] == 20 and default["num_classes"] == 10
    assert WaveNet.from_preset("tiny").receptive_field == 9


def test_bad_arguments_give_one_line_errors():
    model, conditional = WaveNet(**TINY), WaveNet(**{**TINY, "num_classes": 2})
    cases = [
        (lambda: WaveNet(**{**TINY, "kernel_size": 1}), "kernel_size"),
        (lambda: WaveNet(**{**TINY, "layers_per_stack": 0}), "layers_per_stack"),
        (lambda: WaveNet(**{**TINY, "frame_step": 0}), "frame_step"),
        (lambda: model.generate(num_samples=10, mel=np.zeros((1, 2, 80), "float32")), "no local conditioning"),
        (lambda: WaveNet(**{**TINY, "num_classes": 2, "class_names": ["a"]}), "class_names"),
        (lambda: model.generate(num_samples=10, temperature=0.0), "temperature"),
        (lambda: model.generate(num_samples=0), "num_samples"),
        (lambda: model.generate(num_samples=10, method="slow"), "method"),
        (lambda: model.generate(num_samples=10, labels=1), "not label-conditional"),
        (lambda: conditional.generate(num_samples=10), "label-conditional"),
        (lambda: conditional.generate(2, labels=[0, 5], num_samples=10), "outside"),
        (lambda: WaveNet.from_preset("huge"), "preset"),
        (lambda: conditional.synthesize(2, labels=0, seed=0, crossfade=1.0), "crossfade"),
    ]
    for call, match in cases:
        with pytest.raises(ValueError, match=match) as error:
            call()
        assert "\n" not in str(error.value), str(error.value)
    conditional.compile(optimizer="adam")
    with pytest.raises(ValueError, match="label"):
        conditional.fit(np.zeros((2, 64), "float32"), epochs=1, verbose=0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_classes"):
        conditional.serve(waveform=np.zeros((1, 10), "float32"), label=np.array([2], "int32"))


def test_seconds_become_samples_at_the_models_rate():
    model = WaveNet(**{**TINY, "num_classes": 2})
    audio = model.synthesize(2, labels=1, seed=4, seconds=0.03)["waveform"]
    assert audio.shape == (2, 120)  # 0.03 s at 4 kHz
    np.testing.assert_array_equal(audio, model.synthesize(2, labels=1, seed=4, num_samples=120)["waveform"])


def _fit(model, crops, labels=None, epochs=5):
    model.compile(optimizer=keras.optimizers.Adam(3e-3))
    return model.fit(crops, labels, batch_size=16, epochs=epochs, verbose=0).history["loss"]


def test_tiny_wavenet_learns_a_three_tone_chord():
    chord = (200.0, 250.0, 300.0)  # 4 kHz: one period is 80 samples, within the receptive field (129)
    model = WaveNet(**{**TINY, "residual_channels": 16, "gate_channels": 16, "skip_channels": 32,
                       "layers_per_stack": 7})
    losses = _fit(model, random_crops(tones(chord, 3.0), 256, 480, seed=0))
    assert losses[0] > 1.0 and losses[-1] < 0.1 * losses[0], losses
    for audio in model.generate(4, seed=0, num_samples=2000, temperature=0.7):
        np.testing.assert_allclose(spectral_peaks(audio, 3), chord, atol=4.0)


def test_the_label_selects_the_tone():
    # Short crops: only the first samples of a crop need the label (later ones can tell
    # the tone from the history), so many crops make the label matter in training.
    frequencies = (200.0, 500.0)
    model = WaveNet(**{**TINY, "residual_channels": 16, "gate_channels": 16, "skip_channels": 32,
                       "layers_per_stack": 5, "num_classes": 2})
    crops = np.concatenate([random_crops(tones([f], 2.0, 0.5), 32, 480, seed=i) for i, f in enumerate(frequencies)])
    losses = _fit(model, crops, np.repeat([0, 1], 480), epochs=4)
    assert losses[-1] < 0.1 * losses[0], losses
    labels = [0, 1] * 4
    audio = model.generate(8, labels=labels, seed=1, num_samples=1000, temperature=0.7)
    for clip, label in zip(audio, labels):
        assert abs(spectral_peaks(clip, 1)[0] - frequencies[label]) <= 4.0


def test_export_generates_by_xla_with_the_plain_loops_samples_and_falls_back_without_it(tmp_path, monkeypatch):
    from gan_audio.export import ServedModel, export_saved_model
    from gan_audio.serving import GENERATE

    model = WaveNet(**TINY, num_classes=2, seed=0)
    served = ServedModel(export_saved_model(model, str(tmp_path / "wn")))
    assert GENERATE_XLA in served.endpoint_names and served.metadata["generation_endpoint"] == GENERATE_XLA
    request = {"num": 2, "seed": 5, "num_samples": wavenet_generation.CHUNK + 188, "temperature": 1.0,
               "label": np.array([0, 1], "int32")}  # more than one XLA chunk, and not a whole number of them
    fast = served.run_endpoint(GENERATE_XLA, **request)["waveform"]
    plain = served.run_endpoint(GENERATE, **request)["waveform"]
    assert fast.shape == plain.shape == (2, request["num_samples"])
    assert np.mean(fast == plain) > 0.99  # XLA may round a logit differently and, rarely, flip a sample
    own = model.generate(2, labels=[0, 1], seed=5, num_samples=request["num_samples"])  # the run's audio
    np.testing.assert_array_equal(served.generate(2, labels=[0, 1], seed=5, num_samples=request["num_samples"]), own)
    np.testing.assert_array_equal(own, fast)  # the same floats (a code table, not a formula rounded two ways)
    assert np.std(fast) > 0
    with pytest.raises(tf.errors.InvalidArgumentError, match="label"):  # checked outside XLA, which drops asserts
        served.run_endpoint(GENERATE_XLA, **{**request, "label": np.array([0, 2], "int32")})
    called = []
    run = served.run_endpoint

    def no_xla(name, **inputs):
        called.append(name)
        if name == GENERATE_XLA:
            raise tf.errors.UnimplementedError(None, None, "Could not find compiler for platform")
        return run(name, **inputs)

    monkeypatch.setattr(served, "run_endpoint", no_xla)
    again = served.synthesize(2, labels=[0, 1], seed=5, num_samples=request["num_samples"])["waveform"]
    assert called == [GENERATE_XLA, GENERATE]
    np.testing.assert_array_equal(again, plain)
