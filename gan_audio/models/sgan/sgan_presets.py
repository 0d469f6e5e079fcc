"""SemiSupervisedGAN presets: plain dicts of constructor and compile keywords (stdlib only)."""


def _adam(learning_rate):
    return {"module": "keras.optimizers", "class_name": "Adam",
            "config": {"learning_rate": learning_rate, "beta_1": 0.5}}


_DEFAULT_CONFIG = {
    "codec": {"frame_length": 512, "frame_step": 160, "num_mel_bins": 64},
    "align_frames": 20, "latent_dim": 100, "generator_units": [256, 512], "batch_norm": True,
    "discriminator": "dense", "discriminator_units": [512, 256, 128], "dropout": 0.3, "input_noise": 0.3,
}

SGAN_PRESETS = {
    "tiny": {
        "description": "Words stretched to 10 frames of 32-bin log-mels, a small dense D and G; for tests.",
        "config": {
            "codec": {"frame_length": 512, "frame_step": 256, "num_mel_bins": 32, "griffin_lim_iterations": 4},
            "align_frames": 10, "latent_dim": 8, "generator_units": [32], "batch_norm": False,
            "discriminator": "dense", "discriminator_units": [64, 32], "dropout": 0.2, "input_noise": 0.3,
        },
        "compile": {"g_optimizer": _adam(1e-3), "d_optimizer": _adam(1e-3)},
    },
    "default": {
        "description": (
            "Each word's spoken part stretched to 20 log-mel frames (512/160 samples, 64 bins, "
            "WordAlignment); D: Gaussian input noise 0.3 → 512 → 256 → 128 ReLU (dropout 0.3) → K "
            "logits; G: 100 → 256 → 512 (BatchNorm, LeakyReLU) → 20×64 tanh; feature matching on D's "
            "128 units; Adam 3e-4, β1 0.5."
        ),
        "config": _DEFAULT_CONFIG,
        "compile": {"g_optimizer": _adam(3e-4), "d_optimizer": _adam(3e-4)},
    },
    "compact": {
        "description": (
            "The default with half the width next to the 20×64 log-mel: G 100 → 128 → 256 → 20×64, D 1280 → "
            "256 → 128 → 128 → K (0.75 M weights against 1.6 M; the shipped `sgan_digits`)."
        ),
        "config": {**_DEFAULT_CONFIG, "generator_units": [128, 256], "discriminator_units": [256, 128, 128]},
        "compile": {"g_optimizer": _adam(3e-4), "d_optimizer": _adam(3e-4)},
    },
    "article1": {
        "description": (
            "Article 1's shapes as a semi-supervised GAN: G noise 100 → 256 relu → 784 sigmoid (a 28×28 "
            "log-mel patch); D 784 → 256 relu → K logits (the article's single real/fake output becomes K "
            "class logits, fake implicit), feature matching on the 256 hidden units."
        ),
        "config": {
            "codec": {"frame_length": 1024, "frame_step": 512, "num_mel_bins": 28},
            "frames": 28, "latent_dim": 100, "generator_units": [256], "generator_activation": "relu",
            "batch_norm": False, "output_activation": "sigmoid",
            "discriminator": "dense", "discriminator_units": [256], "dropout": 0.0,
        },
        "compile": {},
    },
}
