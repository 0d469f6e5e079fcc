"""gan_audio.atomic_files: a JSON file is replaced whole, or left as it was."""
import json
import os

import pytest

from gan_audio.atomic_files import atomic_write_json, atomic_write_text


def test_atomic_write_replaces_the_file_and_leaves_nothing_else(tmp_path):
    path = str(tmp_path / "state.json")
    atomic_write_json(path, {"epochs_done": 1})
    atomic_write_json(path, {"epochs_done": 2, "name": "ünï"})
    assert json.load(open(path, encoding="utf-8")) == {"epochs_done": 2, "name": "ünï"}
    assert os.listdir(tmp_path) == ["state.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(path).st_mode & 0o777 == 0o666 & ~umask  # the umask's mode, not a temporary file's 0o600


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_partial_file(tmp_path):
    path = str(tmp_path / "state.json")
    atomic_write_json(path, {"epochs_done": 1})
    loop = []
    loop.append(loop)  # json.dumps raises on a circular reference
    with pytest.raises(ValueError, match="[Cc]ircular"):
        atomic_write_json(path, {"bad": loop})
    with pytest.raises(UnicodeEncodeError):  # fails while writing the temporary file
        atomic_write_text(path, "\ud800")
    assert json.load(open(path)) == {"epochs_done": 1}
    assert os.listdir(tmp_path) == ["state.json"]
