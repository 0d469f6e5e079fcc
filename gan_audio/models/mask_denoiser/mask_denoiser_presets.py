"""SpectralMaskDenoiser presets: plain dicts of constructor and compile keywords (stdlib only)."""


def _compile(learning_rate):
    return {"optimizer": {"module": "keras.optimizers", "class_name": "Adam",
                          "config": {"learning_rate": learning_rate}}}


MASK_DENOISER_PRESETS = {
    "tiny": {
        "description": ("4 kHz, 128-sample frames (hop 32), 16 channels, two blocks (dilations 1, 2); "
                        "2000-sample segments; for tests."),
        "config": {"frame_length": 128, "frame_step": 32, "channels": 16, "kernel_size": 3, "dilations": [1, 2],
                   "compression": 0.3, "complex_weight": 0.3, "segment_samples": 2000, "sample_rate": 4000},
        "compile": _compile(3e-3),
    },
    "default": {
        "description": (
            "16 kHz, 32 ms Hann frames (512 samples, hop 128: 257 bins); a Dense layer over frequency "
            "into 192 channels, 8 residual blocks of width-3 dilated convs over frames (dilations 1, 2, "
            "4, 8 twice: ±30 frames, ±0.24 s of context) and a sigmoid gain per bin, applied to the noisy "
            "STFT (noisy phase kept); loss: compressed (power 0.3) magnitude + 0.3 × compressed complex "
            "MSE; 1 s training segments; Adam 1e-3."
        ),
        "config": {"frame_length": 512, "frame_step": 128, "channels": 192, "kernel_size": 3,
                   "dilations": [1, 2, 4, 8, 1, 2, 4, 8], "compression": 0.3, "complex_weight": 0.3,
                   "segment_samples": 16000, "sample_rate": 16000},
        "compile": _compile(1e-3),
    },
}
