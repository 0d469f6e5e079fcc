"""N replicas draw what one device draws on the same global batch: the WGAN-GP interpolation weights,
SpecGAN's shift augmentation, GCDG's crops and PhaseShuffle (`gan_audio.replica_draws`). Two logical
CPUs under MirroredStrategy, in a fresh process (the devices are set before TensorFlow starts)."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np

from gan_audio.replica_draws import local_batch_draw

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = textwrap.dedent(
    """
    import json, numpy as np, tensorflow as tf, keras
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from tests.test_gan import toy_gan, gaussian_data
    from gan_audio.models.spec_gan.spec_gan_networks import translate
    from gan_audio.models.gcdg.gcdg_networks import PhaseShuffle, random_crops
    mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    single = tf.distribute.get_strategy()
    out = {}

    def gp_step(strategy):
        with strategy.scope():
            gan = toy_gan(seed=5)
            gan.compile(loss="wasserstein", gradient_penalty_weight=10.0)
        gan.fit(tf.data.Dataset.from_tensor_slices(gaussian_data(64)).batch(64), epochs=1, verbose=0)
        return [np.array(v) for v in gan.trainable_weights]

    a, b = gp_step(single), gp_step(mirrored)
    out["gp_update"] = max(float(np.max(np.abs(x - y))) for x, y in zip(a, b))

    images = tf.random.stateless_normal((8, 12, 3), seed=[1, 2])
    waves = tf.random.stateless_normal((8, 40), seed=[3, 4])
    ops = {"translate": lambda x, s: translate(x, 4, s), "crops": lambda x, s: random_crops(x, 10, s)}
    for name, op in ops.items():
        x = images if name == "translate" else waves
        whole = op(x, keras.random.SeedGenerator(7)).numpy()
        with mirrored.scope():
            seed = keras.random.SeedGenerator(7)
        dist = mirrored.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices(x).batch(8))
        parts = mirrored.run(lambda batch: op(batch, seed), args=(next(iter(dist)),))
        split = np.concatenate([p.numpy() for p in mirrored.experimental_local_results(parts)])
        out[name] = float(np.max(np.abs(split - whole)))
    layer_single = PhaseShuffle(radius=2, seed=11)
    whole = layer_single(waves[..., None], training=True).numpy()
    with mirrored.scope():
        layer = PhaseShuffle(radius=2, seed=11)
    dist = mirrored.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices(waves[..., None]).batch(8))
    parts = mirrored.run(lambda batch: layer(batch, training=True), args=(next(iter(dist)),))
    out["phase_shuffle"] = float(np.max(np.abs(
        np.concatenate([p.numpy() for p in mirrored.experimental_local_results(parts)]) - whole)))
    print("RESULT", json.dumps(out))
    """
)


def test_two_replicas_draw_what_one_device_draws_on_the_global_batch():
    env = dict(os.environ, PYTHONPATH=REPO, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.split("RESULT")[-1])
    assert out["gp_update"] < 1e-6, out  # the WGAN-GP step on 2 replicas is the single-device step
    assert out["translate"] == 0 and out["crops"] == 0 and out["phase_shuffle"] == 0, out


def test_one_device_draws_the_batch_itself():
    values = local_batch_draw(lambda n: np.arange(n)[:, None] * np.ones((1, 2)), 3)
    assert np.array_equal(values, [[0, 0], [1, 1], [2, 2]])
