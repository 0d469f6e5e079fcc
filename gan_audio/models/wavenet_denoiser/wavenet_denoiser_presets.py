"""WaveNetDenoiser presets: plain dicts of constructor and compile keywords (stdlib only)."""


def _compile(learning_rate):
    return {"optimizer": {"module": "keras.optimizers", "class_name": "Adam",
                          "config": {"learning_rate": learning_rate}}}


WAVENET_DENOISER_PRESETS = {
    "tiny": {
        "description": ("One stack of 3 non-causal layers (dilations 1, 2, 4), 8 residual and 16 skip "
                        "channels, 4 kHz, 1000-sample segments, noise estimate subtracted from the input, L1 + 0.1 × two-resolution STFT; for tests."),
        "config": {"residual_channels": 8, "gate_channels": 8, "skip_channels": 16, "kernel_size": 3,
                   "layers_per_stack": 3, "stacks": 1, "input_kernel_size": 3, "head_kernel_size": 3,
                   "stft_weight": 0.1, "stft_resolutions": [[128, 32], [256, 64]], "predict_noise": True,
                   "segment_samples": 1000,
                   "sample_rate": 4000},
        "compile": _compile(3e-3),
    },
    "default": {
        "description": (
            "Rethage et al. (2018) scaled to 2 CPU cores: 2 stacks of 8 non-causal layers (dilations "
            "1 … 128 twice), kernel 3, 32 residual/gate and 64 skip/head channels, 16 kHz; receptive "
            "field 1027 samples (64 ms, ±513 around each output); 0.5 s training segments; "
            "the head estimates the noise, subtracted from the input; L1 + 0.1 × multi-resolution STFT; Adam 1e-3."
        ),
        "config": {"residual_channels": 32, "gate_channels": 32, "skip_channels": 64, "kernel_size": 3,
                   "layers_per_stack": 8, "stacks": 2, "input_kernel_size": 3, "head_kernel_size": 3,
                   "stft_weight": 0.1, "stft_resolutions": [[512, 128], [1024, 256], [256, 64]],
                   "predict_noise": True, "segment_samples": 8000, "sample_rate": 16000},
        "compile": _compile(1e-3),
    },
    "article5": {
        "description": (
            "Article 5's WaveNet stack (as the wavenet family's article5: one stack of 10 layers, "
            "dilations 1 … 512, 32 residual/gate and 64 skip/head channels) made non-causal (kernel 3) "
            "and trained as Rethage et al.'s regression denoiser on (noisy, clean) pairs, plain L1; "
            "the article trains its WaveNet on noisy speech, the clean target is our choice. "
            "Receptive field 2053 samples (128 ms at 16 kHz); 0.5 s segments; Adam 1e-3."
        ),
        "config": {"residual_channels": 32, "gate_channels": 32, "skip_channels": 64, "kernel_size": 3,
                   "layers_per_stack": 10, "stacks": 1, "input_kernel_size": 3, "head_kernel_size": 3,
                   "stft_weight": 0.0, "predict_noise": False, "segment_samples": 8000, "sample_rate": 16000},
        "compile": _compile(1e-3),
    },
}
