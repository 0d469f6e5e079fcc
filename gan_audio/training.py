"""Training runs on disk: a folder per run that can be stopped and resumed.

A run folder holds `config.json` (family, preset, model and compile
config, data, label vocabulary), `model.keras`, `checkpoint.weights.h5` +
`state.json` (everything needed to resume), `history.csv`, TensorBoard
logs in `logs/` and per-epoch samples in `samples/epoch_XXX/`.
"""
import json
import logging
import os

import keras

from gan_audio.callbacks import ResumableCheckpoint, SampleWriter, read_state
from gan_audio.data import find_audio_files, save_class_names
from gan_audio.registry import get_family

logger = logging.getLogger("gan_audio")
CONFIG_FILE = "config.json"
MODEL_FILE = "model.keras"


def _fresh_model(family, preset, seed, labelled, num_classes):
    overrides = {"seed": seed}
    if labelled:
        overrides["num_classes"] = num_classes
    model = family.model_class.from_preset(preset, **overrides)
    model.compile(**family.model_class.compile_kwargs(preset))
    return model


def _portable_source(data):
    """The data source as stored in config.json: folders and files made absolute
    so that `--resume` works from any working directory."""
    if isinstance(data, str):
        return os.path.abspath(data) if os.path.exists(data) else data
    return [os.path.abspath(p) for p in data]


def load_run(run_dir):
    """`(model, config)` of a run folder: the model rebuilt from its config
    and checkpoint (or `model.keras`), compiled as it was trained."""
    config_path = os.path.join(run_dir, CONFIG_FILE)
    if not os.path.exists(config_path):
        raise FileNotFoundError(f"{run_dir!r} is not a training run (no {CONFIG_FILE}).")
    with open(config_path) as f:
        config = json.load(f)
    family = get_family(config["family"])
    model = family.model_class.from_config(config["model"])
    model.compile(**config["compile"])
    if read_state(run_dir) is not None:
        model.load_weights(os.path.join(run_dir, "checkpoint.weights.h5"))
    elif os.path.exists(os.path.join(run_dir, MODEL_FILE)):
        model = keras.saving.load_model(os.path.join(run_dir, MODEL_FILE))
    return model, config


def train(
    family,
    data="spoken_digits",
    preset="default",
    epochs=10,
    steps_per_epoch=None,
    batch_size=32,
    out="runs/run",
    seed=0,
    resume=False,
    labelled=False,
    num_samples=4,
    strict=False,
    verbose="auto",
):
    """Trains a family's preset on audio files with `model.fit`.

    Args:
        family: str, a registered family name (see `gan-audio models`).
        data: str or list, a folder, glob, list of files or bundled name.
        preset: str, a preset of the family.
        epochs: int, total epochs of the run (also when resuming).
        steps_per_epoch: int or None (None → one pass over the files).
        batch_size: int.
        out: str, the run folder.
        seed: int, seeds weights, noise and data order.
        resume: bool, continue the run in `out` from its last checkpoint.
        labelled: bool, train label-conditionally on the folder labels.
        num_samples: int, samples written after each epoch.
        strict: bool, fail on the first bad audio file instead of skipping.

    Returns:
        `(model, history)`; Ctrl-C saves a checkpoint and returns early.
    """
    keras.utils.set_random_seed(int(seed))
    state = read_state(out)
    if resume:
        if state is None:
            raise FileNotFoundError(f"Nothing to resume in {out!r}: no checkpoint there.")
        model, config = load_run(out)
        fam = get_family(config["family"])
        dataset, _, steps = fam.make_dataset(
            model, config["data"], config["batch_size"], config["seed"], config["labelled"], adapt=False, strict=strict
        )
        steps_per_epoch = config["steps_per_epoch"] or steps
        initial_epoch = state["epochs_done"]
        logger.info("Resuming %s at epoch %d of %d.", out, initial_epoch, epochs)
    else:
        if state is not None:
            raise FileExistsError(f"{out!r} already holds a run; pass resume=True (--resume) or another folder.")
        fam = get_family(family)
        if preset not in fam.presets:
            raise ValueError(f"Unknown preset {preset!r} for {family}; choose from {sorted(fam.presets)}.")
        os.makedirs(out, exist_ok=True)
        num_classes = len(find_audio_files(data).class_names or []) if labelled else None
        model = _fresh_model(fam, preset, seed, labelled, num_classes)
        dataset, class_names, steps = fam.make_dataset(model, data, batch_size, seed, labelled, strict=strict)
        steps_per_epoch = steps_per_epoch or steps
        config = {
            "family": fam.name,
            "preset": preset,
            "model": model.get_config(),
            "compile": model.get_compile_config(),
            "data": _portable_source(data),
            "batch_size": batch_size,
            "steps_per_epoch": steps_per_epoch,
            "seed": seed,
            "labelled": labelled,
            "class_names": class_names,
        }
        with open(os.path.join(out, CONFIG_FILE), "w") as f:
            json.dump(config, f, indent=2, default=str)
        if class_names:
            save_class_names(class_names, os.path.join(out, "labels.json"))
        initial_epoch = 0
    checkpoint = ResumableCheckpoint(out)
    checkpoint.epochs_done = initial_epoch
    callbacks = [
        checkpoint,
        SampleWriter(os.path.join(out, "samples"), num=num_samples, seed=seed, log_dir=os.path.join(out, "logs")),
        keras.callbacks.CSVLogger(os.path.join(out, "history.csv"), append=True),
        keras.callbacks.TensorBoard(os.path.join(out, "logs"), write_graph=False),
    ]
    history = None
    try:
        history = model.fit(
            dataset,
            epochs=epochs,
            initial_epoch=initial_epoch,
            steps_per_epoch=steps_per_epoch,
            callbacks=callbacks,
            shuffle=False,  # the pipeline shuffles, seeded
            verbose=verbose,
        )
    except KeyboardInterrupt:
        print(flush=True)  # end the progress-bar line
        checkpoint.save(interrupted=True)
        logger.warning(
            "Interrupted after %d finished epochs; the run in %s resumes with --resume.",
            checkpoint.epochs_done,
            out,
        )
    model.save(os.path.join(out, MODEL_FILE))
    return model, history
