"""The README's Python blocks run exactly as written (in a fresh process)."""
import os
import re

import pytest

from tests.family_test_case import REPO, run_in_fresh_python


@pytest.mark.slow
def test_readme_python_block_runs(tmp_path):
    readme = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
    block = re.search(r"## Python\n\n```python\n(.*?)```", readme, re.S).group(1)
    checks = """
import numpy as np
assert out["waveform"].shape == (4, 15872) and out["log_mel"].shape == (4, 59, 64)
assert np.abs(same["waveform"] - out["waveform"]).max() < 1e-4, "seed: export and model differ"
assert clips.shape == (2, 15872)
print("ok", sorted(os.listdir("saved_models/dense_gan")))
"""
    script = f"import os\nos.chdir({str(tmp_path)!r})\n" + block + checks
    assert run_in_fresh_python(script, timeout=600).strip().splitlines()[-1] == "ok ['1']"


@pytest.mark.slow
def test_readme_shipped_models_block_runs():
    readme = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
    block = re.search(r"The shipped models, from Python.*?\n\n```python\n(.*?)```", readme, re.S).group(1)
    checks = """
from gan_audio.metrics import si_sdr
assert clean.shape == noisy.shape == again.shape == speech.shape
gain = float(si_sdr(speech[None], clean[None])[0]) - float(si_sdr(speech[None], noisy[None])[0])
assert gain > 3.0, gain  # the denoiser removes most of the noise
print("ok", word, round(gain, 1))
"""
    script = f"import os\nos.chdir({REPO!r})\n" + block + checks
    last = run_in_fresh_python(script, timeout=600).strip().splitlines()[-1].split()
    assert last[:2] == ["ok", "two"], last
