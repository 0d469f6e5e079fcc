"""Every tutorial runs top to bottom (quick mode: GAN_AUDIO_QUICK=1) and is what its script builds."""
import glob
import os
import runpy

import nbformat
import pytest
from nbclient import NotebookClient

from tests.family_test_case import REPO

NOTEBOOKS = sorted(glob.glob(os.path.join(REPO, "notebooks", "*.ipynb")))


def test_notebooks_are_built_from_the_script(tmp_path):
    """The committed notebooks hold exactly the cells of scripts/build_notebooks.py
    (edit the script, rebuild, commit both)."""
    script = runpy.run_path(os.path.join(REPO, "scripts", "build_notebooks.py"))
    built = {}
    for name, cells in script["NOTEBOOKS"].items():
        path = str(tmp_path / name)
        script["build"](cells, path)
        built[name] = [c.source for c in nbformat.read(path, as_version=4).cells]
    committed = {os.path.basename(p): [c.source for c in nbformat.read(p, as_version=4).cells] for p in NOTEBOOKS}
    assert committed == built


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
def test_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_AUDIO_QUICK", "1")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    monkeypatch.setenv("PYTHONPATH", REPO)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, errors
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # every tutorial draws its curves and spectrograms or matrices
    warnings = [o["text"] for o in outputs if o.get("name") == "stderr" and "warning" in o.get("text", "").lower()]
    assert not warnings, warnings
