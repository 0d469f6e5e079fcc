"""ToyTone presets (stdlib only, like every family's)."""

TOY_TONE_PRESETS = {
    "tiny": {
        "description": "A 0.2 s template at 4 kHz, learned as the mean clip; noise 0.01 around it.",
        "config": {"num_samples": 800, "sample_rate": 4000},
        "compile": {"optimizer": {"module": "keras.optimizers", "class_name": "Adam",
                                  "config": {"learning_rate": 0.05}}},
    },
}
