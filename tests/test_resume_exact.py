"""A run killed with SIGKILL and resumed ends with the weights of the same run left alone: data order,
crops, augmentation, Dropout, PhaseShuffle and the latent noise all pick up where the checkpoint stood."""
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from gan_audio.checkpoints import read_checkpoint_state
from gan_audio.training import load_run, train
from tests.family_test_case import REPO

EPOCHS, STEPS = 3, 25
#: dense-gan: plain noise; gcdg: random crops, PhaseShuffle, the R1 penalty; sgan: Dropout, input noise,
#: voice augmentation and two pipelines (labelled, unlabelled)
FAMILIES = {"dense-gan": [], "gcdg": [], "sgan": ["--labels-per-class", "4"]}


def _cli(family, data, out, extra):
    return [sys.executable, "-m", "gan_audio_cli", "train", family, "--data", data, "--out", out, "--preset", "tiny",
            "--batch-size", "4", "--steps-per-epoch", str(STEPS), "--clips-per-epoch", "1", "--epochs", str(EPOCHS),
            *extra]


def _epochs_done(run):
    state = read_checkpoint_state(os.path.join(run, "model.keras"))
    return state["epochs_done"] if state else 0


def _kill_after_first_epoch(command, run):
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 240
        while time.time() < deadline and _epochs_done(run) < 1 and process.poll() is None:
            time.sleep(0.02)
        assert process.poll() is None, "the run ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_sigkill_and_resume_give_the_uninterrupted_weights(small_set, tmp_path, family):
    extra = FAMILIES[family]
    whole, killed = str(tmp_path / "whole"), str(tmp_path / "killed")
    settings = {"labels_per_class": 4} if extra else {}
    train(family, out=whole, epochs=EPOCHS, data=small_set, preset="tiny", batch_size=4, steps_per_epoch=STEPS,
          clips_per_epoch=1, **settings)
    _kill_after_first_epoch(_cli(family, small_set, killed, extra), killed)
    done = _epochs_done(killed)
    assert 1 <= done < EPOCHS, f"killed after {done} epochs"
    resumed = subprocess.run(_cli(family, small_set, killed, ["--resume"]), cwd=REPO, capture_output=True,
                             text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    a, b = load_run(whole)[0], load_run(killed)[0]
    assert len(a.weights) == len(b.weights)
    for x, y in zip(a.weights, b.weights):  # the same update sequence, to float round-off
        np.testing.assert_allclose(np.asarray(x), np.asarray(y), rtol=1e-4, atol=1e-5, err_msg=x.path)
