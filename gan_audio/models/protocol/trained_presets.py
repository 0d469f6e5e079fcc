"""Trained presets: the shipped models of `saved_models/` (or any export) as Keras models that keep training.

`SpecGAN.from_preset("spec_gan_digits")` builds the model from the config its export stored and sets the
weights the export holds (`gan_audio.warm_start.start_from_export`): a GAN's generator (and its average,
which also starts the generator), codec and whatever else serving reads; what the export does not hold (a
GAN's discriminator, optimizer state) starts as a fresh model's. The shipped models are exported by
`scripts/train_shipped.py` from the run that trained them; the one artefact in `saved_models/` is both what
TF Serving serves and what `from_preset` fine-tunes (a Keras-format copy with the discriminators would not
fit the 40 MB the shipped models may take).

The model's `preset_card` says where it came from: the export folder and version, its serving metadata
(family, base preset, sample rate, labels), the card (`README.md` beside the versions), its size, and which
weights start fresh.

Example:
```python
from gan_audio.models import SpecGAN

model = SpecGAN.from_preset("spec_gan_digits")                  # saved_models/spec_gan_digits, trained
model.preset_card["fresh_weights"][:2]                          # the discriminator starts fresh
model.compile(**SpecGAN.compile_kwargs("spec_gan_digits"))      # the base preset's ('default') settings
```
"""
import json
import os

CONFIG_FILE = "gan_audio.json"  # gan_audio.export.CONFIG_FILE, read here without TensorFlow


def shipped_folder():
    """Where trained presets are looked up: ``$GAN_AUDIO_SAVED_MODELS`` or the checkout's `saved_models/`."""
    package = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # gan_audio/
    default = os.path.join(os.path.dirname(package), "saved_models")
    return os.environ.get("GAN_AUDIO_SAVED_MODELS", default)


def _latest_version(folder):
    versions = sorted(int(d) for d in os.listdir(folder) if d.isdigit()) if os.path.isdir(folder) else []
    return os.path.join(folder, str(versions[-1])) if versions else None


def export_info(folder):
    """The `gan_audio.json` of an export folder (``NAME`` or ``NAME/VERSION``) and its version folder."""
    version = folder if os.path.exists(os.path.join(folder, CONFIG_FILE)) else _latest_version(folder)
    if version is None or not os.path.exists(os.path.join(version, CONFIG_FILE)):
        raise FileNotFoundError(f"{folder}: no export with {CONFIG_FILE} (saved_models/NAME/VERSION/{CONFIG_FILE}).")
    with open(os.path.join(version, CONFIG_FILE)) as f:
        return json.load(f), version


def trained_presets(class_name=None):
    """``{name: export folder}`` of the shipped models (of class `class_name` when given); stdlib only (the
    `gan-audio models` listing reads it without TensorFlow)."""
    found = {}
    root = shipped_folder()
    for name in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        try:
            info, _ = export_info(os.path.join(root, name))
        except FileNotFoundError:
            continue
        if class_name is None or info.get("class_name") == class_name:
            found[name] = os.path.join(root, name)
    return found


def find_trained_preset(cls, name):
    """The export folder of trained preset `name` (a shipped name or an export path) for `cls`, or None."""
    folder = trained_presets().get(name)
    if folder is None and os.path.isdir(str(name)):
        folder = name
    if folder is None:
        return None
    info, _ = export_info(folder)
    if info.get("class_name") != cls.__name__:
        raise ValueError(f"{name!r} ({folder}) holds a {info.get('class_name')}, not a {cls.__name__}: "
                         f"load it with {info.get('class_name')}.from_preset({name!r}).")
    return folder


def base_preset(folder):
    """The preset a trained preset was trained from (its export's ``preset`` metadata)."""
    info, version = export_info(folder)
    preset = info.get("metadata", {}).get("preset")
    if preset is None:
        raise ValueError(f"{version}/{CONFIG_FILE} does not say which preset it was trained from (metadata 'preset').")
    return preset


def _size_bytes(folder):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)


def load_trained_preset(cls, folder, **overrides):
    """`cls` built from the config `folder`'s export stored (keyword overrides win, e.g. ``seed``) with the
    weights the export holds; `model.preset_card` describes it (see the module docstring)."""
    from gan_audio.warm_start import start_from_export

    info, version = export_info(folder)
    model = cls.from_config({**info["config"], **overrides})
    served = {id(w) for w in start_from_export(model, version)}
    card = os.path.join(os.path.dirname(version) if version != folder else folder, "README.md")
    model.preset_card = {
        "name": os.path.basename(os.path.normpath(folder)),
        "export": version,
        "metadata": info.get("metadata", {}),
        "card": open(card).read() if os.path.exists(card) else "",
        "size_mb": round(_size_bytes(version) / 1e6, 2),
        "fresh_weights": [w.path for w in model.weights if id(w) not in served and "seed_generator" not in w.path],
    }
    return model
