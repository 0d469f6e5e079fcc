"""What every denoiser family shares: the ``(noisy, clean)`` training step and the serving contract."""
import tensorflow as tf

from gan_audio.models.adversarial import loss_terms


class DenoiserMixin:
    """For models mapping noisy waveforms ``(B, S)`` to clean ones (`WaveNetDenoiser`,
    `SpectralMaskDenoiser`): with `SupervisedStepMixin`, a family implements ``call`` and
    ``losses_of(noisy, clean, training) → (loss (B,), si_sdr (B,))`` and creates ``loss_tracker`` and
    ``si_sdr_tracker``; this gives the step (global-batch mean of the loss, the batch's SI-SDR) and
    ``serving_default``: ``noisy (B, S)`` (any S) → ``waveform (B, S)``. `gan_audio.denoising.denoise`
    and ``gan-audio denoise`` read ``sample_rate`` and ``receptive_field`` from `serving_metadata`."""

    serving_tasks = ("denoise",)  # noisy → clean audio

    def unpack(self, data):
        if not isinstance(data, (tuple, list)) or len(data) < 2:
            raise ValueError(f"{type(self).__name__} trains on (noisy, clean) batches of equal shape (B, S).")
        return data[0], data[1]

    def step_loss(self, data, training):
        """The loss (global-batch mean) and the batch's SI-SDR."""
        loss, sdr = self.losses_of(*self.unpack(data), training=training)
        return loss_terms.global_average(loss, "loss"), {"si_sdr": sdr}

    @property
    def metrics(self):
        return [self.loss_tracker, self.si_sdr_tracker]

    # ------------------------------------------------------ serving contract
    def serving_inputs(self):
        return {"noisy": tf.TensorSpec((None, None), tf.float32, name="noisy")}

    def serve(self, noisy):
        """noisy ``(B, S)`` → ``{"waveform": (B, S)}``, the clean estimate."""
        return {"waveform": tf.cast(self(noisy), tf.float32)}

    def generation_inputs(self):
        return None  # it transforms the audio it is given

    def serving_metadata(self):
        return {"sample_rate": self.sample_rate, "receptive_field": self.receptive_field}
