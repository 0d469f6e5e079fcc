"""Generating audio files from a training run or an exported SavedModel.

Both are used through the serving contract only (`gan_audio.serving`): a
run's Keras model and a reloaded export answer the same `synthesize`, so
the same seed gives the same files from either.
"""
import json
import os

from gan_audio.samples import write_samples
from gan_audio.serving import GENERATE
from gan_audio.sources import open_source

ALL_LABELS = "all"


def label_index(label, class_names, conditional, source):
    """A `--label` (class name or index) → int index, with one-line errors.

    A class name wins over an index (``--label 2`` is the folder named ``2``); a
    label that is a name and, read as an index, another class is an error.

    Example:
        >>> label_index("2", ["1", "2"], True, "run")  # the class named 2 (there is no index 2)
        1
        >>> label_index("1", ["cat", "dog"], True, "run")
        1
        >>> label_index("2", ["2", "4", "6"], True, "run")  # the name 2 is index 0; index 2 is "6"
        Traceback (most recent call last):
        ValueError: --label 2 is ambiguous for run: ...
    """
    if label is None:
        if conditional:
            names = f"one of {', '.join(class_names)} or " if class_names else ""
            raise ValueError(f"{source} is label-conditional: pass --label ({names}an index).")
        return None
    if not conditional:
        raise ValueError(f"{source} is not label-conditional: it takes no --label.")
    text = str(label)
    index = int(text) if text.lstrip("-").isdigit() else None
    if class_names and text in class_names:  # a name first; an error if it reads as another class's index
        named = class_names.index(text)
        if index is not None and index != named and 0 <= index < len(class_names):
            raise ValueError(f"--label {text} is ambiguous for {source}: the class named {text!r} is index {named}, "
                             f"index {index} is the class {class_names[index]!r}; pass the name of the one you mean.")
        return named
    if index is not None:
        return index  # the model checks its range
    raise ValueError(f"Unknown label {label!r} for {source}; known labels: {', '.join(class_names or []) or 'none'}.")


def _check_generates(target, source):
    """A one-line error pointing a vocoder or a denoiser, which need audio or log-mels in, to its command."""
    from gan_audio.serving_tasks import tasks_of

    tasks = tasks_of(target)
    for task, needs in (("vocode", "log-mels"), ("denoise", "noisy speech")):
        if task in tasks and "generate" not in tasks:
            raise ValueError(f"{source} is a {task[:-1]}er: it needs {needs}, not nothing. Run gan-audio {task} "
                             f"{source} FILES" + (f", or gan-audio generate GENERATOR --vocoder {source}."
                                                  if task == "vocode" else "."))


def generate_files(source, num, out_dir, label=None, seed=0, vocoder=None, **options):
    """Writes `num` WAV files (and a spectrogram PNG when there are log-mels).

    Args:
        source: a run folder (from `gan-audio train`) or an export
            (`saved_models/NAME` or `saved_models/NAME/VERSION`).
        num: int >= 1, number of clips.
        out_dir: str, output folder.
        label: class index or name, for label-conditional models; ``"all"``:
            `num` clips of every label, the files named after the label.
        seed: int; the same seed gives the same files, from a run and from
            its export.
        vocoder: None (the model's own waveform, e.g. Griffin-Lim), or a
            vocoder run or export that turns the generated log-mels into audio.
        **options: further generation inputs the model takes (e.g.
            `seconds`, `temperature`); None means the model's default.

    Returns:
        The written paths.
    """
    target, class_names = open_source(source)
    _check_generates(target, source)
    specs = target.endpoint_specs(GENERATE)
    names = None
    if label == ALL_LABELS:
        label_index(0, class_names, "label" in specs, source)  # the checks
        count = len(class_names) if class_names else target.serving_metadata()["num_classes"]
        index = [i for i in range(count) for _ in range(num)]
        names = [f"{class_names[i] if class_names else i}_{k:02d}" for i in range(count) for k in range(num)]
        num = len(index)
    else:
        index = label_index(label, class_names, "label" in specs, source)
    try:
        outputs = target.synthesize(num, labels=index, seed=seed, **options)
    except ValueError as error:
        raise ValueError(f"{source}: {error}") from None
    metadata = target.serving_metadata()
    if vocoder is not None:
        from gan_audio.vocoding import check_analysis, open_vocoder, vocode_log_mels

        voice = open_vocoder(vocoder)
        check_analysis(metadata, voice.serving_metadata(), source, vocoder)
        outputs = {**outputs, "waveform": vocode_log_mels(voice, outputs["log_mel"])}
    os.makedirs(out_dir, exist_ok=True)
    paths = write_samples(out_dir, outputs, metadata["sample_rate"], frame_step=metadata.get("frame_step"), names=names)
    with open(os.path.join(out_dir, "generation.json"), "w") as f:
        json.dump({"source": source, "num": num, "label": label, "seed": seed, "vocoder": vocoder, **options}, f,
                  indent=2)
    return paths
