"""One worker of tests/test_multi_worker.py: trains each family's `tiny` preset 2 steps under
MultiWorkerMirroredStrategy and prints one JSON line per family (weight checksum, last logs)."""
import json
import os
import sys

import numpy as np
import tensorflow as tf

index, ports, families = int(sys.argv[1]), sys.argv[2].split(","), sys.argv[3].split(",")
os.environ["TF_CONFIG"] = json.dumps({"cluster": {"worker": [f"127.0.0.1:{p}" for p in ports]},
                                      "task": {"type": "worker", "index": index}})
strategy = tf.distribute.MultiWorkerMirroredStrategy()

from gan_audio.data import find_audio_files  # noqa: E402  (after the strategy: TF_CONFIG is read once)
from gan_audio.registry import get_family  # noqa: E402

CLASS_NAMES = find_audio_files("spoken_digits").class_names
for name in families:
    family = get_family(name)
    labelled = family.labels == "required"
    extra = {"num_classes": 10, "class_names": CLASS_NAMES} if labelled else {}
    tf.keras.utils.set_random_seed(0)
    with strategy.scope():
        model = family.model_class.from_preset("tiny", seed=0, **extra)
        model.compile(**family.model_class.compile_kwargs("tiny"))
    data = family.make_dataset(model, {"data": "spoken_digits", "batch_size": 4, "seed": 0, "labelled": labelled})
    history = model.fit(data.dataset, epochs=1, steps_per_epoch=2, verbose=0).history
    weights = [np.asarray(v) for v in model.trainable_variables]
    print(json.dumps({"family": name, "checksum": float(sum(np.sum(np.abs(w)) for w in weights)),
                      "first": float(np.ravel(weights[0])[0]),
                      "logs": {k: float(np.asarray(v[-1])) for k, v in history.items()}}), flush=True)
