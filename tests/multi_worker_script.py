"""One process of tests/test_multi_worker.py: worker `index` of a MultiWorkerMirroredStrategy job on
127.0.0.1 (`index` -1: one process, no strategy, the reference). Trains each family's `tiny` preset 2
steps with SGD on the same seeded global batches of 4 (each worker gets its half: `with_sharding`), saves
the weights before and after to ``OUT/<family>_<index>.npz`` and prints one JSON line per family."""
import json
import os
import sys

import numpy as np
import tensorflow as tf

index, ports, families, out = int(sys.argv[1]), sys.argv[2].split(","), sys.argv[3].split(","), sys.argv[4]
if index >= 0:
    os.environ["TF_CONFIG"] = json.dumps({"cluster": {"worker": [f"127.0.0.1:{p}" for p in ports]},
                                          "task": {"type": "worker", "index": index}})
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
else:
    strategy = tf.distribute.get_strategy()

import keras  # noqa: E402  (after the strategy: TF_CONFIG is read once)

from gan_audio.data import find_audio_files  # noqa: E402
from gan_audio.models.adversarial.adversarial_model import AdversarialModel  # noqa: E402
from gan_audio.registry import get_family  # noqa: E402
from gan_audio.strategies import with_sharding  # noqa: E402

CLASS_NAMES = find_audio_files("spoken_digits").class_names
for name in families:
    family = get_family(name)
    labelled = family.labels == "required"
    extra = {"num_classes": 10, "class_names": CLASS_NAMES} if labelled else {}
    tf.keras.utils.set_random_seed(0)
    with strategy.scope():
        model = family.model_class.from_preset("tiny", seed=0, **extra)
        kwargs = family.model_class.compile_kwargs("tiny")  # SGD: Adam's first steps would blow round-off up
        names = ("g_optimizer", "d_optimizer") if isinstance(model, AdversarialModel) else ("optimizer",)
        model.compile(**{**kwargs, **{k: keras.optimizers.SGD(0.01) for k in names}})
    start = [np.asarray(v) for v in model.trainable_variables]
    data = family.make_dataset(model, {"data": "spoken_digits", "batch_size": 4, "seed": 0, "labelled": labelled})
    history = model.fit(with_sharding(data.dataset, strategy), epochs=1, steps_per_epoch=2, verbose=0).history
    weights = [np.asarray(v) for v in model.trainable_variables]
    np.savez(os.path.join(out, f"{name}_{index}.npz"), **{f"start_{i}": w for i, w in enumerate(start)},
             **{f"end_{i}": w for i, w in enumerate(weights)})
    print(json.dumps({"family": name, "checksum": float(sum(np.sum(np.abs(w)) for w in weights)),
                      "first": float(np.ravel(weights[0])[0]),
                      "logs": {k: float(np.asarray(v[-1])) for k, v in history.items()}}), flush=True)
