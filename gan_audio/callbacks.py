"""Training callbacks: audible samples each epoch, and resumable checkpoints."""
import json
import os

import keras
import numpy as np
import tensorflow as tf

from gan_audio.samples import write_samples

CHECKPOINT_FILE = "checkpoint.weights.h5"
STATE_FILE = "state.json"


class SampleWriter(keras.callbacks.Callback):
    """After each epoch, writes `out_dir/epoch_XXX/*.wav` and a spectrogram PNG.

    The same noise (`seed`) is used every epoch, so the files show how one
    set of samples evolves. With `log_dir`, the audio also goes to
    TensorBoard (`tf.summary.audio`, tab "Audio").

    Args:
        out_dir: str, e.g. `RUN/samples`.
        num: int, samples per epoch. Defaults to 4.
        seed: int, noise seed. Defaults to 0.
        labels: labels for a conditional model (default: cycles 0, 1, ...).
        log_dir: str or None, TensorBoard log folder.
    """

    def __init__(self, out_dir, num=4, seed=0, labels=None, log_dir=None):
        super().__init__()
        self.out_dir, self.num, self.seed = out_dir, int(num), int(seed)
        self.labels, self.log_dir = labels, log_dir
        self._writer = None

    def _labels(self):
        if self.model.num_classes is None:
            return None
        if self.labels is not None:
            return self.labels
        return [i % self.model.num_classes for i in range(self.num)]

    def on_epoch_end(self, epoch, logs=None):
        outputs = self.model.synthesize(self.num, labels=self._labels(), seed=self.seed)
        folder = os.path.join(self.out_dir, f"epoch_{epoch + 1:03d}")
        write_samples(folder, outputs, self.model.sample_rate, frame_step=self.model.frame_step)
        if self.log_dir:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "samples"))
            with self._writer.as_default():
                audio = np.clip(outputs["waveform"], -1, 1)[..., None].astype("float32")
                tf.summary.audio("samples", audio, self.model.sample_rate, step=epoch + 1, max_outputs=self.num)
            self._writer.flush()


class ResumableCheckpoint(keras.callbacks.Callback):
    """Saves weights + optimizer state and the finished-epoch count each epoch.

    `RUN/checkpoint.weights.h5` holds every variable (both optimizers and the
    noise seed state included) and `RUN/state.json` the number of finished
    epochs, which `gan_audio.training.train(..., resume=True)` passes to
    `fit(initial_epoch=...)`. Call `save(epochs_done)` on interruption.
    """

    def __init__(self, run_dir):
        super().__init__()
        self.run_dir = run_dir
        self.epochs_done = 0

    def save(self, epochs_done=None, interrupted=False):
        epochs_done = self.epochs_done if epochs_done is None else epochs_done
        # Write to temporary names first: an interruption mid-write never
        # leaves a half-written checkpoint behind.
        weights = os.path.join(self.run_dir, CHECKPOINT_FILE)
        self.model.save_weights(weights + ".tmp.weights.h5")
        os.replace(weights + ".tmp.weights.h5", weights)
        with open(os.path.join(self.run_dir, STATE_FILE + ".tmp"), "w") as f:
            json.dump({"epochs_done": int(epochs_done), "interrupted": bool(interrupted)}, f)
        os.replace(os.path.join(self.run_dir, STATE_FILE + ".tmp"), os.path.join(self.run_dir, STATE_FILE))

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_done = epoch + 1
        self.save()


def read_state(run_dir):
    """The `state.json` of a run, or None when there is no checkpoint."""
    path = os.path.join(run_dir, STATE_FILE)
    if not os.path.exists(path) or not os.path.exists(os.path.join(run_dir, CHECKPOINT_FILE)):
        return None
    with open(path) as f:
        return json.load(f)
