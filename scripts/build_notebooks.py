"""Writes notebooks/*.ipynb from the cell lists in scripts/notebook_cells/ (unexecuted).

Keeping the source in Python files makes notebook diffs reviewable; run
`python scripts/build_notebooks.py` after editing, and commit both. Cell ids
are the notebook's stem and the cell's index, so a rebuild changes only
what was edited.
"""
import os
import runpy

import nbformat as nbf

HERE = os.path.dirname(os.path.abspath(__file__))
CELLS_DIR = os.path.join(HERE, "notebook_cells")
#: notebook file → module of scripts/notebook_cells holding its CELLS: [("md" | "code", source), ...]
SOURCES = {
    "01_mel_spectrogram_gan.ipynb": "mel_gan",
    "02_gan_speech_classification.ipynb": "sgan",
    "03_spectrogram_gan_and_vocoder.ipynb": "spec_gan_vocoder",
    "04_gcdg_speech_textures.ipynb": "gcdg",
    "05_wavenet_and_denoising.ipynb": "wavenet",
    "06_real_speech.ipynb": "real_speech",
    "07_serving_savedmodels.ipynb": "serving",
}
NOTEBOOKS = {name: runpy.run_path(os.path.join(CELLS_DIR, f"{module}.py"))["CELLS"] for name, module in SOURCES.items()}


def build(cells, path):
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src) for kind, src in cells]
    stem = os.path.basename(path).split("_")[0]
    for i, cell in enumerate(nb.cells):
        cell.id = f"nb{stem}-cell{i:02d}"
    nbf.write(nb, path)


if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        build(cells, os.path.join(HERE, "..", "notebooks", name))
