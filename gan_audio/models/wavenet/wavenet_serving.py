"""A WaveNet's serving contract: next-code probabilities, generation (plain and XLA), and the vocoder's endpoints.

`WaveNetServing` is the `ServingMixin` part of `gan_audio.models.WaveNet`:
``serving_default`` scores a waveform (next-code probabilities and bits per
sample), ``generate`` / ``generate_xla`` draw audio by the fast loop, and a
log-mel-conditioned WaveNet without labels serves the vocoder contract
instead (`wavenet_vocoding`).
"""
import functools
import math

import tensorflow as tf

from gan_audio.models.wavenet import wavenet_generation
from gan_audio.models.wavenet.wavenet_conditioning import mel_of
from gan_audio.models.wavenet.wavenet_generation import GENERATE_XLA
from gan_audio.models.wavenet.wavenet_pitch import excitation_source
from gan_audio.models.wavenet.wavenet_vocoding import is_vocoder, vocoder_endpoints, vocoder_metadata
from gan_audio.serving import ServingMixin


class WaveNetServing(ServingMixin):
    """The endpoints and metadata of a `WaveNet` (mixed into the model class)."""

    serves_in_reduced_precision = True  # tests/test_precision.py: float16 exports, the LPC vocoder's too

    def serving_inputs(self):
        specs = {"waveform": tf.TensorSpec((None, None), tf.float32, name="waveform")}
        if self.conditional:
            specs["label"] = tf.TensorSpec((None,), tf.int32, name="label")
        return specs

    def serve(self, waveform, label=None):
        """waveform [+ label] → ``{"probabilities" (B, S, Q) of the next code, "bits_per_sample" (B,)}``."""
        mel = mel_of(self, waveform) if self.local_conditioning else None
        codes = self.encode(waveform, mel)
        if self.conditional:
            label = wavenet_generation.checked_label(self, label)
        source = None
        if self.pitch_source:  # position t predicts sample t + 1 (the last predicts past the end)
            source = tf.pad(excitation_source(self, mel, tf.shape(codes)[1], waveform)[:, 1:], [[0, 0], [0, 1], [0, 0]])
        logits = tf.cast(self(codes, label, mel, source=source), tf.float32)
        nats = tf.nn.sparse_softmax_cross_entropy_with_logits(codes[:, 1:], logits[:, :-1])
        count = tf.cast(tf.maximum(tf.shape(nats)[1], 1), tf.float32)
        bits = tf.reduce_sum(nats, axis=1) / count / math.log(2.0)
        return {"probabilities": tf.nn.softmax(logits), "bits_per_sample": bits}

    def generation_inputs(self):
        specs = {"num": tf.TensorSpec((), tf.int32, name="num"), "seed": tf.TensorSpec((), tf.int64, name="seed"),
                 "num_samples": tf.TensorSpec((), tf.int32, name="num_samples"),
                 "temperature": tf.TensorSpec((), tf.float32, name="temperature")}
        if self.conditional:
            specs["label"] = tf.TensorSpec((None,), tf.int32, name="label")
        if self.local_conditioning:
            specs["mel"] = tf.TensorSpec((None, None, self.num_mel_bins), tf.float32, name="mel")
        return specs

    def generate_audio(self, num, seed, num_samples, temperature, label=None, mel=None, jit_compile=False):
        """``{"waveform": (num, num_samples)}`` by the fast loop, in-graph (exports with the model);
        with `jit_compile`, its chunks compiled by XLA (the ``generate_xla`` endpoint)."""
        fast = wavenet_generation.fast_generate_codes_xla if jit_compile else wavenet_generation.fast_generate_codes
        return {"waveform": self.decode(fast(self, num_samples, num, seed, temperature, label, mel), mel)}

    def endpoints(self):
        """The contract's endpoints and ``generate_xla``: ``generate`` compiled by XLA (one export serves both)."""
        found = {**super().endpoints(), GENERATE_XLA: (functools.partial(self.generate_audio, jit_compile=True),
                                                       self.generation_inputs())}
        return vocoder_endpoints(self, found) if is_vocoder(self) else found

    def serving_metadata(self):
        return {"sample_rate": self.sample_rate, "num_classes": self.num_classes, "class_names": self.class_names,
                "quantization_channels": self.quantization_channels, "receptive_field": self.receptive_field,
                "local_conditioning": self.local_conditioning, "frame_step": self.frame_step,
                "num_mel_bins": self.num_mel_bins, "lpc_order": self.lpc_order,
                "generation_defaults": {"num_samples": self.sample_rate, "temperature": 1.0},
                "generation_endpoint": GENERATE_XLA, "length_input": "num_samples",
                **(vocoder_metadata(self) if is_vocoder(self) else {})}
