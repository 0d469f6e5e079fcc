"""Every example in the package's docstrings runs: the fenced ```python blocks of classes, functions and
methods (executed in their module's namespace), and the ``>>>`` examples (doctest, outputs compared)."""
import doctest
import importlib
import inspect
import pkgutil
import re

import numpy as np
import pytest
import tensorflow as tf

import gan_audio

FENCED = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _modules():
    names = [gan_audio.__name__] + [m.name for m in pkgutil.walk_packages(gan_audio.__path__, gan_audio.__name__ + ".")]
    return [importlib.import_module(name) for name in sorted(names) if not name.endswith(".__main__")]


def _documented(module):
    """(qualified name, docstring) of the module, its classes, functions and their methods defined in it."""
    yield module.__name__, module.__doc__ or ""
    for name, value in vars(module).items():
        if getattr(value, "__module__", None) != module.__name__ or not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        yield f"{module.__name__}.{name}", value.__doc__ or ""
        if inspect.isclass(value):
            for attr, member in vars(value).items():
                if inspect.isfunction(member) and member.__doc__:
                    yield f"{module.__name__}.{name}.{attr}", member.__doc__


def _fenced_examples():
    found = []
    for module in _modules():
        for name, doc in _documented(module):
            for i, code in enumerate(FENCED.findall(inspect.cleandoc(doc) if doc else "")):
                found.append(pytest.param(module, code, id=f"{name}[{i}]"))
    return found


FENCED_EXAMPLES = _fenced_examples()
DOCTESTED = [pytest.param(m, id=m.__name__) for m in _modules() if doctest.DocTestFinder().find(m) and any(
    t.examples for t in doctest.DocTestFinder().find(m))]


def test_the_package_has_examples_to_run():
    assert len(FENCED_EXAMPLES) >= 10 and len(DOCTESTED) >= 10  # the collection itself could silently find nothing


@pytest.mark.parametrize("module, code", FENCED_EXAMPLES)
def test_fenced_example_runs(module, code):
    exec(compile(code, f"<example in {module.__name__}>", "exec"), dict(vars(module)))  # noqa: S102


@pytest.mark.parametrize("module", DOCTESTED)
def test_doctest_examples_give_their_outputs(module):
    result = doctest.testmod(module, extraglobs={"tf": tf, "np": np}, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {module.__name__}"
