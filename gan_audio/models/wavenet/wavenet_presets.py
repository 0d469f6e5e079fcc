"""WaveNet presets: plain dicts of constructor and compile keywords (stdlib only)."""


def _compile(learning_rate):
    return {"optimizer": {"module": "keras.optimizers", "class_name": "Adam",
                          "config": {"learning_rate": learning_rate}}}


#: The log-mel-conditioned vocoder's network, shared by `vocoder` and `vocoder_lpc`.
_VOCODER = {"residual_channels": 64, "gate_channels": 64, "skip_channels": 128, "kernel_size": 2,
            "layers_per_stack": 10, "stacks": 1, "input_kernel_size": 2, "local_conditioning": True,
            "num_mel_bins": 64, "frame_step": 256, "segment_samples": 4000, "sample_rate": 16000}

WAVENET_PRESETS = {
    "tiny": {
        "description": "One stack of 3 layers (dilations 1, 2, 4), 8 residual and 16 skip channels; for tests.",
        "config": {"residual_channels": 8, "gate_channels": 8, "skip_channels": 16, "kernel_size": 2,
                   "layers_per_stack": 3, "stacks": 1, "input_kernel_size": 2, "global_channels": 4,
                   "segment_samples": 1000, "sample_rate": 4000},
        "compile": _compile(3e-3),
    },
    "article5": {
        "description": (
            "Article 5's simplified stack made causal and gated: one stack of 10 layers (dilations "
            "1 … 512), kernel 2, 32 residual/gate channels, 64 skip/head channels, unconditional; "
            "receptive field 1024 samples (64 ms at 16 kHz); Adam 1e-3."
        ),
        "config": {"residual_channels": 32, "gate_channels": 32, "skip_channels": 64, "kernel_size": 2,
                   "layers_per_stack": 10, "stacks": 1, "input_kernel_size": 1, "segment_samples": 8000,
                   "sample_rate": 16000},
        "compile": _compile(1e-3),
    },
    "default": {
        "description": (
            "2 stacks of 10 layers (dilations 1 … 512 twice), kernel 2, 64 residual/gate channels, "
            "128 skip/head channels, input causal conv of width 2 (receptive field 2048 samples, "
            "128 ms at 16 kHz); the label (10 classes) as a global condition; Adam 1e-3."
        ),
        "config": {"residual_channels": 64, "gate_channels": 64, "skip_channels": 128, "kernel_size": 2,
                   "layers_per_stack": 10, "stacks": 2, "input_kernel_size": 2, "num_classes": 10,
                   "global_channels": 32, "segment_samples": 8000, "sample_rate": 16000},
        "compile": _compile(1e-3),
    },
    "vocoder": {
        "description": (
            "A log-mel-conditioned WaveNet vocoder: one stack of 10 layers (dilations 1 … 512), kernel 2, "
            "64 residual/gate and 128 skip/head channels, input causal conv of width 2 (receptive field 1025 "
            "samples); each sample conditioned on the 64-bin log-mel frame (1024-sample window, hop 256: "
            "the shipped GAN vocoder's analysis) that starts at it; 0.25 s crops; Adam 1e-3."
        ),
        "config": _VOCODER,
        "compile": _compile(1e-3),
    },
    "vocoder_lpc": {
        "description": (
            "The `vocoder` preset modelling the excitation (LPCNet's split): its codes are those of the residual "
            "of a 16th-order linear prediction computed from each log-mel frame, and its audio is that residual "
            "through the all-pole filter, so the frames' envelope is imposed, not learned; training audio "
            "dithered at rms 1e-4 (-80 dBFS) so that silence is never exact; Adam 1e-3."
        ),
        "config": {**_VOCODER, "lpc_order": 16, "dither": 1e-4},
        "compile": _compile(1e-3),
    },
    "vocoder_lpc_pitch": {
        "description": (
            "The `vocoder_lpc` preset with a pitch source: a pulse train at the pitch the log-mel gives (its "
            "power spectrum's autocorrelation) and the frame's voicing enter every sample's input, at the "
            "recording's own pitch marks in training, free-running when generating; Adam 1e-3. Fine-tuned from "
            "the shipped `vocoder_lpc` for 2,250 steps it drew pulses where the source put them, of random sign, "
            "and was no better on PESQ (README: not shipped)."
        ),
        "config": {**_VOCODER, "lpc_order": 16, "dither": 1e-4, "pitch_source": True},
        "compile": _compile(1e-3),
    },
}
