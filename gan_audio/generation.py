"""Generating audio files from a training run or an exported SavedModel."""
import json
import os

import numpy as np

from gan_audio.samples import write_samples


def _label_index(label, class_names):
    if label is None:
        return None
    if str(label).lstrip("-").isdigit():
        return int(label)
    if class_names and label in class_names:
        return class_names.index(label)
    raise ValueError(f"Unknown label {label!r}; known labels: {class_names}.")


def generate_files(source, num, out_dir, label=None, seed=0):
    """Writes `num` WAV files (and a spectrogram PNG) into `out_dir`.

    Args:
        source: a run folder (from `gan-audio train`) or an export
            (`saved_models/NAME` or `saved_models/NAME/VERSION`).
        num: int, number of samples.
        out_dir: str, output folder.
        label: class index or name, for label-conditional models.
        seed: int; the same seed gives the same files.

    Returns:
        The written paths.
    """
    if os.path.exists(os.path.join(source, "config.json")):
        from gan_audio.training import load_run

        model, config = load_run(source)
        index = _label_index(label, config.get("class_names"))
        if model.num_classes is None and index is not None:
            raise ValueError(f"{source} is not label-conditional; drop --label.")
        outputs = model.synthesize(num, labels=index, seed=seed)
        sample_rate, frame_step = model.sample_rate, model.frame_step
    else:
        from gan_audio.export import load_saved_model

        served = load_saved_model(source)
        rng = np.random.default_rng(seed)
        inputs = {"noise": rng.standard_normal((num, served.latent_dim)).astype("float32")}
        index = _label_index(label, served.config.get("class_names"))
        if "label" in served.input_names:
            if index is None:
                raise ValueError(f"{source} is label-conditional: pass --label.")
            inputs["label"] = np.full((num,), index, "int32")
        elif index is not None:
            raise ValueError(f"{source} is not label-conditional; drop --label.")
        outputs = served(**inputs)
        sample_rate = served.sample_rate
        frame_step = served.config.get("config", {}).get("frame_step")
    os.makedirs(out_dir, exist_ok=True)
    paths = write_samples(out_dir, outputs, sample_rate, frame_step=frame_step)
    with open(os.path.join(out_dir, "generation.json"), "w") as f:
        json.dump({"source": source, "num": num, "label": label, "seed": seed}, f, indent=2)
    return paths
