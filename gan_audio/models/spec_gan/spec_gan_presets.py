"""SpecGAN presets: plain dicts of constructor and compile keywords (stdlib only)."""


def _adam(learning_rate, beta_1, beta_2=0.999):
    return {"module": "keras.optimizers", "class_name": "Adam",
            "config": {"learning_rate": learning_rate, "beta_1": beta_1, "beta_2": beta_2}}


#: The analysis of the shipped vocoder: 64 frames of 1024/256 at 16 kHz are 17152 samples (1.072 s).
VOCODER_CODEC = {"sample_rate": 16000, "frame_length": 1024, "frame_step": 256, "num_mel_bins": 64}

SPEC_GAN_PRESETS = {
    "tiny": {
        "description": "16×16 log-mels, two stride-2 layers each way; for tests.",
        "config": {
            "codec": {"frame_length": 512, "frame_step": 512, "num_mel_bins": 16, "griffin_lim_iterations": 4},
            "clip_seconds": 0.512, "latent_dim": 8, "generator_filters": [16, 8], "discriminator_filters": [8, 16],
            "label_embedding_dim": 4, "augment_shift": 2,
        },
        "compile": {"loss": "hinge"},
    },
    "default": {
        "description": (
            "Label-conditional on 64×64 log-mels (1024/256, the vocoder's analysis, 1.07 s): G z 128 + a "
            "32-d label embedding → Dense → 4×4×192 → Conv2DTranspose 192, 128, 64, 32 (4×4, stride 2, "
            "BatchNorm, ReLU) → Conv2D 7×7 → tanh (1.6 M weights); D Conv2D 32, 64, 128, 256 (4×4, stride 2, "
            "LeakyReLU 0.2) → mean → projection head; hinge loss, Adam 2e-4 β1 0.5; samples from a moving "
            "average of G's weights (decay 0.99)."
        ),
        "config": {
            "codec": VOCODER_CODEC, "clip_seconds": 1.072, "latent_dim": 128,
            "generator_filters": [192, 128, 64, 32], "discriminator_filters": [32, 64, 128, 256],
            "generator_activation": "relu", "spectral_norm": False, "discriminator_head": "projection",
            "label_embedding_dim": 32, "augment_shift": 0,
            # benchmarks/spec_gan.py --ema: at 1,600 steps the judge hears 97 % of the average's words, 88 % of G's
            "generator_average": 0.99,
        },
        "compile": {"loss": "hinge", "g_optimizer": _adam(2e-4, 0.5), "d_optimizer": _adam(2e-4, 0.5)},
    },
    "article2": {
        "description": (
            "As in article 2: D Conv2D 64, 128, 256, 512 (4×4, stride 2, BatchNorm, LeakyReLU) → Conv2D(1, 7×7) "
            "→ Flatten → Dense(1) on 128×128 log-mels; G the same layers mirrored (Dense → 8×8×512 → "
            "Conv2DTranspose 512, 256, 128, 64, 4×4, stride 2, BatchNorm, tanh → Conv2D(1, 7×7) → tanh); "
            "cross-entropy, Adam 2e-4 β1 0.5."
        ),
        "config": {
            "codec": {"frame_length": 1024, "frame_step": 128, "num_mel_bins": 128}, "clip_seconds": 1.08,
            "latent_dim": 100, "generator_filters": [512, 256, 128, 64], "discriminator_filters": [64, 128, 256, 512],
            "generator_activation": "tanh", "discriminator_batch_norm": True, "spectral_norm": False,
            "discriminator_head": "article",
        },
        "compile": {"loss": "non_saturating"},
    },
}
