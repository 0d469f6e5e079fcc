"""Every family trains with Keras 3 `fit` under MultiWorkerMirroredStrategy (two workers on 127.0.0.1).

Without `gan_audio.models.protocol.multi_worker` both workers stop (keras-team/keras#20585: ``Invalid reduction
dimension 0 for input with 0 dimensions``; nested batches: ``Attempt to convert a value (PerReplica...)``).
"""
import json
import os
import socket
import subprocess
import sys

import numpy as np

from gan_audio.models.protocol.multi_worker import in_multi_worker_mode, replica_logs
from gan_audio.registry import FAMILIES

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(REPO, "tests", "multi_worker_script.py")


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _worst_ratio(single, worker):
    """Over the weight tensors: the largest |worker − single| / the largest change training made."""
    count = len([k for k in single.files if k.startswith("end_")])
    ratios = []
    for i in range(count):
        change = np.max(np.abs(single[f"end_{i}"] - single[f"start_{i}"]))
        if change > 1e-9:
            ratios.append(float(np.max(np.abs(worker[f"end_{i}"] - single[f"end_{i}"])) / change))
    return max(ratios)


def test_every_family_trains_on_two_workers_to_the_single_process_weights(tmp_path):
    families = sorted(FAMILIES)
    ports = ",".join(str(p) for p in _free_ports(2))
    env = dict(os.environ, PYTHONPATH=REPO, TF_CPP_MIN_LOG_LEVEL="3", TF_NUM_INTRAOP_THREADS="1",
               TF_NUM_INTEROP_THREADS="1")
    processes = [subprocess.Popen([sys.executable, SCRIPT, str(i), ports, ",".join(families), str(tmp_path)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in (0, 1, -1)]
    outputs = [p.communicate(timeout=900) for p in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err[-3000:]
    results = [{r["family"]: r for r in map(json.loads, (line for line in out.splitlines() if line.startswith("{")))}
               for out, _ in outputs]
    assert sorted(results[0]) == sorted(results[1]) == sorted(results[2]) == families
    for family in families:
        a, b = results[0][family], results[1][family]
        assert a["checksum"] == b["checksum"] and a["first"] == b["first"], family  # one update on both workers
        assert a["logs"] == b["logs"] and all(np.isfinite(v) for v in a["logs"].values()), (family, a["logs"])
        single, worker = np.load(tmp_path / f"{family}_-1.npz"), np.load(tmp_path / f"{family}_0.npz")
        # and the single process's update on the same global batches, to round-off
        assert _worst_ratio(single, worker) < 1e-2, (family, _worst_ratio(single, worker))


def test_logs_are_unchanged_outside_multi_worker_mode():
    import tensorflow as tf

    logs = {"loss": tf.constant(1.5), "per_class": tf.constant([1.0, 2.0])}
    assert not in_multi_worker_mode()
    assert replica_logs(logs) is logs
    with tf.distribute.MirroredStrategy(["/cpu:0"]).scope():
        assert not in_multi_worker_mode() and replica_logs(logs) is logs


def test_the_cli_trains_on_two_workers_and_only_the_chief_writes_the_run(tmp_path):
    ports = _free_ports(2)
    cluster = {"worker": [f"127.0.0.1:{p}" for p in ports]}
    workers = []
    for i in range(2):
        env = dict(os.environ, PYTHONPATH=REPO, TF_CPP_MIN_LOG_LEVEL="3", TF_NUM_INTRAOP_THREADS="1",
                   TF_CONFIG=json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}}))
        command = [sys.executable, "-m", "gan_audio", "train", "dense-gan", "--preset", "tiny", "--epochs", "1",
                   "--steps-per-epoch", "2", "--batch-size", "4", "--clips-per-epoch", "1", "--strategy", "multiworker",
                   "--out", str(tmp_path / f"worker_{i}")]
        workers.append(subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for worker in workers:
        _, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err[-3000:]
    assert (tmp_path / "worker_0" / "model.keras").exists() and (tmp_path / "worker_0" / "history.csv").exists()
    assert not (tmp_path / "worker_1").exists()  # the other worker trained the same steps and wrote nothing


def test_multiworker_without_tf_config_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    from gan_audio import cli

    monkeypatch.delenv("TF_CONFIG", raising=False)
    code = cli.main(["train", "dense-gan", "--preset", "tiny", "--epochs", "1", "--strategy", "multiworker",
                     "--out", str(tmp_path / "run")])
    assert code != 0 and "needs TF_CONFIG" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_workers_share_out_the_data_without_overlap():
    ports = ",".join(str(p) for p in _free_ports(2))
    env = dict(os.environ, PYTHONPATH=REPO, TF_CPP_MIN_LOG_LEVEL="3")
    script = os.path.join(REPO, "tests", "multi_worker_shards.py")
    workers = [subprocess.Popen([sys.executable, script, str(i), ports], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for i in range(2)]
    outputs = [w.communicate(timeout=300) for w in workers]
    for worker, (_, err) in zip(workers, outputs):
        assert worker.returncode == 0, err[-3000:]
    seen = [json.loads(out.split("SEEN")[-1]) for out, _ in outputs]
    assert seen[0] and seen[1] and not set(seen[0]) & set(seen[1])  # no element on both workers
    assert sorted(seen[0] + seen[1]) == list(range(32))  # and every element on one of them
