"""WaveNet: an autoregressive model of μ-law audio (van den Oord et al. 2016)."""
import math
import random

import keras
import tensorflow as tf

from gan_audio.argument_checks import integer
from gan_audio.features import LogMelSpectrogram, MuLawDecoding, MuLawEncoding
from gan_audio.models.wavenet import wavenet_generation
from gan_audio.models.protocol.dataset_fit import DatasetFitMixin
from gan_audio.models.protocol.presets import PresetMixin
from gan_audio.models.protocol.supervised_step import SupervisedStepMixin
from gan_audio.models.wavenet.wavenet_conditioning import frame_conditions, mel_of, sample_conditions
from gan_audio.models.wavenet.wavenet_layers import CausalEmbedding, GatedResidualBlock
from gan_audio.models.wavenet.wavenet_lpc import decode_residual, encode_residual, lpc_settings
from gan_audio.models.wavenet.wavenet_pitch import SOURCE_CHANNELS, pitch_settings, source_term
from gan_audio.replica_draws import ReplicaGaussianNoise
from gan_audio.models.wavenet.wavenet_presets import WAVENET_PRESETS
from gan_audio.models.wavenet.wavenet_serving import WaveNetServing
from gan_audio.models.wavenet.wavenet_training import WaveNetTraining
from gan_audio.models.wavenet.wavenet_vocoding import is_vocoder


@keras.saving.register_keras_serializable(package="gan_audio")
class WaveNet(PresetMixin, WaveNetServing, WaveNetTraining, DatasetFitMixin, SupervisedStepMixin, keras.Model):
    """A WaveNet over μ-law codes: ``p(x) = Π_t p(x_t | x_<t [, label])``.

    Maths: waveforms in [-1, 1] are μ-law encoded to Q codes
    (`MuLawEncoding`). The codes enter through a one-hot causal convolution
    of width ``input_kernel_size`` (`CausalEmbedding`), then through
    ``stacks × layers_per_stack`` `GatedResidualBlock`s with dilations
    ``1, 2, …, 2^(layers_per_stack-1)`` per stack::

        z_l = tanh(W_f,l *_d x_l + V_f,l h) ⊙ σ(W_g,l *_d x_l + V_g,l h)
        x_{l+1} = x_l + W_r,l z_l,        s = Σ_l W_s,l z_l
        logits = W_2 ReLU(W_1 ReLU(s) + b_1) + b_2        (Q-way softmax)

    where ``h`` is the condition: the label embedding (global conditioning,
    when `num_classes` is set) and/or, with `local_conditioning`, the
    log-mel frame of the predicted sample (``frame_step`` hop, window
    ``4 · frame_step``; see `gan_audio.models.wavenet.wavenet_conditioning`). Every convolution is causal, so the logits at
    ``t`` depend on codes ``t - R + 1 … t`` only, with the receptive field
    ``R = (kernel_size - 1) · Σ dilations + input_kernel_size``.

    Training (`fit`) takes batches of waveforms ``(B, S)`` or
    ``(waveform, label)`` (local conditioning: the log-mel is computed
    from the waveform itself): codes ``[:, :-1]`` predict codes ``[:, 1:]``;
    ``loss`` is the cross-entropy in nats, ``bits_per_sample = loss / ln 2``,
    ``accuracy`` the top-1 accuracy of the next code.

    Generation (`generate`) samples one code at a time from the softmax at
    `temperature` (Gumbel-max with stateless draws keyed ``[seed, step]``,
    so the same seed gives the same audio by either method and from an
    export), starting from one sample of silence. ``method="fast"`` keeps
    per-layer queues (Paine et al. 2016, "Fast WaveNet"), ``"naive"``
    re-runs the receptive field for every sample.

    Serving: ``serving_default`` takes ``waveform (B, S)`` [+ ``label``] and
    returns ``probabilities (B, S, Q)`` of the *next* sample at every
    position and ``bits_per_sample (B,)`` of the waveform; ``generate`` takes
    ``num``, ``seed``, ``num_samples``, ``temperature`` [+ ``label``] and
    returns ``waveform (num, num_samples)`` (local conditioning: + ``mel``).
    A log-mel-conditioned WaveNet without labels (the ``vocoder`` preset) is
    a vocoder instead: ``serving_default`` takes ``mel`` and returns the
    waveform, ``resynthesize`` takes a waveform, and the probabilities move
    to ``likelihood`` (`gan_audio.models.wavenet.wavenet_vocoding`).

    Args:
        quantization_channels: int Q >= 2. Defaults to 256.
        residual_channels: int, width of the residual path. Defaults to 64.
        gate_channels: int or None (= residual_channels), width of the gated units.
        skip_channels: int, width of the skip path and the head. Defaults to 128.
        kernel_size: int >= 2, taps of the dilated convolutions. Defaults to 2.
        layers_per_stack: int, dilations 1 … 2^(layers_per_stack-1). Defaults to 10.
        stacks: int, repetitions of the dilation pattern. Defaults to 2.
        input_kernel_size: int >= 1, taps of the input convolution. Defaults to 2.
        num_classes: int or None (unconditional). Defaults to None.
        class_names: list of num_classes names or None (kept in the config and the export).
        global_channels: int, size of the label embedding. Defaults to 32.
        local_conditioning: bool, condition on log-mel frames. Defaults to False.
        num_mel_bins, frame_step: the frames' mel bands and hop. Defaults 80 / 256.
        lpc_order: int >= 0; > 0 (local conditioning only): the codes are those of the residual of
            the frames' linear prediction of that order, and audio is that residual through the
            all-pole filter (LPCNet's split; `wavenet_lpc`). Defaults to 0 (the waveform's codes).
        dither: float >= 0, the rms of white noise added to training waveforms (digital silence
            otherwise teaches an excitation that, once silent, stays silent). Defaults to 0.
        pitch_source: bool (``lpc_order`` > 0 only): add a pulse train at the log-mel's pitch to the
            input (`wavenet_pitch`). Defaults to False.
        segment_samples: int >= 2, training crop length
            (the data recipe's). Defaults to 8000.
        vocode_temperature: float > 0, the temperature of a vocoder WaveNet's
            (log-mel conditioned, no label) ``serving_default`` and
            ``resynthesize`` draws (`wavenet_vocoding`). Defaults to 1.0.
        sample_rate: int. Defaults to 16000.
        seed: int or None, seeds `next_seed` (weights follow the global seed).

    Example:
    ```python
    import numpy as np
    from gan_audio.models.wavenet.wavenet import WaveNet
    model = WaveNet.from_preset("tiny", num_classes=2)
    model.compile(**WaveNet.compile_kwargs("tiny"))
    t = np.arange(4000) / 4000
    waves = np.stack([0.5 * np.sin(2 * np.pi * 200 * t), 0.5 * np.sin(2 * np.pi * 300 * t)]).astype("float32")
    model.fit(waves, np.array([0, 1]), epochs=2, batch_size=2, verbose=0)
    audio = model.generate(2, labels=[0, 1], seed=0, num_samples=400)  # (2, 400) floats in [-1, 1]
    ```
    """

    serving_tasks = ("generate", "likelihood")  # generate: audio; serving_default: next-code probabilities
    vocoder_tasks = ("vocode", "likelihood")  # a log-mel-conditioned WaveNet's (`wavenet_vocoding`)

    PRESETS = WAVENET_PRESETS

    def __init__(self, quantization_channels=256, residual_channels=64, gate_channels=None, skip_channels=128,
                 kernel_size=2, layers_per_stack=10, stacks=2, input_kernel_size=2, num_classes=None,
                 class_names=None, global_channels=32, local_conditioning=False, num_mel_bins=80, frame_step=256,
                 segment_samples=8000, sample_rate=16000, vocode_temperature=1.0, lpc_order=0, dither=0.0,
                 pitch_source=False, seed=None, **kwargs):
        quantization_channels = integer("quantization_channels", quantization_channels, 2)
        residual_channels = integer("residual_channels", residual_channels)
        gate_channels = residual_channels if gate_channels is None else integer("gate_channels", gate_channels)
        skip_channels = integer("skip_channels", skip_channels)
        kernel_size = integer("kernel_size", kernel_size, 2)
        layers_per_stack, stacks = integer("layers_per_stack", layers_per_stack), integer("stacks", stacks)
        input_kernel_size = integer("input_kernel_size", input_kernel_size)
        if num_classes is not None:
            num_classes = integer("num_classes", num_classes)
        if class_names is not None and len(class_names) != (num_classes or 0):
            raise ValueError(f"{len(class_names)} class_names for num_classes={num_classes}.")
        global_channels = integer("global_channels", global_channels)
        sample_rate = integer("sample_rate", sample_rate)
        segment_samples = integer("segment_samples", segment_samples, 2)
        lpc_order, dither = lpc_settings(lpc_order, dither, local_conditioning)
        pitch_source = pitch_settings(pitch_source, lpc_order)
        if not float(vocode_temperature) > 0:
            raise ValueError(f"`vocode_temperature` must be > 0, got {vocode_temperature!r}.")
        super().__init__(**kwargs)
        dilations = [2**i for i in range(layers_per_stack)] * stacks
        num_mel_bins, frame_step = integer("num_mel_bins", num_mel_bins), integer("frame_step", frame_step)
        condition_channels = (global_channels if num_classes else 0) + (num_mel_bins if local_conditioning else 0)
        # === Layers ===
        self.encoder = MuLawEncoding(quantization_channels, name="mu_law_encoding")
        self.decoder = MuLawDecoding(quantization_channels, name="mu_law_decoding")
        self.input_embedding = CausalEmbedding(quantization_channels, residual_channels, input_kernel_size,
                                               name="input_embedding")
        self.source_embedding = (keras.layers.Dense(residual_channels, use_bias=False, kernel_initializer="zeros",
                                                    name="source_embedding") if pitch_source else None)
        self.log_mel = (LogMelSpectrogram(sample_rate, 4 * frame_step, frame_step, num_mel_bins=num_mel_bins,
                                          name="log_mel") if local_conditioning else None)
        self.label_embedding = (keras.layers.Embedding(num_classes, global_channels, name="label_embedding")
                                if num_classes else None)
        self.blocks = [GatedResidualBlock(residual_channels, gate_channels, skip_channels, kernel_size, dilation,
                                          condition_channels, residual=i < len(dilations) - 1, name=f"block_{i}")
                       for i, dilation in enumerate(dilations)]
        self.dither_noise = ReplicaGaussianNoise(dither, seed=seed, dtype="float32", name="dither") if dither else None
        self.head_hidden = keras.layers.Dense(skip_channels, name="head_hidden")
        self.head_logits = keras.layers.Dense(quantization_channels, dtype="float32", name="head_logits")
        self.input_embedding.build()
        if self.source_embedding is not None:
            self.source_embedding.build((None, SOURCE_CHANNELS))
        if self.label_embedding is not None:
            self.label_embedding.build((None,))
        for block in self.blocks:
            block.build()
        self.head_hidden.build((None, skip_channels))
        self.head_logits.build((None, skip_channels))
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.accuracy_tracker = keras.metrics.Mean(name="accuracy")
        self.bits_tracker = keras.metrics.Mean(name="bits_per_sample")
        # === Config ===
        self.quantization_channels, self.residual_channels = quantization_channels, residual_channels
        self.gate_channels, self.skip_channels, self.kernel_size = gate_channels, skip_channels, kernel_size
        self.layers_per_stack, self.stacks, self.input_kernel_size = layers_per_stack, stacks, input_kernel_size
        self.num_classes, self.global_channels = num_classes, global_channels
        self.class_names = None if class_names is None else [str(c) for c in class_names]
        self.local_conditioning = bool(local_conditioning)
        self.num_mel_bins, self.frame_step, self.mel_frame_length = num_mel_bins, frame_step, 4 * frame_step
        self.segment_samples, self.sample_rate, self.seed = segment_samples, sample_rate, seed
        self.vocode_temperature, self.lpc_order, self.dither = float(vocode_temperature), lpc_order, dither
        self.pitch_source = pitch_source
        if is_vocoder(self):
            self.serving_tasks = self.vocoder_tasks
        self._seeds = random.Random(seed)
        self.built = True

    # ---------------------------------------------------------------- shape
    @property
    def dilations(self):
        return tuple(block.dilation for block in self.blocks)

    @property
    def receptive_field(self):
        """Codes the logits at ``t`` see: ``(K - 1) · Σ dilations + input_kernel_size``."""
        return (self.kernel_size - 1) * sum(self.dilations) + self.input_kernel_size

    @property
    def conditional(self):
        return self.num_classes is not None

    @property
    def silence_code(self):
        """The μ-law code of 0.0, the sample generation starts from."""
        return int(math.floor(0.5 * (self.quantization_channels - 1) + 0.5))

    # -------------------------------------------------------------- network
    def encode(self, waveform, mel=None):
        """Waveforms in [-1, 1] → int32 μ-law codes (with `lpc_order`: of the residual; `mel`: their log-mel)."""
        if self.lpc_order:
            return encode_residual(self, waveform, mel_of(self, waveform) if mel is None else mel)
        return self.encoder(waveform)

    def decode(self, codes, mel=None):
        """μ-law codes → float32 waveforms (with `lpc_order`: through the all-pole filter of `mel`)."""
        return decode_residual(self, codes, mel) if self.lpc_order else self.decoder(codes)

    def label_condition(self, label):
        """Labels ``(B,)`` → their embedding ``(B, global_channels)``, or None when unconditional."""
        if not self.conditional:
            return None
        if label is None:
            raise ValueError(f"This WaveNet is conditional on {self.num_classes} classes: pass a label.")
        return self.label_embedding(tf.reshape(tf.cast(label, tf.int32), [-1]))

    def head(self, skips):
        """Summed skips ``(..., skip_channels)`` → float32 logits ``(..., Q)``."""
        return self.head_logits(tf.nn.relu(self.head_hidden(tf.nn.relu(skips))))

    def call(self, codes, label=None, mel=None, start=1, training=False, source=None):
        """Codes ``(B, T)`` [+ labels ``(B,)``] [+ log-mel ``(B, F, M)`` dB] → logits ``(B, T, Q)``
        of the next code at each position; `start` is the audio index of the sample
        position 0 predicts (1: the codes begin at sample 0); with `pitch_source`, `source`
        ``(B, T, 2)`` is that of the predicted samples (`wavenet_pitch.excitation_source`)."""
        frames = frame_conditions(self, label, mel)
        condition = sample_conditions(self, frames, start, tf.shape(codes)[1])
        x, skips = self.input_embedding(codes), 0.0
        if self.pitch_source:
            if source is None:
                raise ValueError("This WaveNet is pitch-excited: pass `source` (wavenet_pitch.excitation_source).")
            x = x + source_term(self, source)
        for block in self.blocks:
            x, skip = block(x, condition)
            skips = skips + skip
        return self.head(skips)

    # ----------------------------------------------------------- generation
    def generate(self, num=1, labels=None, seed=None, *, num_samples=None, seconds=None, temperature=1.0,
                 method="fast", mel=None):
        """`num` waveforms ``(num, S)`` (numpy float32), as every family's `generate(num, labels, seed)`.

        The length S is `num_samples` or `seconds` (not both); by default one second, or with local
        conditioning ``F · frame_step`` for log-mel frames `mel` ``(num, F, M)`` dB. Codes are drawn at
        `temperature` > 0 by the fast loop (`method="naive"`: the reference, one full pass per sample);
        `seed` None takes the next seed of the model's inference stream (training draws are untouched).
        """
        if method not in ("fast", "naive"):
            raise ValueError(f"`method` must be 'fast' or 'naive', got {method!r}.")
        if num_samples is not None and seconds is not None:
            raise ValueError("Pass `num_samples` or `seconds`, not both.")
        if seconds is not None:
            if not seconds > 0:
                raise ValueError(f"`seconds` must be > 0, got {seconds!r}.")
            num_samples = max(1, int(round(float(seconds) * self.sample_rate)))
        if num_samples is None:
            local = mel is not None and self.local_conditioning
            num_samples = int(tf.shape(mel)[1]) * self.frame_step if local else self.sample_rate
        seed = self.next_seed() if seed is None else seed
        run = wavenet_generation.fast_generate if method == "fast" else wavenet_generation.naive_generate
        codes = run(self, num_samples, num=num, label=labels, temperature=temperature, seed=seed, mel=mel)
        return keras.ops.convert_to_numpy(self.decode(codes, mel if self.local_conditioning else None))

    def next_seed(self):
        """An int seed for `synthesize(seed=None)`, from a generator seeded by `seed`."""
        return self._seeds.randrange(2**31 - 1)

    def get_config(self):
        return {**super().get_config(), "quantization_channels": self.quantization_channels,
                "residual_channels": self.residual_channels, "gate_channels": self.gate_channels,
                "skip_channels": self.skip_channels, "kernel_size": self.kernel_size,
                "layers_per_stack": self.layers_per_stack, "stacks": self.stacks,
                "input_kernel_size": self.input_kernel_size, "num_classes": self.num_classes,
                "class_names": self.class_names, "global_channels": self.global_channels,
                "local_conditioning": self.local_conditioning, "num_mel_bins": self.num_mel_bins,
                "frame_step": self.frame_step, "segment_samples": self.segment_samples,
                "sample_rate": self.sample_rate, "vocode_temperature": self.vocode_temperature,
                "lpc_order": self.lpc_order, "dither": self.dither, "pitch_source": self.pitch_source,
                "seed": self.seed}
