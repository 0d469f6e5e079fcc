"""Files written whole or not at all: a temporary file beside the target, flushed, then renamed over it.

A reader, or a run killed at any moment, sees either the previous file or the new one, complete.

Example:
    >>> import json, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "state.json")
    >>> atomic_write_json(path, {"epochs_done": 3})
    >>> json.load(open(path))
    {'epochs_done': 3}
"""
import json
import os
import tempfile


def fsync_folder(path):
    """Flushes the folder holding `path` (so that a rename into it survives a crash)."""
    fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_text(path, text):
    """Writes `text` (UTF-8) to a temporary file beside `path`, then renames it over `path`."""
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".partial", delete=False, encoding="utf-8") as f:
        try:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        except BaseException:  # the target is untouched; leave no partial file behind
            f.close()
            os.remove(f.name)
            raise
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(f.name, 0o666 & ~umask)  # a temporary file is private; the target is not
    os.replace(f.name, path)
    fsync_folder(path)


def atomic_write_json(path, value, indent=2):
    """Writes `value` as JSON (values JSON cannot hold as their `str`) atomically, like `atomic_write_text`."""
    atomic_write_text(path, json.dumps(value, indent=indent, default=str))
