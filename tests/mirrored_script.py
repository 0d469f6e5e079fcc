"""Run by tests/test_mirrored_families.py in a fresh process (the two logical CPUs must be set before
TensorFlow starts): each family's `tiny` preset, with its random and batch-statistic terms switched on
(`OVERRIDES`), trains 3 steps on the same 3 global batches of 8 on one device and under MirroredStrategy
on two; prints one JSON line per family: the largest weight difference between the two, the largest
change of a weight in training, and the worst ratio of the two over the weight tensors."""
import json
import sys

import keras
import numpy as np
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

from gan_audio.data import find_audio_files  # noqa: E402
from gan_audio.models.adversarial.adversarial_model import AdversarialModel  # noqa: E402
from gan_audio.registry import get_family  # noqa: E402

#: What draws per example or reduces over the batch, switched on where the tiny preset has it off.
OVERRIDES = {
    "dense-gan": {"dropout": 0.3},  # + BatchNorm in G
    "spec-gan": {"augment_shift": 2},  # + BatchNorm in G, spectral norm
    "sgan": {"dropout": 0.3, "input_noise": 0.3},  # + feature matching on batch means
    "gcdg": {"r1_gamma": 1.0, "contrastive_weight": 1.0, "directional_weight": 1.0},  # + crops, PhaseShuffle
    "classifier": {"dropout": 0.3},  # + BatchNorm
    # its log-magnitude STFT term (floored at 1e-5) turns the round-off of two batch sizes' kernels into
    # about 0.5 % of a step (1e-4 of 2e-2 measured); the L1 term alone shows the replicas' update
    "wavenet-denoiser": {"stft_weight": 0.0},
}
CLASS_NAMES = find_audio_files("spoken_digits").class_names
STEPS, BATCH = 3, 8


def batches(name):
    family = get_family(name)
    labelled = family.labels == "required"
    extra = {"num_classes": 10, "class_names": CLASS_NAMES} if labelled else {}
    model = family.model_class.from_preset("tiny", seed=0, **extra, **OVERRIDES.get(name, {}))
    data = family.make_dataset(model, {"data": "spoken_digits", "batch_size": BATCH, "seed": 0,
                                       "labelled": labelled, "labels_per_class": 4 if name == "sgan" else None})
    taken = list(data.dataset.take(STEPS))
    return tf.data.Dataset.from_tensor_slices(tf.nest.map_structure(lambda *x: tf.stack(x), *taken)), extra


def trained(name, strategy, data, extra):
    family = get_family(name)
    tf.keras.utils.set_random_seed(0)
    with strategy.scope():
        model = family.model_class.from_preset("tiny", seed=0, **extra, **OVERRIDES.get(name, {}))
        kwargs = family.model_class.compile_kwargs("tiny")  # SGD: Adam's first steps (g/|g|) would turn
        # float round-off in near-zero gradients into whole steps, hiding what the test compares
        names = ("g_optimizer", "d_optimizer") if isinstance(model, AdversarialModel) else ("optimizer",)
        model.compile(**{**kwargs, **{k: keras.optimizers.SGD(0.01) for k in names}})
    before = [np.asarray(v) for v in model.trainable_variables]
    model.fit(data, epochs=1, steps_per_epoch=STEPS, verbose=0)
    return before, [np.asarray(v) for v in model.trainable_variables]


mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
for name in sys.argv[1].split(","):
    data, extra = batches(name)
    start, one = trained(name, tf.distribute.get_strategy(), data, extra)
    _, two = trained(name, mirrored, data, extra)
    ratios = [float(np.max(np.abs(a - b)) / np.max(np.abs(a - s))) for a, b, s in zip(one, two, start)
              if np.max(np.abs(a - s)) > 1e-9]  # per weight: the replicas' difference / the step's change
    print(json.dumps({"family": name, "difference": max(float(np.max(np.abs(a - b))) for a, b in zip(one, two)),
                      "update": max(float(np.max(np.abs(a - b))) for a, b in zip(one, start)),
                      "worst_ratio": max(ratios)}), flush=True)
