"""One worker of tests/test_multi_worker.py's sharding test: prints the element ids it received."""
import json
import os
import sys

import tensorflow as tf

index, ports = int(sys.argv[1]), sys.argv[2].split(",")
os.environ["TF_CONFIG"] = json.dumps({"cluster": {"worker": [f"127.0.0.1:{p}" for p in ports]},
                                      "task": {"type": "worker", "index": index}})
strategy = tf.distribute.MultiWorkerMirroredStrategy()

from gan_audio.strategies import with_sharding  # noqa: E402

data = with_sharding(tf.data.Dataset.range(32).shuffle(32, seed=0).batch(4), strategy)
seen = []
for batch in strategy.experimental_distribute_dataset(data):
    seen += [int(v) for part in strategy.experimental_local_results(batch) for v in part.numpy()]
print("SEEN", json.dumps(seen), flush=True)
