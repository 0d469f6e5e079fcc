"""Vocoder presets: plain dicts of constructor and compile keywords (stdlib only)."""


def _adam(learning_rate):
    return {"module": "keras.optimizers", "class_name": "Adam",
            "config": {"learning_rate": learning_rate, "beta_1": 0.8, "beta_2": 0.99}}


#: The analysis every 16 kHz model of the zoo decodes from (SpecGAN `default`, DenseGAN `default`).
ANALYSIS = {"sample_rate": 16000, "frame_length": 1024, "frame_step": 256, "num_mel_bins": 64}
_SMALL_D = {"periods": [2, 3, 5, 7, 11], "resolutions": [[512, 128], [1024, 256], [256, 64]],
            "period_channels": [16, 32, 64, 128], "resolution_channels": [16, 16, 16]}
_COMPILE = {"g_optimizer": _adam(5e-4), "d_optimizer": _adam(2e-4)}
#: G alone on mel L1 + multi-resolution STFT first (cheap on a CPU), then the adversarial terms.
_SCHEDULE = {"warmup_steps": 4000, "stft_weight": 1.0}

VOCODER_PRESETS = {
    "tiny": {
        "description": ("Fourier head with the mel magnitude prior, 16 mels of 512/128, one 16-wide ConvNeXt "
                        "block, a two-branch D; for tests."),
        "config": {"head": "fourier", "dim": 16, "num_blocks": 1, "segment_frames": 8, "magnitude_prior": True,
                   "codec": {"frame_length": 512, "frame_step": 128, "num_mel_bins": 16},
                   "periods": [2], "resolutions": [[256, 64]], "period_channels": [4, 8], "resolution_channels": [4]},
        "compile": _COMPILE,
    },
    "small": {
        "description": (
            "Fourier head (Vocos-style): 64 mels of 1024/256 at 16 kHz → Conv1D → 4 ConvNeXt blocks of "
            "192 → log-magnitude and phase of 513 bins → inverse STFT; D periods 2, 3, 5, 7, 11 and STFTs "
            "of 512/1024/256; 4000 G-only steps on 5 × log-mel L1 (dB) + multi-resolution STFT, then least "
            "squares + 2 × feature matching added; Adam (0.8, 0.99), G 5e-4, D 2e-4."
        ),
        "config": {"head": "fourier", "dim": 192, "num_blocks": 4, "segment_frames": 32, "codec": ANALYSIS,
                   **_SMALL_D, **_SCHEDULE},
        "compile": _COMPILE,
    },
    "hifigan": {
        "description": (
            "HiFi-GAN head (V3-like, narrower): 64 mels of 1024/256 → weight-normalised Conv1D 128 → "
            "upsampling 8, 8, 4 (transposed convolutions 16, 16, 8) with residual blocks (kernels 3, 7; "
            "dilations 1, 3, 5) → tanh; the `small` discriminator, losses and schedule."
        ),
        "config": {"head": "hifigan", "channels": 128, "upsample_rates": [8, 8, 4], "upsample_kernels": [16, 16, 8],
                   "resblock_kernels": [3, 7], "resblock_dilations": [1, 3, 5], "segment_frames": 32,
                   "codec": ANALYSIS, **_SMALL_D, **_SCHEDULE},
        "compile": _COMPILE,
    },
}
