"""Opening what a command points at: a training run, a SavedModel export, or the judge.

Whatever it is, the result is used through the serving contract only
(`endpoint_specs`, `run_endpoint`, `synthesize`, `serving_metadata`).
"""
import os

JUDGE = "judge"


def is_model_folder(path):
    """Whether `path` is a folder a command can open as a model: a run (``config.json``) or an export
    (``saved_model.pb``, or version folders holding one)."""
    if not os.path.isdir(path):
        return False
    if os.path.exists(os.path.join(path, "config.json")) or os.path.exists(os.path.join(path, "saved_model.pb")):
        return True
    return any(name.isdigit() and os.path.exists(os.path.join(path, name, "saved_model.pb")) for name in os.listdir(path))


def model_and_files(command, model, files):
    """``(model, files)`` of ``gan-audio vocode|denoise``: the model given as ``--model``, or as the first of
    `files` (``gan-audio vocode saved_models/NAME FILES``, as `classify` and `generate` take it)."""
    if model is not None:
        return model, list(files)
    if not is_model_folder(files[0]):
        raise ValueError(f"{files[0]} is not a model folder: give the model first (gan-audio {command} MODEL FILES) "
                         f"or as --model MODEL.")
    if len(files) == 1:
        raise ValueError(f"no audio files after the model {files[0]}: gan-audio {command} MODEL FILES.")
    return files[0], list(files[1:])


def open_source(source):
    """`(target, class_names)` for a run folder, an export, or ``"judge"``.

    `target` is the run's Keras model, a `ServedModel`, or the shipped judge
    (a `WordClassifier`); `class_names` the label vocabulary (or None).
    """
    if source == JUDGE and not os.path.exists(source):
        from gan_audio.judge import load_judge

        judge = load_judge()
        return judge, judge.class_names
    if os.path.exists(os.path.join(source, "config.json")):
        from gan_audio.checkpoints import load_run

        model, config = load_run(source)
        return model, config.get("class_names") or model.serving_metadata().get("class_names")
    from gan_audio.export import load_saved_model

    served = load_saved_model(source)
    return served, served.metadata.get("class_names")
