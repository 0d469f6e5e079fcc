"""Feature layers against librosa (the oracle), serialisation and graph use."""
import doctest

import keras
import librosa
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.features import (
    GriffinLim,
    LogMelCodec,
    LogMelSpectrogram,
    MinMaxNormalization,
    MuLawDecoding,
    MuLawEncoding,
    Spectrogram,
)
from gan_audio.features import alignment, codec, griffin_lim, mulaw, normalization, spectral

SR = 16000


def speech_like(seconds=1.0, sample_rate=SR, seed=0):
    """Chirping harmonic tone (f0 120 -> 200 Hz, 7 harmonics) plus faint noise."""
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    f0 = 120.0 + 80.0 * t / seconds
    phase = 2.0 * np.pi * np.cumsum(f0) / sample_rate
    y = sum(0.3 / k * np.sin(k * phase) for k in range(1, 8))
    y = y + 0.005 * np.random.default_rng(seed).standard_normal(t.size)
    return y.astype(np.float32)


def spectral_convergence(target, estimate):
    return np.linalg.norm(target - estimate) / np.linalg.norm(target)


@pytest.fixture(scope="module")
def wave():
    return speech_like()


@pytest.mark.parametrize("module", [spectral, normalization, mulaw, griffin_lim, codec, alignment])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, extraglobs={"tf": tf, "np": np})
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("frame_length,frame_step,power", [(1024, 256, 2.0), (512, 128, 1.0)])
def test_spectrogram_matches_librosa(wave, frame_length, frame_step, power):
    layer = Spectrogram(frame_length=frame_length, frame_step=frame_step, power=power)
    ours = layer(wave[None])[0].numpy()
    ref = np.abs(librosa.stft(wave, n_fft=frame_length, hop_length=frame_step,
                              window="hann", center=False)) ** power
    assert ours.shape == ref.T.shape == (layer.num_frames(wave.size), frame_length // 2 + 1)
    np.testing.assert_allclose(ours, ref.T, rtol=0, atol=1e-5 * ref.max())


def test_spectrogram_any_batch_and_length():
    layer = Spectrogram(frame_length=256, frame_step=64)
    for shape in [(1, 256), (3, 1000), (2, 5, 777), (300,)]:
        out = layer(tf.zeros(shape))
        assert tuple(out.shape) == shape[:-1] + (1 + (shape[-1] - 256) // 64, 129)


@pytest.mark.parametrize("sample_rate,n_fft,n_mels,fmin,fmax",
                         [(16000, 1024, 64, 0.0, None), (22050, 1024, 80, 50.0, 8000.0),
                          (16000, 512, 128, 0.0, None)])
def test_mel_matrix_matches_librosa_htk(sample_rate, n_fft, n_mels, fmin, fmax):
    layer = LogMelSpectrogram(sample_rate=sample_rate, frame_length=n_fft,
                              num_mel_bins=n_mels, fmin=fmin, fmax=fmax)
    ours = layer.mel_matrix.numpy()
    ref = librosa.filters.mel(sr=sample_rate, n_fft=n_fft, n_mels=n_mels, fmin=fmin,
                              fmax=fmax, htk=True, norm=None)
    assert ours.shape == ref.T.shape
    # TF interpolates the triangles linearly in mel, librosa in Hz: < 0.5 % of the peak.
    assert np.abs(ours - ref.T).max() < 0.005 * ref.max()


def test_log_mel_matches_librosa(wave):
    layer = LogMelSpectrogram(sample_rate=SR, frame_length=1024, frame_step=256,
                              num_mel_bins=64)
    ours = layer(wave[None])[0].numpy()
    mel = librosa.feature.melspectrogram(y=wave, sr=SR, n_fft=1024, hop_length=256,
                                         center=False, htk=True, norm=None, n_mels=64,
                                         power=2.0)
    ref = librosa.power_to_db(mel, ref=1.0, amin=1e-5, top_db=None)
    assert ours.shape == ref.T.shape
    np.testing.assert_allclose(ours, ref.T, atol=0.15)
    assert ours.min() >= -50.0


def test_min_max_round_trip_and_clipping():
    layer = MinMaxNormalization(low=-40.0, high=20.0)
    x = tf.constant([[-40.0, -10.0, 20.0, 5.0]])
    y = layer(x)
    np.testing.assert_allclose(y.numpy(), [[-1.0, 0.0, 1.0, 0.5]], atol=1e-6)
    np.testing.assert_allclose(layer.invert(y).numpy(), x.numpy(), atol=1e-4)
    np.testing.assert_allclose(layer(tf.constant([-100.0, 100.0])).numpy(), [-1.0, 1.0])


def test_min_max_adapt_dataset_tuple_and_array():
    values = np.random.default_rng(1).normal(3.0, 2.0, size=(200, 10, 8)).astype(np.float32)
    expected = np.percentile(values.astype(np.float64), [0.5, 99.5])
    for data in [values,
                 tf.data.Dataset.from_tensor_slices(values).batch(16),
                 tf.data.Dataset.from_tensor_slices((values, np.zeros(200))).batch(7)]:
        layer = MinMaxNormalization()
        layer.adapt(data)
        np.testing.assert_allclose([layer.low, layer.high], expected, rtol=1e-5)
        config = layer.get_config()
        assert (config["low"], config["high"]) == (layer.low, layer.high)
        assert {w.name for w in layer.non_trainable_weights} == {"low", "high"}
    bounded = MinMaxNormalization()
    bounded.adapt(tf.data.Dataset.from_tensor_slices(values).repeat(), max_values=800)
    np.testing.assert_allclose([bounded.low, bounded.high],
                               np.percentile(values.ravel()[:800], [0.5, 99.5]), rtol=1e-5)


def test_min_max_in_dataset_map():
    layer = MinMaxNormalization(low=0.0, high=10.0)
    dataset = tf.data.Dataset.from_tensor_slices(np.full((4, 3), 7.5, np.float32)).map(layer)
    np.testing.assert_allclose(next(iter(dataset)).numpy(), [0.5, 0.5, 0.5])


@pytest.fixture(scope="module")
def log_mel_and_layer(wave):
    layer = LogMelSpectrogram()
    return layer(wave[None]).numpy(), layer


def test_griffin_lim_reconstructs_log_mel(log_mel_and_layer):
    log_mel, analysis = log_mel_and_layer
    interior = slice(4, -4)  # frames without full overlap are not reconstructable
    target_mel = np.sqrt(10.0 ** (log_mel[0, interior] / 10.0))
    errors = {}
    for iterations in (0, 4, 32):
        layer = GriffinLim(iterations=iterations)
        waveform = layer(log_mel)
        assert tuple(waveform.shape) == (1, layer.num_samples(log_mel.shape[1]))
        assert np.abs(waveform.numpy()).max() <= 1.0
        reanalysed = analysis(waveform)[0, interior].numpy()
        mel_error = spectral_convergence(target_mel, np.sqrt(10.0 ** (reanalysed / 10.0)))
        target = layer.magnitude_from_db(log_mel)[0, interior].numpy()
        magnitude = np.sqrt(Spectrogram()(waveform)[0, interior].numpy())
        errors[iterations] = (mel_error, spectral_convergence(target, magnitude))
    assert errors[0][0] > 0.8
    assert errors[32][0] < 0.35  # limited by the pseudo-inverse of the filterbank
    assert errors[32][1] < errors[4][1] < errors[0][1]


def test_griffin_lim_from_true_magnitude_converges(wave):
    magnitude = np.sqrt(Spectrogram()(wave[None]).numpy())
    errors = []
    for iterations in (4, 32):
        waveform = GriffinLim(iterations=iterations).reconstruct(magnitude)
        estimate = np.sqrt(Spectrogram()(waveform).numpy())
        errors.append(spectral_convergence(magnitude[0, 4:-4], estimate[0, 4:-4]))
    assert errors[1] < 0.12 and errors[1] < errors[0]
    slow = GriffinLim(iterations=32, momentum=0.0).reconstruct(magnitude)
    slow_error = spectral_convergence(magnitude, np.sqrt(Spectrogram()(slow).numpy()))
    assert errors[1] < slow_error  # fast Griffin-Lim beats plain Griffin-Lim


def test_griffin_lim_in_tf_function_with_unknown_dims():
    layer = GriffinLim(frame_length=256, frame_step=64, num_mel_bins=16, iterations=3)
    log_mel = LogMelSpectrogram(frame_length=256, frame_step=64, num_mel_bins=16)(
        tf.constant(speech_like(0.1)[None].repeat(2, 0)))
    graph_fn = tf.function(layer, input_signature=[tf.TensorSpec([None, None, 16])])
    out = graph_fn(log_mel)
    assert out.shape == (2, layer.num_samples(log_mel.shape[1]))
    eager = layer(log_mel).numpy()  # graph FFTs round differently; GL amplifies it a bit
    assert np.linalg.norm(out.numpy() - eager) < 1e-2 * np.linalg.norm(eager)
    again = graph_fn(log_mel[:1, :5])
    assert again.shape == (1, layer.num_samples(5))
    assert np.array_equal(layer(log_mel).numpy(), layer(log_mel).numpy())  # deterministic


LAYERS = [
    lambda: Spectrogram(frame_length=256, frame_step=64, power=1.0),
    lambda: LogMelSpectrogram(sample_rate=8000, frame_length=256, frame_step=128,
                              num_mel_bins=20, fmin=20.0, fmax=3000.0),
    lambda: MinMaxNormalization(low=-30.0, high=10.0),
    lambda: MuLawEncoding(64),
    lambda: MuLawDecoding(64),
    lambda: GriffinLim(frame_length=256, frame_step=64, num_mel_bins=16, iterations=2),
    lambda: LogMelCodec(frame_length=256, frame_step=64, num_mel_bins=16, low=-40.0,
                        high=30.0, griffin_lim_iterations=2),
]


@pytest.mark.parametrize("make_layer", LAYERS)
def test_serialize_deserialize_gives_equal_outputs(make_layer):
    layer = make_layer()
    if isinstance(layer, GriffinLim):
        inputs = tf.random.stateless_uniform([2, 9, 16], [0, 1], minval=-40.0, maxval=10.0)
    elif isinstance(layer, MuLawDecoding):
        inputs = tf.constant([[0, 10, 63]])
    else:
        inputs = tf.constant(speech_like(0.05)[None].repeat(2, 0))
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert type(clone) is type(layer) and clone.get_config() == layer.get_config()
    np.testing.assert_array_equal(clone(inputs).numpy(), layer(inputs).numpy())


def test_codec_encode_decode_adapt_and_config(wave):
    layer = LogMelCodec(frame_length=512, frame_step=128, num_mel_bins=32,
                        griffin_lim_iterations=4)
    batch = np.stack([wave, 0.5 * wave])
    encoded = layer(batch)
    assert tuple(encoded.shape) == (2, layer.num_frames(wave.size), 32)
    assert -1.0 <= float(tf.reduce_min(encoded)) and float(tf.reduce_max(encoded)) <= 1.0
    labels = tf.zeros([2], tf.int32)
    layer.adapt(tf.data.Dataset.from_tensor_slices((batch, labels)).batch(1))
    log_mel = LogMelSpectrogram(frame_length=512, frame_step=128, num_mel_bins=32)(batch)
    expected = np.percentile(log_mel.numpy().astype(np.float64), [0.5, 99.5])
    config = layer.get_config()
    np.testing.assert_allclose([config["low"], config["high"]], expected, rtol=1e-5)
    np.testing.assert_allclose(layer.to_db(layer.encode(batch)).numpy(),
                               np.clip(log_mel.numpy(), *expected), atol=1e-3)
    decoded = layer.decode(layer.encode(batch))
    mapped = tf.data.Dataset.from_tensor_slices((batch, labels)).map(lambda w, y: layer(w))
    np.testing.assert_allclose(next(iter(mapped)).numpy(), layer(batch)[0].numpy(), atol=1e-5)
    assert tuple(decoded.shape) == (2, layer.num_samples(encoded.shape[1]))
    keys = {"sample_rate", "frame_length", "frame_step", "fft_length", "num_mel_bins",
            "fmin", "fmax", "low", "high", "griffin_lim_iterations"}
    assert keys <= set(config)


def test_codec_in_model_saves_and_loads_keras_file(tmp_path, wave):
    codec_layer = LogMelCodec(frame_length=256, frame_step=64, num_mel_bins=16,
                              griffin_lim_iterations=2)
    codec_layer.adapt(wave[None])
    inputs = keras.Input(shape=(None,))
    outputs = keras.layers.Dense(3)(codec_layer(inputs))
    model = keras.Model(inputs, outputs)
    batch = wave[None, :2048]
    path = str(tmp_path / "codec.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded(batch).numpy(), model(batch).numpy(), atol=1e-6)
    loaded_codec = [l for l in loaded.layers if isinstance(l, LogMelCodec)][0]
    assert loaded_codec.get_config()["low"] == codec_layer.normalizer.low
    features_ = loaded_codec(batch)
    np.testing.assert_allclose(loaded_codec.decode(features_).numpy(),
                               codec_layer.decode(features_).numpy(), atol=1e-6)


def test_codec_in_saved_model(tmp_path):
    codec_layer = LogMelCodec(frame_length=256, frame_step=64, num_mel_bins=16,
                              low=-45.0, high=25.0, griffin_lim_iterations=2)
    module = tf.Module()
    module.codec = codec_layer
    module.decode = tf.function(codec_layer.decode,
                                input_signature=[tf.TensorSpec([None, None, 16])])
    path = str(tmp_path / "saved")
    tf.saved_model.save(module, path)
    restored = tf.saved_model.load(path)
    normalized = tf.random.stateless_uniform([1, 7, 16], [3, 4], minval=-1.0, maxval=1.0)
    np.testing.assert_allclose(restored.decode(normalized).numpy(),
                               module.decode(normalized).numpy(), atol=1e-6)
    eager = codec_layer.decode(normalized).numpy()
    difference = restored.decode(normalized).numpy() - eager
    assert np.linalg.norm(difference) < 1e-2 * np.linalg.norm(eager)


@pytest.mark.parametrize("factory,argument", [
    (lambda: LogMelSpectrogram(num_mel_bins=0), "num_mel_bins"),
    (lambda: LogMelSpectrogram(sample_rate=16000, fmax=9000.0), "fmax"),
    (lambda: LogMelSpectrogram(fmin=5000.0, fmax=4000.0), "fmin"),
    (lambda: Spectrogram(frame_step=0), "frame_step"),
    (lambda: Spectrogram(frame_length=-1), "frame_length"),
    (lambda: Spectrogram(frame_length=512, fft_length=256), "fft_length"),
    (lambda: Spectrogram(power=0.0), "power"),
    (lambda: GriffinLim(iterations=-1), "iterations"),
    (lambda: GriffinLim(momentum=1.0), "momentum"),
    (lambda: GriffinLim(frame_length=256, frame_step=512), "frame_step"),
    (lambda: LogMelCodec(num_mel_bins=-3), "num_mel_bins"),
    (lambda: MinMaxNormalization(low=1.0, high=1.0), "high"),
    (lambda: MuLawEncoding(1), "quantization_channels"),
    (lambda: Spectrogram(frame_length=1024)(tf.zeros([2, 1000])), "frame_length"),
    (lambda: LogMelCodec().encode(tf.zeros([1, 512])), "frame_length"),
])
def test_bad_arguments_raise_value_error_naming_them(factory, argument):
    with pytest.raises(ValueError, match=f"`{argument}`"):
        factory()
