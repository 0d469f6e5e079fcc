"""GCDG: the article's equation to the number, each term by hand, the shared family checks, its data."""
import keras
import numpy as np
import pytest
import soundfile as sf
import tensorflow as tf

from gan_audio.models import GCDG
from gan_audio.models.adversarial import loss_terms
from gan_audio.models.gcdg.gcdg_networks import PhaseShuffle, random_crops
from gan_audio.recipes import texture_dataset
from tests.family_test_case import FamilyTestCase


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _totals(model, batch, fake, training=False):
    """``(d_loss, g_loss)`` of the hooks on one real and one generated batch."""
    names = model.loss_names()
    d_total, _ = loss_terms.average_terms(model.discriminator_losses(batch, fake, training), names.discriminator,
                                          names.monitors, "d")
    g_total, _ = loss_terms.average_terms(model.generator_losses(batch, fake, training), names.generator,
                                          names.monitors, "g")
    return d_total, g_total


def _layers(network):
    return [(type(layer).__name__, getattr(layer, "units", None), getattr(getattr(layer, "activation", None),
                                                                          "__name__", None))
            for layer in network.layers if isinstance(layer, keras.layers.Dense)]


def test_article3_preset_is_the_articles_network():
    model = GCDG.from_preset("article3")
    assert model.generator.input_shape == (None, 100) and model.generator.output_shape == (None, 22050)
    assert _layers(model.generator) == [("Dense", 128, "relu"), ("Dense", 22050, "sigmoid")]
    assert model.discriminator.input_shape == (None, 22050)
    assert _layers(model.discriminator) == [("Dense", 128, "relu"), ("Dense", 1, "linear")]  # sigmoid: in the loss
    assert model.sample_rate == 22050 and GCDG.compile_kwargs("article3")["loss"] == "minimax"
    model.compile(**GCDG.compile_kwargs("article3"))
    names = model.loss_names()
    assert (names.discriminator, names.generator) == (("d_adversarial",), ("g_adversarial",))


def test_article3_is_the_articles_equation_to_the_number():
    model = GCDG.from_preset("article3", seed=0)
    model.compile(**GCDG.compile_kwargs("article3"))
    rng = np.random.default_rng(0)
    batch = model.unpack(rng.uniform(-0.5, 0.5, (4, 22050)).astype("float32"))
    assert 0.0 <= float(tf.reduce_min(batch["real"])) and float(tf.reduce_max(batch["real"])) <= 1.0  # G's range
    noise = rng.standard_normal((4, 100)).astype("float32")
    batch["generator_inputs"] = noise
    fake = model.generator(noise)
    d_loss, g_loss = _totals(model, batch, fake)
    p_real = sigmoid(model.discriminator(batch["real"])["logits"].numpy()[:, 0].astype(np.float64))
    p_fake = sigmoid(model.discriminator(fake)["logits"].numpy()[:, 0].astype(np.float64))
    # L_GCDG = −E_x[log D(x)] + E_z[log(1 − D(G(z)))]
    article = -np.mean(np.log(p_real)) + np.mean(np.log(1.0 - p_fake))
    np.testing.assert_allclose(float(g_loss), np.mean(np.log(1.0 - p_fake)), rtol=1e-5)
    np.testing.assert_allclose(float(d_loss), -np.mean(np.log(p_real)) - np.mean(np.log(1.0 - p_fake)), rtol=1e-5)
    np.testing.assert_allclose(float(d_loss) + 2.0 * float(g_loss), article, rtol=1e-5)
    # ... and the generator descends the article's L itself (its other term does not depend on G)
    real_logit = model.discriminator(batch["real"])["logits"]
    with tf.GradientTape(persistent=True) as tape:
        fake = model.generator(noise)
        _, g_loss = _totals(model, batch, fake)
        fake_logit = model.discriminator(fake)["logits"]
        article = tf.reduce_mean(tf.nn.softplus(-real_logit)) - tf.reduce_mean(tf.nn.softplus(fake_logit))
    variables = model.generator.trainable_variables
    for ours, theirs in zip(tape.gradient(g_loss, variables), tape.gradient(article, variables)):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-9)


def test_sigmoid_generator_is_served_as_audio_in_minus_one_one():
    model = GCDG.from_preset("article3", seed=0)
    noise = np.random.default_rng(1).standard_normal((2, 100)).astype("float32")
    waveform = model.serve(noise)["waveform"].numpy()
    np.testing.assert_allclose(waveform, 2.0 * model.generator(noise).numpy() - 1.0, rtol=1e-6)
    assert waveform.min() >= -1.0 and waveform.max() <= 1.0


def test_r1_term_by_hand_on_a_linear_discriminator():
    model = GCDG(architecture="dense", sample_rate=100, clip_seconds=0.04, latent_dim=2, generator_units=[3],
                 discriminator_units=[2], r1_gamma=3.0, seed=0)
    model.compile()
    w1 = np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 1.0], [0.0, 3.0]], "float32")
    w2 = np.array([[1.5], [-0.5]], "float32")
    model.discriminator.get_layer("dense_0").set_weights([w1, np.full(2, 10.0, "float32")])  # ReLU always on
    model.discriminator.get_layer("logit").set_weights([w2, np.zeros(1, "float32")])
    real = np.random.default_rng(2).uniform(-1, 1, (3, 4)).astype("float32")
    terms = model.discriminator_losses(model.unpack(real), model.generator(np.ones((3, 2), "float32")),
                                       training=False)
    # l(x) = w2·(W1ᵀx + b1) + b2 on [-1, 1]⁴, so ∇_x l = W1 w2 and the term is γ/2 ‖W1 w2‖²
    expected = 3.0 / 2.0 * np.sum(np.square(w1 @ w2[:, 0]))
    np.testing.assert_allclose(terms["gradient"].numpy(), [expected] * 3, rtol=1e-6)
    assert expected == pytest.approx(1.5 * 19.640625)


@pytest.fixture(scope="module")
def tiny():
    model = GCDG.from_preset("tiny", seed=0)
    model.compile(**GCDG.compile_kwargs("tiny"))
    noise = np.random.default_rng(3).standard_normal((4, model.latent_dim)).astype("float32")
    real = np.random.default_rng(4).uniform(-0.3, 0.3, (4, model.clip_samples)).astype("float32")
    return model, {"real": tf.constant(real), "generator_inputs": tf.constant(noise)}, model.generator(noise)


def test_contrastive_term_is_info_nce_between_two_crops_of_each_texture(tiny):
    model, batch, fake = tiny
    state = keras.ops.convert_to_numpy(model.seed_generator.state)
    terms = model.generator_losses(batch, fake, training=False)
    model.seed_generator.state.assign(state)  # replay the crops' draws
    crops = [random_crops(fake, model.crop_samples, model.seed_generator) for _ in range(2)]
    u, v = (model.discriminator(c)["embedding"].numpy().astype(np.float64) for c in crops)
    u, v = u / np.linalg.norm(u, axis=1, keepdims=True), v / np.linalg.norm(v, axis=1, keepdims=True)
    logits = u @ v.T / model.temperature
    expected = np.log(np.exp(logits).sum(axis=1)) - np.diag(logits)
    np.testing.assert_allclose(terms["contrastive"].numpy(), model.contrastive_weight * expected, rtol=1e-4)


def test_directional_term_pairs_each_latent_with_the_next(tiny):
    model, batch, fake = tiny
    z, x = batch["generator_inputs"].numpy(), fake.numpy().astype(np.float64)
    ratio = (np.abs(z - np.roll(z, 1, axis=0)).sum(axis=1)
             / (np.abs(x - np.roll(x, 1, axis=0)).sum(axis=1) + 1e-5))
    terms = model.generator_losses(batch, fake, training=False)
    np.testing.assert_allclose(terms["directional"].numpy(), model.directional_weight * ratio, rtol=1e-5)


@pytest.mark.parametrize("weight,name", [("r1_gamma", "gradient"), ("contrastive_weight", "contrastive"),
                                         ("directional_weight", "directional")])
def test_each_term_switches_off_with_its_weight(weight, name):
    model = GCDG.from_preset("tiny", **{weight: 0.0})
    model.compile(**GCDG.compile_kwargs("tiny"))
    names = model.loss_names()
    assert name not in names.discriminator + names.generator
    assert len(names.discriminator + names.generator) == 4  # the others stay


def test_random_crops_are_windows_of_their_own_clip():
    clips = tf.reshape(tf.range(3 * 20, dtype=tf.float32), (3, 20))
    crops = random_crops(clips, 6, keras.random.SeedGenerator(0)).numpy()
    for row, clip in zip(crops, clips.numpy()):
        start = int(row[0] - clip[0])
        assert 0 <= start <= 14 and np.array_equal(row, clip[start:start + 6])
    with pytest.raises(ValueError, match="length"):
        random_crops(clips, 21, keras.random.SeedGenerator(0))


def test_phase_shuffle_shifts_each_example_with_reflection_and_only_while_training():
    x = tf.reshape(tf.range(16 * 12 * 2, dtype=tf.float32), (16, 12, 2))
    layer = PhaseShuffle(2, seed=0)
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    y = layer(x, training=True).numpy()
    shifts = []
    for out, original in zip(y, x.numpy()):
        for n in range(-2, 3):
            index = np.arange(12) - n
            index = np.where(index < 0, -index, np.where(index > 11, 22 - index, index))
            if np.array_equal(out, original[index]):
                shifts.append(n)
                break
    assert len(shifts) == 16 and len(set(shifts)) > 1
    clone = PhaseShuffle.from_config(layer.get_config())
    assert (clone.radius, clone.seed) == (2, 0)


def test_bad_arguments_are_one_line_errors():
    for kwargs, word in [({"crop_length": 5000}, "crop_length"), ({"clip_seconds": 0.0645}, "clip_seconds"),
                         ({"r1_gamma": -1.0}, "r1_gamma"), ({"temperature": 0.0}, "temperature"),
                         ({"conditional": True, "num_classes": 10}, "conditional"),
                         ({"generator_filters": [16]}, "generator_filters"), ({"architecture": "rnn"}, "architecture")]:
        with pytest.raises(ValueError, match=word):
            GCDG.from_preset("tiny", **kwargs)


class TestTinyGCDG(FamilyTestCase):
    model_class = GCDG
    init_kwargs = {**GCDG.PRESETS["tiny"]["config"], "seed": 0}
    preset = "tiny"
    generation_request = {"num": 3, "seed": 7, "seconds": 0.15}  # over two clips: the round trips cover the crossfades

    def train_dataset(self, model):
        return texture_dataset(model, {"data": "spoken_digits", "batch_size": 8, "num_textures": 32}).dataset

    def example_inputs(self, model):
        return {"noise": np.random.default_rng(4).standard_normal((3, model.latent_dim)).astype("float32")}

    def test_shared_checks(self, tmp_path):
        history = self.run_shared_checks(self.make_model(), tmp_path)
        assert sorted(history.history) == ["contrastive", "d_adversarial", "d_fake", "d_loss", "d_real",
                                           "directional", "g_adversarial", "g_loss", "gradient"]

    def test_mixed_precision(self):
        self.run_mixed_precision_test()


def test_texture_data_is_babble_at_each_density_or_a_folder_of_recordings(tmp_path):
    model = GCDG.from_preset("tiny")
    data = texture_dataset(model, {"data": "spoken_digits", "talkers": [4, 16], "num_textures": 8, "batch_size": 4})
    clips = next(iter(data.dataset)).numpy()
    assert clips.shape == (4, model.clip_samples) and data.steps_per_pass == 2 and data.class_names is None
    rms = np.sqrt(np.mean(np.square(clips), axis=1))
    assert np.all(rms <= 0.1 + 1e-4) and np.all(rms > 0.01)  # babble is normalised to RMS 0.1 (peaks kept ≤ 1)
    for i in range(2):
        sf.write(str(tmp_path / f"rain_{i}.wav"), 0.1 * np.random.default_rng(i).standard_normal(8000), 16000)
    folder = texture_dataset(model, {"data": str(tmp_path), "batch_size": 2})
    assert next(iter(folder.dataset)).shape == (2, model.clip_samples)
    with pytest.raises(ValueError, match="num_textures"):
        texture_dataset(model, {"data": "spoken_digits", "num_textures": 2, "batch_size": 4})


def test_babble_source_keeps_held_out_voices_out_of_the_babble(monkeypatch):
    from gan_audio import recipes

    sources = []
    real = recipes.babble_clips
    monkeypatch.setattr(recipes, "babble_clips", lambda source, *a, **k: sources.append(source) or real(source, *a, **k))
    model = GCDG.from_preset("tiny")
    settings = {"data": "babble:4", "num_textures": 4, "batch_size": 4, "seed": 0}
    train = next(iter(texture_dataset(model, {**settings, "babble_source": "spoken_digits:train"}).dataset)).numpy()
    test = next(iter(texture_dataset(model, {**settings, "babble_source": "spoken_digits:test"}).dataset)).numpy()
    texture_dataset(model, settings)
    assert sources == ["spoken_digits:train", "spoken_digits:test", "spoken_digits"]
    assert not np.allclose(train, test)  # other voices, other babble


def test_long_textures_are_crossfaded_segments_of_seeded_latents():
    from gan_audio.models.gcdg.long_textures import crossfade_segments, segment_count
    from gan_audio.models.adversarial.noise import noise_from_seed

    tiny = GCDG.from_preset("tiny", seed=0)
    seconds, num = 0.2, 2
    total = int(round(seconds * tiny.sample_rate))
    long = tiny.synthesize(num, seed=3, seconds=seconds)["waveform"]
    count = segment_count(total, tiny.clip_samples, tiny.crossfade_samples)
    assert long.shape == (num, total) and count == 4  # ceil((3200 - 256) / 768)
    clips = tiny.decode_noise(noise_from_seed(count * num, tiny.latent_dim, 3))["waveform"].numpy()
    segments = clips.reshape(count, num, -1).transpose(1, 0, 2)
    np.testing.assert_allclose(long, crossfade_segments(segments, tiny.crossfade_samples, total), atol=1e-6)
    short = tiny.synthesize(num, seed=3)["waveform"]  # the model's clip length: the first segment
    assert short.shape == (num, tiny.clip_samples)
    np.testing.assert_allclose(long[:, : tiny.clip_samples - tiny.crossfade_samples],
                               short[:, : tiny.clip_samples - tiny.crossfade_samples], atol=1e-6)
    assert not np.allclose(long[:, -500:], long[:, :500])
    with pytest.raises(ValueError, match="seconds"):
        tiny.synthesize(1, seed=0, seconds=1.0, temperature=2.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="seconds"):
        tiny.synthesize(1, seed=0, seconds=-1.0)


def test_crossfade_length_is_a_config_key_that_survives_reload(tmp_path):
    model = GCDG.from_preset("tiny", crossfade_seconds=0.01)
    assert model.crossfade_samples == 160
    path = str(tmp_path / "m.keras")
    model.save(path)
    assert keras.saving.load_model(path).crossfade_samples == 160
    with pytest.raises(ValueError, match="crossfade_seconds"):
        GCDG.from_preset("tiny", crossfade_seconds=0.064)


def test_cli_trains_on_babble_and_generates_long_textures_from_the_run_and_the_export(tmp_path, capsys):
    from gan_audio import cli

    run, saved = str(tmp_path / "run"), str(tmp_path / "saved_models" / "babble")
    assert cli.main(["train", "gcdg", "--preset", "tiny", "--data", "babble:4", "--epochs", "1",
                     "--steps-per-epoch", "2", "--batch-size", "8", "--out", run]) == 0
    assert cli.main(["export", run, "--out", saved]) == 0
    for source, out in ((run, tmp_path / "a"), (saved, tmp_path / "b")):
        assert cli.main(["generate", source, "--num", "2", "--seconds", "0.5", "--seed", "4", "--out", str(out)]) == 0
    a, rate = sf.read(str(tmp_path / "a" / "sample_01.wav"), dtype="float32")
    b, _ = sf.read(str(tmp_path / "b" / "sample_01.wav"), dtype="float32")
    assert rate == 16000 and a.shape == (8000,) and np.std(a) > 0
    np.testing.assert_array_equal(a, b)  # the same seed: the same texture from the run and its export
    capsys.readouterr()
    assert cli.main(["train", "gcdg", "--preset", "tiny", "--data", "babble:four", "--out", str(tmp_path / "x")]) == 2
    assert "babble:K" in capsys.readouterr().err
