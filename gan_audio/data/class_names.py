"""A run's label vocabulary (its ``labels.json``): class names in label order, saved and loaded as JSON."""
import json
import os

from gan_audio.atomic_files import atomic_write_json


def save_class_names(class_names, path):
    """Save a label vocabulary (list of str) as JSON, atomically.

    Args:
        class_names: list of class names, index = label id.
        path: output ``.json`` file (folders are created).

    Example:
        >>> save_class_names(["cat", "dog"], "/tmp/classes.json")
        >>> load_class_names("/tmp/classes.json")
        ['cat', 'dog']
    """
    names = [str(c) for c in class_names]
    folder = os.path.dirname(os.fspath(path))
    if folder:
        os.makedirs(folder, exist_ok=True)
    atomic_write_json(path, {"class_names": names}, indent=1)


def load_class_names(path):
    """Load a label vocabulary saved by :func:`save_class_names`.

    Args:
        path: the ``.json`` file.

    Raises:
        ValueError: the file is not a saved vocabulary.

    Example:
        >>> save_class_names(["a"], "/tmp/c.json"); load_class_names("/tmp/c.json")
        ['a']
    """
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: not a class-name JSON file ({e})") from None
    names = data.get("class_names") if isinstance(data, dict) else data
    if not isinstance(names, list) or not all(isinstance(c, str) for c in names):
        raise ValueError(f"{path}: expected a JSON list of class names")
    return names
