"""The GAN base class: training step, conditioning, seeding, distribution."""
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.models import GAN
from gan_audio.models.adversarial.loss_terms import LossNames
from tests.family_test_case import REPO, FamilyTestCase


def toy_gan(num_classes=None, latent_dim=4, dim=2, seed=0, **kwargs):
    noise = keras.Input((latent_dim,), name="noise")
    sample = keras.Input((dim,), name="sample")
    g_in, d_in = [noise], [sample]
    g_x, d_x = noise, sample
    if num_classes:
        label = keras.Input((), dtype="int32", name="label")
        g_x = keras.layers.Concatenate()([noise, keras.layers.Embedding(num_classes, 3)(label)])
        d_x = keras.layers.Concatenate()([sample, keras.layers.Embedding(num_classes, 3)(label)])
        g_in, d_in = [noise, label], [sample, label]
    g = keras.layers.Dense(16, activation="relu", kernel_initializer=keras.initializers.GlorotUniform(seed))(g_x)
    g = keras.layers.Dense(dim, kernel_initializer=keras.initializers.GlorotUniform(seed + 1))(g)
    d = keras.layers.Dense(16, activation="relu", kernel_initializer=keras.initializers.GlorotUniform(seed + 2))(d_x)
    d = keras.layers.Dense(1, kernel_initializer=keras.initializers.GlorotUniform(seed + 3))(d)
    generator = keras.Model(g_in if num_classes else noise, g, name="generator")
    discriminator = keras.Model(d_in if num_classes else sample, d, name="discriminator")
    return GAN(generator, discriminator, latent_dim=latent_dim, conditional=bool(num_classes), num_classes=num_classes,
               seed=seed, **kwargs)


def gaussian_data(n=2048, mean=(2.0, -1.0), seed=0):
    rng = np.random.default_rng(seed)
    return (np.asarray(mean) + 0.3 * rng.standard_normal((n, len(mean)))).astype("float32")


def test_compile_defaults_and_bad_arguments():
    gan = toy_gan()
    gan.compile()
    assert gan.g_optimizer is not gan.d_optimizer
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(2e-4)
    assert float(gan.d_optimizer.beta_1) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="minimax"):
        gan.compile(loss="no_such_loss")
    with pytest.raises(ValueError, match="label_smoothing"):
        gan.compile(loss="hinge", label_smoothing=0.1)
    with pytest.raises(ValueError, match="latent_dim"):
        toy_gan(latent_dim=4, discriminator_steps=1).__class__(
            keras.Sequential([keras.Input((1,))]), keras.Sequential([keras.Input((1,))]), latent_dim=0
        )


class TestPlainGAN(FamilyTestCase):
    """The shared family checks on the base class: a generator of 64-sample "waveforms"."""

    model_class = GAN
    compile_kwargs = {"loss": "least_squares"}

    def make_model(self, **overrides):
        model = toy_gan(dim=64, sample_rate=8000, **overrides)
        self.train_data = tf.data.Dataset.from_tensor_slices(gaussian_data(128, mean=[0.1] * 64)).batch(32).repeat()
        model.compile(**self.compile_kwargs)
        return model

    def example_inputs(self, model):
        return {"noise": np.random.default_rng(3).standard_normal((2, model.latent_dim)).astype("float32")}

    def test_shared_checks(self, tmp_path):
        model = self.make_model()
        self.run_serialization_test(model)
        self.run_fit_test(model)
        self.run_saving_test(model, tmp_path)
        path = self.run_export_test(model, tmp_path)
        # The export serves "waveform", so generation from it writes audio.
        from gan_audio.generation import generate_files

        written = generate_files(os.path.dirname(path), 2, str(tmp_path / "wavs"), seed=4)
        assert sorted(os.path.basename(p) for p in written) == ["sample_00.wav", "sample_01.wav"]
        import soundfile as sf

        audio, rate = sf.read(written[0], dtype="float32")
        assert rate == 8000 and audio.shape == (64,)
        np.testing.assert_allclose(audio, np.clip(model.synthesize(2, seed=4)["waveform"][0], -1, 1), atol=1e-4)

    def test_mixed_precision(self):
        self.run_mixed_precision_test()


def test_discriminator_steps_count_updates():
    gan = toy_gan(discriminator_steps=3)
    gan.compile()
    gan.fit(gaussian_data(128), batch_size=32, epochs=1, verbose=0)
    assert int(gan.g_optimizer.iterations) == 4
    assert int(gan.d_optimizer.iterations) == 12


def test_samples_move_toward_the_data():
    data = gaussian_data()
    gan = toy_gan(seed=3)
    gan.compile(g_optimizer=keras.optimizers.Adam(2e-3, 0.5), d_optimizer=keras.optimizers.Adam(2e-3, 0.5))
    start = np.linalg.norm(gan.generate(512, seed=1).mean(0) - data.mean(0))
    gan.fit(data, batch_size=64, epochs=12, verbose=0)
    end = np.linalg.norm(gan.generate(512, seed=1).mean(0) - data.mean(0))
    assert end < 0.5 * start, (start, end)


def test_wasserstein_with_gradient_penalty_tracks_each_term():
    gan = toy_gan()
    gan.compile(loss="wasserstein", gradient_penalty_weight=10.0)
    history = gan.fit(gaussian_data(128), batch_size=32, epochs=1, verbose=0)
    assert sorted(history.history) == ["d_adversarial", "d_fake", "d_loss", "d_real", "g_loss", "gradient_penalty"]
    logs = {k: v[-1] for k, v in history.history.items()}
    assert logs["gradient_penalty"] > 0
    # d_loss is the sum of its terms (means over the same batches).
    assert logs["d_loss"] == pytest.approx(logs["d_adversarial"] + logs["gradient_penalty"], rel=1e-5)


class ModeSeekingGAN(GAN):
    """A family that changes the loss terms only through the hooks: two noise
    draws per step and a mode-seeking term (as GCDG's directional term)."""

    def loss_names(self):
        names = super().loss_names()
        return LossNames(names.discriminator, names.generator + ("mode_seeking",), names.monitors)

    def generator_inputs(self, batch):
        half = tf.shape(batch["real"])[0]
        return keras.random.normal((2 * half, self.latent_dim), seed=self.seed_generator)

    def discriminator_losses(self, batch, fake, training=True):
        return super().discriminator_losses(batch, fake[: tf.shape(batch["real"])[0]], training)

    def generator_losses(self, batch, fake, training=True):
        z = batch["generator_inputs"]
        z1, z2 = tf.split(z, 2)
        g1, g2 = tf.split(fake, 2)
        ratio = tf.reduce_mean(tf.abs(g1 - g2), axis=1) / (tf.reduce_mean(tf.abs(z1 - z2), axis=1) + 1e-5)
        return {**super().generator_losses(batch, g1, training), "mode_seeking": 1.0 / (ratio + 1e-5)}


def test_a_family_adds_terms_through_the_hooks():
    base = toy_gan()
    gan = ModeSeekingGAN(base.generator, base.discriminator, latent_dim=4, seed=0)
    gan.compile()
    history = gan.fit(gaussian_data(128), batch_size=32, epochs=2, verbose=0)
    assert sorted(history.history) == ["d_fake", "d_loss", "d_real", "g_adversarial", "g_loss", "mode_seeking"]
    logs = {k: v[-1] for k, v in history.history.items()}
    assert logs["g_loss"] == pytest.approx(logs["g_adversarial"] + logs["mode_seeking"], rel=1e-5)


def test_undeclared_or_missing_terms_are_errors():
    class Undeclared(GAN):
        def generator_losses(self, batch, fake, training=True):
            return {**super().generator_losses(batch, fake, training), "extra": tf.zeros([tf.shape(fake)[0]])}

    base = toy_gan()
    gan = Undeclared(base.generator, base.discriminator, latent_dim=4)
    gan.compile()
    with pytest.raises(ValueError, match="unknown \\['extra'\\]"):
        gan.fit(gaussian_data(64), batch_size=32, epochs=1, verbose=0)

    class BadShape(GAN):
        def generator_losses(self, batch, fake, training=True):
            return {"g_adversarial": tf.zeros([tf.shape(fake)[0], 2])}

    gan = BadShape(base.generator, base.discriminator, latent_dim=4)
    gan.compile()
    with pytest.raises(ValueError, match="per-example"):
        gan.fit(gaussian_data(64), batch_size=32, epochs=1, verbose=0)


def test_generate_is_seeded():
    gan = toy_gan()
    np.testing.assert_array_equal(gan.generate(5, seed=11), gan.generate(5, seed=11))
    assert not np.allclose(gan.generate(5, seed=11), gan.generate(5, seed=12))


def test_conditional_gan_needs_valid_labels():
    gan = toy_gan(num_classes=3)
    gan.compile()
    x = gaussian_data(96)
    y = np.arange(96) % 3
    history = gan.fit(x, y, batch_size=32, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    assert gan.generate(4, labels=2, seed=0).shape == (4, 2)
    # The label reaches the generator: same noise, other label, other sample.
    assert not np.allclose(gan.generate(4, labels=0, seed=0), gan.generate(4, labels=2, seed=0))
    with pytest.raises(ValueError, match="labels"):
        gan.generate(2)
    with pytest.raises(ValueError, match="outside"):
        gan.generate(2, labels=5)
    with pytest.raises(ValueError, match="label"):
        gan.fit(x, batch_size=32, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="num_classes"):
        GAN(gan.generator, gan.discriminator, latent_dim=4, conditional=True)
    # num_classes alone does not make a GAN conditional (a semi-supervised D has classes).
    assert GAN(gan.generator, gan.discriminator, latent_dim=4, num_classes=3).conditional is False


def test_checkpoint_restores_optimizer_and_noise_state(tmp_path):
    gan = toy_gan()
    gan.compile()
    gan.fit(gaussian_data(64), batch_size=32, epochs=1, verbose=0)
    path = str(tmp_path / "ckpt.weights.h5")
    gan.save_weights(path)
    clone = toy_gan(seed=99)
    clone.compile()
    clone.load_weights(path)
    assert int(clone.g_optimizer.iterations) == 2
    np.testing.assert_array_equal(clone.seed_generator.state.numpy(), gan.seed_generator.state.numpy())
    # Continuing both gives the same weights: the resumed run is the same run.
    gan.fit(gaussian_data(64, seed=5), batch_size=32, epochs=1, shuffle=False, verbose=0)
    clone.fit(gaussian_data(64, seed=5), batch_size=32, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(gan.weights, clone.weights):
        np.testing.assert_allclose(np.array(a), np.array(b), rtol=1e-6, atol=1e-6)


DISTRIBUTED = textwrap.dedent(
    """
    import numpy as np, tensorflow as tf, keras
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from tests.test_gan import toy_gan, gaussian_data
    data = gaussian_data(64)

    def one_step(strategy, steps=1):
        with strategy.scope():
            gan = toy_gan(seed=5)
            gan.compile(loss="minimax")
        ds = tf.data.Dataset.from_tensor_slices(data).batch(64)
        if steps:
            gan.fit(ds, epochs=steps, verbose=0)
        return [np.array(v) for v in gan.trainable_weights]

    initial = one_step(tf.distribute.get_strategy(), steps=0)
    single = one_step(tf.distribute.get_strategy())
    mirrored = one_step(tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]))
    moved = max(float(np.max(np.abs(a - b))) for a, b in zip(single, initial))
    worst = max(float(np.max(np.abs(a - b))) for a, b in zip(single, mirrored))
    print("moved", moved)
    print("max_abs_diff", worst)
    """
)


def test_mirrored_strategy_gives_the_single_device_update():
    env = dict(os.environ, PYTHONPATH=REPO, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run(
        [sys.executable, "-c", DISTRIBUTED], capture_output=True, text=True, env=env, cwd=REPO, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    moved = float(done.stdout.split("moved")[-1].split()[0])
    diff = float(done.stdout.split("max_abs_diff")[-1])
    assert moved > 1e-4, done.stdout  # the step did something
    assert diff < 1e-6, done.stdout


def test_evaluate_reports_losses_without_training():
    gan = toy_gan()
    gan.compile()
    data = gaussian_data(64)
    before = [np.array(v) for v in gan.trainable_weights]
    scores = gan.evaluate(data, batch_size=32, verbose=0, return_dict=True)
    assert sorted(scores) == ["d_fake", "d_loss", "d_real", "g_loss"]
    # d_real is the mean probability D gives the real clips, computed here directly.
    expected = np.mean(1.0 / (1.0 + np.exp(-np.asarray(gan.discriminator(data)))))
    assert scores["d_real"] == pytest.approx(float(expected), rel=1e-5)
    assert all(np.isfinite(v) for v in scores.values())
    for b, a in zip(before, gan.trainable_weights):
        np.testing.assert_array_equal(b, np.array(a))


def test_fit_on_a_dataset_does_not_warn_about_shuffle():
    import warnings

    gan = toy_gan()
    gan.compile()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gan.fit(tf.data.Dataset.from_tensor_slices(gaussian_data(64)).batch(32), epochs=1, verbose=0)
    assert not [w for w in caught if "shuffle" in str(w.message)], [str(w.message) for w in caught]


def test_loss_names_before_compile_is_a_clear_error():
    from gan_audio.models import DenseGAN

    with pytest.raises(RuntimeError, match="compile"):
        DenseGAN.from_preset("tiny").loss_names()
