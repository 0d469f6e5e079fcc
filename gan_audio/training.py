"""Training runs on disk: a folder per run that can be stopped and resumed.

A run folder holds `config.json` (family, preset, model and compile
config, data and every training setting, label vocabulary), `model.keras`
(the checkpoint: weights, optimizer and noise state and the finished-epoch
count in one atomically replaced file, see `gan_audio.checkpoints`),
`history.csv`, TensorBoard logs in `logs/` and per-epoch samples in
`samples/epoch_XXX/`. `keras.saving.load_model("RUN/model.keras")` gives
the trained, compiled model after `import gan_audio`.
"""
import contextlib
import csv
import json
import logging
import os

import keras

from gan_audio.callbacks import (HistoryLogger, IncompleteEpochStop, NonFiniteLossStop, RunCheckpoint,
                                 RunTensorBoard, SampleWriter)
from gan_audio.atomic_files import atomic_write_json
from gan_audio.checkpoints import (CHECKPOINT_FILE, CONFIG_FILE, is_chief, load_run,  # noqa: F401
                                   read_checkpoint_state)
from gan_audio.data import find_audio_files, save_class_names
from gan_audio.registry import get_family
from gan_audio.strategies import make_strategy, resumed, with_sharding

logger = logging.getLogger("gan_audio")
HISTORY_FILE = "history.csv"
#: Settings of a run, with the defaults of a new one; a resumed run keeps its own.
RUN_DEFAULTS = {"data": "spoken_digits", "preset": "default", "batch_size": 32, "steps_per_epoch": None,
                "seed": 0, "labelled": False, "clips_per_epoch": 4, "labels_per_class": None, "vocoder": None,
                "recipe_options": None, "init_from": None, "learning_rate_scale": 1.0, "cosine_decay": False,
                "cache_dir": None}


def _recipe_settings(settings, recipe=None):
    """The settings a family's data recipe sees: the run's, and its ``recipe_options`` (a dict of the
    recipe's own keys, e.g. the denoiser's ``noise_kinds`` and ``snr_db``), which may not shadow them.
    A recipe that lists its options (its ``options`` attribute) refuses others: a misspelt key is an
    error, not a default silently kept."""
    options = settings.get("recipe_options") or {}
    if not isinstance(options, dict):
        raise ValueError(f"recipe_options must be a dict of the data recipe's settings, got {options!r}.")
    shadowed = sorted(set(options) & set(RUN_DEFAULTS))
    if shadowed:
        raise ValueError(f"recipe_options may not set the run settings {shadowed}; pass them directly.")
    known = getattr(recipe, "options", None)
    if recipe is not None and known is not None and set(options) - set(known):
        raise ValueError(f"Unknown recipe options {sorted(set(options) - set(known))} for "
                         f"{recipe.__name__}; it takes {sorted(known) or 'none'}.")
    return {**settings, **options}


def _portable_source(data):
    """The data source as stored in config.json: folders and files made absolute
    so that `--resume` works from any working directory."""
    if isinstance(data, str):
        return os.path.abspath(data) if os.path.exists(data) else data
    return [os.path.abspath(p) if os.path.exists(p) else p for p in data]  # names (real_speech) stay names


def _label_overrides(family, settings):
    """Constructor keywords that come from the data's labels."""
    for option in ("labels_per_class",):
        if settings.get(option) is not None and option not in family.train_options:
            raise ValueError(f"--{option.replace('_', '-')} does not apply to {family.name}.")
    if family.labels == "preset":
        conditional = "num_classes" in family.presets[settings["preset"]]["config"] or settings["labelled"]
        if not conditional:
            return {}
    elif family.labels == "optional" and not settings["labelled"]:
        return {}
    if family.labels == "none":
        if settings["labelled"]:
            raise ValueError(f"{family.name} takes no labels: drop --conditional.")
        return {}
    if family.labels == "required" and settings["labelled"]:
        raise ValueError(f"{family.name} always uses the folder labels: drop --conditional.")
    class_names = find_audio_files(settings["data"]).class_names
    if not class_names and family.labels == "preset":
        raise ValueError(f"{family.name} preset {settings['preset']!r} is label-conditional and {settings['data']} "
                         f"has no labels (one sub-folder per class): pick an unconditional preset.")
    if not class_names:
        raise ValueError(f"{family.name} needs labelled data (one sub-folder per class); {settings['data']} has none.")
    if family.labels == "optional":
        return {"conditional": True, "num_classes": len(class_names)}
    return {"num_classes": len(class_names), "class_names": class_names}


def _preset_model(fam, settings):
    """The run's model: a preset of the family (fresh weights, labels from the data) or a trained preset (a
    shipped model: `from_preset` loads its weights, `compile_kwargs` gives its base preset's settings)."""
    if settings["preset"] in fam.presets:
        return fam.model_class.from_preset(settings["preset"], seed=settings["seed"], **_label_overrides(fam, settings))
    trained = fam.model_class.trained_presets()
    if settings["preset"] not in trained:
        raise ValueError(f"Unknown preset {settings['preset']!r} for {fam.name}; choose from {sorted(fam.presets)} "
                         f"or the trained {sorted(trained)}.")
    if settings["init_from"]:
        raise ValueError(f"--init-from and the trained preset {settings['preset']!r} both give the starting weights: "
                         "pass one.")
    model = fam.model_class.from_preset(settings["preset"], seed=settings["seed"])
    logger.info("Started from the trained preset %s (%d weights start fresh: %s).", model.preset_card["export"],
                len(model.preset_card["fresh_weights"]), "what its export does not hold")
    return model


def _new_run(family, out, settings, strict, epochs):
    fam = get_family(family)
    model = _preset_model(fam, settings)
    if settings["init_from"]:  # fine-tuning: every weight from the export or run, by path
        from gan_audio.warm_start import copy_weights_from

        logger.info("Started from %d weights of %s.", copy_weights_from(model, settings["init_from"], partial=True),
                    settings["init_from"])
    # a fine-tuned model keeps the codec (dB range) it was trained with
    trained = settings["preset"] not in fam.presets
    if trained and getattr(model, "num_classes", None) and fam.labels in ("optional", "preset"):
        settings = {**settings, "labelled": True}  # a label-conditional trained preset takes the folder labels
    data = fam.make_dataset(model, _recipe_settings(settings, fam.make_dataset),
                            adapt=not (settings["init_from"] or trained), strict=strict)
    if trained and getattr(model, "class_names", None) and data.class_names != list(model.class_names):
        raise ValueError(f"{settings['data']} has the labels {data.class_names}; the trained preset "
                         f"{settings['preset']!r} knows {list(model.class_names)}.")
    steps_per_epoch = settings["steps_per_epoch"] or data.steps_per_pass
    # the decay spans the run's first --epochs; epochs added on resume continue at its end rate (0)
    model.compile(**fam.model_class.compile_kwargs(
        settings["preset"], learning_rate_scale=settings["learning_rate_scale"],
        decay_steps=epochs * steps_per_epoch if settings["cosine_decay"] else None))
    vocoder = settings["vocoder"] and _portable_source(settings["vocoder"])
    config = {"family": fam.name, **settings, "data": _portable_source(settings["data"]), "vocoder": vocoder,
              "init_from": settings["init_from"] and _portable_source(settings["init_from"]),
              "steps_per_epoch": steps_per_epoch, "class_names": data.class_names,
              "model": model.get_config(), "compile": model.get_compile_config()}
    if is_chief():
        os.makedirs(out, exist_ok=True)
        atomic_write_json(os.path.join(out, CONFIG_FILE), config)
        if data.class_names:
            save_class_names(data.class_names, os.path.join(out, "labels.json"))
    return model, config, data


def _resumed_run(family, out, settings, epochs, strict):
    model, config = load_run(out)
    if "num_samples" in config and "clips_per_epoch" not in config:  # a run from before the rename
        config["clips_per_epoch"] = config.pop("num_samples")
    paths = ("data", "vocoder", "init_from")
    conflicts = [f"{key}={value!r} (the run's: {config.get(key)!r})" for key, value in settings.items()
                 if value is not None and key not in paths and value != config.get(key)]
    if family is not None and family != config["family"]:
        conflicts.insert(0, f"family {family!r} (the run's: {config['family']!r})")
    for key in paths:
        if settings[key] is not None and _portable_source(settings[key]) != config.get(key):
            conflicts.append(f"{key}={settings[key]!r} (the run's: {config.get(key)!r})")
    if conflicts:
        raise ValueError(f"A resumed run keeps its own settings; drop {', '.join(conflicts)}.")
    done = read_checkpoint_state(os.path.join(out, CHECKPOINT_FILE))["epochs_done"]
    if epochs <= done:
        raise ValueError(f"The run in {out!r} has done {done} epochs and --epochs is the run's total: "
                         f"pass more than {done} to continue it.")
    run_settings = {key: config.get(key, RUN_DEFAULTS[key]) for key in RUN_DEFAULTS}
    data = get_family(config["family"]).make_dataset(model, _recipe_settings(run_settings), adapt=False,
                                                     strict=strict)
    _truncate_history(os.path.join(out, HISTORY_FILE), done)
    logger.info("Resuming %s at epoch %d of %d.", out, done, epochs)
    return model, config, data, done


def _truncate_history(path, epochs_done):
    """Keeps the rows of finished epochs (a crash may leave one row more)."""
    if not os.path.exists(path) or not is_chief():
        return
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    kept = rows[:1] + [row for row in rows[1:] if row and int(row[0]) < epochs_done]
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(kept)


def train(family=None, out="runs/run", epochs=10, resume=False, strict=False, verbose="auto", strategy=None,
          **settings):
    """Trains a family's preset on audio files with `model.fit`.

    Args:
        family: str, a registered family name (see `gan-audio models`).
        out: str, the run folder.
        epochs: int >= 1, the run's total number of epochs (also when
            resuming: a run that has done 3 continues with `epochs=5`).
        resume: bool, continue the run in `out` from its checkpoint, with
            the run's own settings (passing a different one is an error).
        strict: bool, fail on the first bad audio file instead of skipping.
        strategy: None / ``"default"``, ``"mirrored"`` or ``"multiworker"``
            (`gan_audio.strategies`; the model is built in its scope).
        **settings: `data` (folder, glob, list of files or bundled name),
            `preset`, `batch_size`, `steps_per_epoch` (None → one pass over
            the files), `seed` (weights, noise and data order), `labelled`
            (train label-conditionally on folder labels), `clips_per_epoch`
            (sample clips written after each epoch), `labels_per_class` (sgan),
            `vocoder` (a vocoder run or export for those clips' audio),
            `recipe_options` (a dict of the family recipe's own settings, such as
            the denoiser's ``noise_kinds``, ``snr_db``, ``music``, ``babble``),
            `init_from` (an export or run whose weights, matched by path, start
            the run: fine-tuning; the optimizer starts afresh),
            `learning_rate_scale` (multiplies the preset's learning rates),
            `cosine_decay` (the rates fall to 0 along a cosine over the run's
            `epochs`; epochs added when resuming stay at 0), `cache_dir` (a
            folder where the decoded clips are saved once and reused by later
            runs on the same files; default: in memory when they fit).
            Defaults: `RUN_DEFAULTS`.

    Returns:
        `(model, history)`; Ctrl-C saves a checkpoint and returns early.
    """
    unknown = set(settings) - set(RUN_DEFAULTS)
    if unknown:
        raise TypeError(f"train() got unknown settings {sorted(unknown)}; known: {sorted(RUN_DEFAULTS)}.")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"--epochs must be a positive integer (the run's total), got {epochs!r}.")
    settings = {key: settings.get(key) for key in RUN_DEFAULTS}
    distribution = make_strategy(strategy)
    scope = distribution.scope() if distribution is not None else contextlib.nullcontext()
    checkpoint_state = read_checkpoint_state(os.path.join(out, CHECKPOINT_FILE))
    if resume:
        if checkpoint_state is None:
            raise FileNotFoundError(f"Nothing to resume in {out!r}: no checkpoint there.")
        keras.utils.set_random_seed(int(json.load(open(os.path.join(out, CONFIG_FILE)))["seed"]))
        with scope:
            model, config, data, initial_epoch = _resumed_run(family, out, settings, epochs, strict)
    else:
        if checkpoint_state is not None:
            raise FileExistsError(f"{out!r} already holds a run; pass resume=True (--resume) or another folder.")
        if os.path.exists(os.path.join(out, CONFIG_FILE)):
            logger.info("%s holds a run that never finished an epoch; starting it afresh.", out)
        settings = {key: RUN_DEFAULTS[key] if value is None else value for key, value in settings.items()}
        keras.utils.set_random_seed(int(settings["seed"]))
        with scope:
            model, config, data = _new_run(family, out, settings, strict, epochs)
        initial_epoch = 0
    vocoder = None
    if config.get("vocoder"):
        from gan_audio.vocoding import check_analysis, open_vocoder

        vocoder = open_vocoder(config["vocoder"])
        check_analysis(model.serving_metadata(), vocoder.serving_metadata(), family or config["family"],
                       config["vocoder"])
    checkpoint = RunCheckpoint(out, epochs_done=initial_epoch)
    safety = [IncompleteEpochStop(config["steps_per_epoch"]), NonFiniteLossStop()]  # before anything is written
    callbacks = [*safety, checkpoint]
    if is_chief():  # the history row goes first: a crash between the two leaves one row too many
        callbacks = [
            *safety,
            HistoryLogger(os.path.join(out, HISTORY_FILE), append=True),
            checkpoint,
            SampleWriter(os.path.join(out, "samples"), num=config["clips_per_epoch"], seed=config["seed"],
                         inputs=data.sample_inputs, log_dir=os.path.join(out, "logs"), vocoder=vocoder),
            RunTensorBoard(os.path.join(out, "logs"), write_graph=False),
        ]
    history = None
    try:
        dataset = resumed(data.dataset, initial_epoch * config["steps_per_epoch"], distribution)
        history = model.fit(with_sharding(dataset, distribution), epochs=epochs, initial_epoch=initial_epoch,
                            steps_per_epoch=config["steps_per_epoch"], callbacks=callbacks, verbose=verbose)
    except KeyboardInterrupt:
        print(flush=True)  # end the progress-bar line
        checkpoint.save(interrupted=True)
        logger.warning("Interrupted after %d finished epochs; the run in %s resumes with --resume.",
                       checkpoint.epochs_done, out)
    return model, history
