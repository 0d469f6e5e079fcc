"""GCDG presets: plain dicts of constructor and compile keywords (stdlib only)."""


def _adam(learning_rate, beta_1):
    return {"module": "keras.optimizers", "class_name": "Adam",
            "config": {"learning_rate": learning_rate, "beta_1": beta_1}}


GCDG_PRESETS = {
    "tiny": {
        "description": "A 2-layer 1-D conv pair on 64 ms clips, every GCDG term on; for tests.",
        "config": {
            "architecture": "conv", "sample_rate": 16000, "clip_seconds": 0.064, "latent_dim": 8,
            "generator_filters": [16, 8], "generator_strides": [4, 4], "discriminator_filters": [8, 16],
            "discriminator_strides": [4, 4], "kernel_size": 9, "phase_shuffle": 2,
            "r1_gamma": 1.0, "contrastive_weight": 0.1, "directional_weight": 0.1, "temperature": 0.1,
            "crop_length": 512,
        },
        "compile": {"loss": "non_saturating"},
    },
    "default": {
        "description": (
            "2 s of 16 kHz texture: G z 100 → Dense → 125×128 → Conv1DTranspose 64, 32, 16, 1 (25 taps, "
            "stride 4, ReLU) → tanh; D Conv1D 16, 32, 64, 128, 256 (25 taps, stride 4, LeakyReLU 0.2, phase "
            "shuffle 2) → mean over time (f) → logit; non-saturating loss + R1 γ 1, info-NCE λ_c 0.1 "
            "(τ 0.1, 0.5 s crops), mode seeking λ_d 1 (weights untuned; in benchmarks/gcdg_ablation.py the mode-"
            "seeking term alone does as well at 300 steps); Adam 1e-4 β1 0.5."
        ),
        "config": {
            "architecture": "conv", "sample_rate": 16000, "clip_seconds": 2.0, "latent_dim": 100,
            "generator_filters": [128, 64, 32, 16], "generator_strides": [4, 4, 4, 4],
            "discriminator_filters": [16, 32, 64, 128, 256], "discriminator_strides": [4, 4, 4, 4, 4],
            "kernel_size": 25, "phase_shuffle": 2, "r1_gamma": 1.0, "contrastive_weight": 0.1,
            "directional_weight": 1.0, "temperature": 0.1, "crop_length": 8000,
        },
        "compile": {"loss": "non_saturating", "g_optimizer": _adam(1e-4, 0.5), "d_optimizer": _adam(1e-4, 0.5)},
    },
    "article3": {
        "description": (
            "As in article 3: G z 100 → Dense 128 relu → Dense 22050 sigmoid (1 s at 22.05 kHz; the model maps "
            "[0, 1] to [-1, 1] audio); D 22050 → Dense 128 relu (f) → Dense 1 (sigmoid inside the loss); "
            "γ = λ_c = λ_d = 0 and the minimax loss: the article's equation; Adam 2e-4 β1 0.5."
        ),
        "config": {
            "architecture": "dense", "sample_rate": 22050, "clip_seconds": 1.0, "latent_dim": 100,
            "generator_units": [128], "discriminator_units": [128], "output_activation": "sigmoid",
            "r1_gamma": 0.0, "contrastive_weight": 0.0, "directional_weight": 0.0,
        },
        "compile": {"loss": "minimax", "g_optimizer": _adam(2e-4, 0.5), "d_optimizer": _adam(2e-4, 0.5)},
    },
}
