"""WordClassifier presets: plain dicts of constructor and compile keywords (stdlib only)."""

def _compile(learning_rate):
    return {
        "optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {"learning_rate": learning_rate}},
        "loss": {"module": "keras.losses", "class_name": "SparseCategoricalCrossentropy",
                 "config": {"from_logits": True}},
        "metrics": ["accuracy"],
    }

WORD_CLASSIFIER_PRESETS = {
    "tiny": {
        "description": "Two conv blocks (16, 32 filters), a 32-d embedding, Adam 3e-3; for tests.",
        "config": {"filters": [16, 32], "embedding_dim": 32, "dropout": 0.0},
        "compile": _compile(3e-3),
    },
    "default": {
        "description": (
            "16 kHz log-mels (512-sample frames, 160-sample hop, 64 bins) in dB below the clip's peak; "
            "the spoken part stretched to 48 frames (WordAlignment: where the word sits and how fast it "
            "is said do not matter); 3×3 conv blocks of 32, 64, 96 filters with BatchNorm and "
            "max-pooling, mean+max pooling, dropout 0.3, a 128-d embedding, K logits; Adam 1e-3 "
            "(the judge's architecture)."
        ),
        "config": {"filters": [32, 64, 96], "embedding_dim": 128, "dropout": 0.3, "align_frames": 48},
        "compile": _compile(1e-3),
    },
}
