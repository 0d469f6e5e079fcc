"""What a served model does, as it declares it: ``generate``, ``vocode``, ``denoise``, ``classify``, ``likelihood``.

Each family states its tasks once, as the class attribute ``serving_tasks``
of its model (`gan_audio.serving.ServingMixin`); `export_saved_model` writes
them into the export's metadata (``tasks``). The commands that need a kind of
model (`gan-audio denoise`, `vocode`, `classify`) ask `require_task`, not the
names of a model's inputs. Exports written before models declared their tasks
are read through `inferred_tasks`, the one place that still looks at
endpoints and inputs.

Example:
    >>> from gan_audio.models import Vocoder
    >>> tasks_of(Vocoder.from_preset("tiny"))
    ('vocode',)
"""
from gan_audio.serving import GENERATE, RESYNTHESIZE, SERVING_DEFAULT

#: Every task a model may declare.
TASKS = ("generate", "vocode", "denoise", "classify", "likelihood")
_NOUNS = {"generate": "a generator", "vocode": "a vocoder", "denoise": "a denoiser", "classify": "a classifier",
          "likelihood": "a likelihood model"}


def tasks_of(target):
    """The tasks of a model (its class's ``serving_tasks``) or a reloaded export (its metadata's ``tasks``;
    inferred for exports older than the key). Raises ValueError for a task not in `TASKS`."""
    declared = getattr(target, "serving_tasks", None)
    if declared is None:
        declared = target.serving_metadata().get("tasks")
    if declared is None:
        return inferred_tasks(target)
    unknown = sorted(set(declared) - set(TASKS))
    if unknown or not declared:
        raise ValueError(f"{_name(target)} declares the tasks {list(declared)}; each must be one of {list(TASKS)}.")
    return tuple(declared)


def inferred_tasks(target):
    """The tasks an export without ``tasks`` metadata performs, from its endpoints and inputs: a
    ``resynthesize`` endpoint makes a vocoder, a ``noisy`` input a denoiser, ``quantization_channels`` a
    WaveNet (likelihood, and generation when it has a ``generate`` endpoint), ``waveform`` alone a
    classifier, a ``generate`` endpoint or a ``noise`` input a generator."""
    names = set(target.endpoint_names)
    specs = set(target.endpoint_specs(SERVING_DEFAULT)) if SERVING_DEFAULT in names else set()
    metadata = target.serving_metadata()
    if RESYNTHESIZE in names:
        return ("vocode",)
    if "noisy" in specs:
        return ("denoise",)
    if metadata.get("quantization_channels"):
        return ("generate", "likelihood") if GENERATE in names else ("likelihood",)
    if specs == {"waveform"}:
        return ("classify",)
    if GENERATE in names or "noise" in specs:
        return ("generate",)
    raise ValueError(f"{_name(target)} declares no tasks and its endpoints ({', '.join(sorted(names))}) "
                     "do not say what it does.")


def require_task(target, task, source=None):
    """`target` when it performs `task`; else a one-line ValueError naming `source` and what it does."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; one of {list(TASKS)}")
    tasks = tasks_of(target)
    if task not in tasks:
        specs = target.endpoint_specs(SERVING_DEFAULT) if SERVING_DEFAULT in target.endpoint_names else {}
        does = " and ".join(_NOUNS[t] for t in tasks)
        raise ValueError(f"{source or _name(target)} is not {_NOUNS[task]}: it is {does} "
                         f"(it takes {', '.join(specs) or 'no input'}).")
    return target


def _name(target):
    return getattr(target, "path", None) or type(target).__name__
