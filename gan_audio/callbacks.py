"""Training callbacks: audible samples each epoch, and crash-safe checkpoints."""
import os

import keras
import numpy as np
import tensorflow as tf

from gan_audio.checkpoints import CHECKPOINT_FILE, is_chief, save_checkpoint  # noqa: F401
from gan_audio.samples import write_samples
from gan_audio.serving import GENERATE, SERVING_DEFAULT
from gan_audio.serving_tasks import tasks_of



class SampleWriter(keras.callbacks.Callback):
    """After each epoch, writes `out_dir/epoch_XXX/*.wav` and a spectrogram PNG.

    Uses only the model's serving contract: models that generate audio get
    `num` clips from their ``generate`` endpoint with the same `seed` every
    epoch (label-conditional models cycle through the labels unless
    `labels` is given), so the files show how one set of samples evolves;
    models that transform audio get fixed `inputs` (e.g. the log-mels of a
    few held-out clips) through ``serving_default``; inputs that are audio
    (a ``noisy`` waveform) are written once to `out_dir/inputs/`, to listen
    beside the outputs. With `log_dir`, the
    audio also goes to TensorBoard (`tf.summary.audio`, tab "Audio"). Only
    the chief of a multi-worker job writes.

    Args:
        out_dir: str, e.g. `RUN/samples`.
        num: int, clips per epoch. Defaults to 4.
        seed: int, seed of the generation. Defaults to 0.
        labels: labels for a conditional model (default: 0, 1, 2, ...).
        inputs: dict of ``serving_default`` inputs, for models that do not
            generate from nothing, or of ``generate`` inputs (one clip per
            row), for generators that need a condition (a log-mel).
        log_dir: str or None, TensorBoard log folder.
        vocoder: None, or a vocoder (run, export or model) that turns the
            samples' log-mels into their audio instead of the model's own.
    """

    def __init__(self, out_dir, num=4, seed=0, labels=None, inputs=None, log_dir=None, vocoder=None):
        super().__init__()
        self.out_dir, self.num, self.seed = out_dir, int(num), int(seed)
        self.labels, self.inputs, self.log_dir = labels, inputs, log_dir
        self.vocoder = vocoder
        self._writer = None

    def _outputs(self):
        generates = GENERATE in self.model.endpoints()
        if self.inputs is not None and generates and set(self.inputs) <= set(self.model.endpoint_specs(GENERATE)):
            # generation from given conditions (a WaveNet vocoder's log-mels): one clip per row
            num = next(len(v) for v in map(np.asarray, self.inputs.values()) if v.ndim)
            return self.model.synthesize(num, seed=self.seed, **self.inputs)
        if self.inputs is not None:
            return self.model.run_endpoint(SERVING_DEFAULT, **self.inputs)
        if not generates:
            return None  # a model that transforms audio, given nothing to transform
        labels = self.labels
        if labels is None and "label" in self.model.endpoint_specs(GENERATE):
            labels = [i % self.model.serving_metadata()["num_classes"] for i in range(self.num)]
        return self.model.synthesize(self.num, labels=labels, seed=self.seed)

    def on_epoch_end(self, epoch, logs=None):
        if not is_chief():
            return
        outputs = self._outputs()
        if outputs is None:
            return
        metadata = self.model.serving_metadata()
        if self.vocoder is not None:  # a vocoder's one input is the log-mel the model writes
            (mel,) = self.vocoder.endpoint_specs(SERVING_DEFAULT)
            outputs = {**outputs, "waveform": self.vocoder.run_endpoint(SERVING_DEFAULT, **{mel: outputs["log_mel"]})
                       ["waveform"]}
        audio_inputs = os.path.join(self.out_dir, "inputs")
        if self.inputs is not None and "denoise" in tasks_of(self.model) and not os.path.isdir(audio_inputs):
            (noisy,) = self.model.endpoint_specs(SERVING_DEFAULT)  # a denoiser's one input: the noisy audio
            write_samples(audio_inputs, {"waveform": self.inputs[noisy]}, metadata["sample_rate"])
        folder = os.path.join(self.out_dir, f"epoch_{epoch + 1:03d}")
        write_samples(folder, outputs, metadata["sample_rate"], frame_step=metadata.get("frame_step"))
        if self.log_dir:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "samples"))
            with self._writer.as_default():
                audio = np.clip(outputs["waveform"], -1, 1)[..., None].astype("float32")
                tf.summary.audio("samples", audio, metadata["sample_rate"], step=epoch + 1, max_outputs=self.num)
            self._writer.flush()


class HistoryLogger(keras.callbacks.CSVLogger):
    """`keras.callbacks.CSVLogger` without the empty `val_*` columns Keras adds
    when a run has no validation data: one column per tracked term."""

    def on_epoch_end(self, epoch, logs=None):
        if self.keys is None and logs:
            self.keys = sorted(logs)
        super().on_epoch_end(epoch, logs)


class RunCheckpoint(keras.callbacks.Callback):
    """Saves `RUN/model.keras` after each epoch: weights, optimizer and noise
    state, and the finished-epoch count, in one atomically replaced file
    (see `gan_audio.checkpoints`). Call `save(interrupted=True)` on Ctrl-C.
    """

    def __init__(self, run_dir, epochs_done=0):
        super().__init__()
        self.path = os.path.join(run_dir, CHECKPOINT_FILE)
        self.epochs_done = int(epochs_done)

    def save(self, interrupted=False):
        if is_chief():
            save_checkpoint(self.model, self.path, {"epochs_done": self.epochs_done, "interrupted": bool(interrupted)})

    def on_epoch_end(self, epoch, logs=None):
        self.epochs_done = epoch + 1
        self.save()


class NonFiniteLossError(ValueError):
    """A training step produced a NaN or infinite loss term (`NonFiniteLossStop`)."""


class NonFiniteLossStop(keras.callbacks.Callback):
    """Stops a run at the first step whose logs hold a NaN or infinite value, naming the step and the
    term. It raises before the epoch ends, so the last checkpoint (the previous epoch's) stays as it was.

    Example:
        >>> stop = NonFiniteLossStop()
        >>> stop.on_train_batch_end(0, {"d_loss": 0.7, "g_loss": 1.2})  # finite: nothing happens
    """

    def __init__(self):
        super().__init__()
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = int(epoch)

    def on_train_batch_end(self, batch, logs=None):
        for name, value in (logs or {}).items():
            value = np.asarray(value, dtype=np.float64)
            if not np.all(np.isfinite(value)):
                raise NonFiniteLossError(
                    f"The loss term {name!r} is {value.ravel()[0]} at epoch {self.epoch + 1}, step {batch + 1}: "
                    "the run stops; its last checkpoint, from the last finished epoch, is intact.")


class IncompleteEpochError(ValueError):
    """An epoch ran fewer steps than it should: the data ran out."""


class IncompleteEpochStop(keras.callbacks.Callback):
    """Fails a run whose epoch ran fewer than `steps_per_epoch` steps (Keras only warns that the data ran
    out and goes on to "finish"), before any later callback writes a checkpoint or a history row for it.

    Example:
        >>> check = IncompleteEpochStop(steps_per_epoch=2)
        >>> check.on_epoch_begin(0); check.on_train_batch_end(0); check.on_train_batch_end(1)
        >>> check.on_epoch_end(0)  # both steps ran: nothing happens
    """

    def __init__(self, steps_per_epoch):
        super().__init__()
        self.steps_per_epoch, self.steps = int(steps_per_epoch), 0

    def on_epoch_begin(self, epoch, logs=None):
        self.steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1

    def on_epoch_end(self, epoch, logs=None):
        if self.steps < self.steps_per_epoch:
            raise IncompleteEpochError(
                f"Epoch {epoch + 1} ran {self.steps} of its {self.steps_per_epoch} steps: the data ran out, so the "
                "run stops untrained there (its last checkpoint, if any, is intact).")


def _learning_rate(optimizer):
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # under a LossScaleOptimizer
    return float(np.asarray(optimizer.learning_rate))


class RunTensorBoard(keras.callbacks.TensorBoard):
    """`keras.callbacks.TensorBoard` that logs the learning rates that train: a GAN's two optimizers
    (``learning_rate_g``, ``learning_rate_d``) instead of the `optimizer` Keras' own `compile` made and
    no step uses (a default RMSprop at 1e-3)."""

    def _collect_learning_rate(self, logs):  # Keras' hook for the "learning_rate" scalar
        if hasattr(self.model, "g_optimizer") and hasattr(self.model, "d_optimizer"):
            logs["learning_rate_g"] = _learning_rate(self.model.g_optimizer)
            logs["learning_rate_d"] = _learning_rate(self.model.d_optimizer)
            return logs
        return super()._collect_learning_rate(logs)
