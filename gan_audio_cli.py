"""The `gan-audio` command's launcher: runs `gan_audio/cli.py` (the command, inside the package) loaded by
its path, so that `--help` and `models` answer without the package's `__init__`, which loads TensorFlow.
A launcher must sit outside the package for that: importing `gan_audio.cli` would run `__init__` first."""
import importlib.util
import os
import sys


def _cli():
    if "gan_audio.cli" in sys.modules:
        return sys.modules["gan_audio.cli"]
    package = importlib.util.find_spec("gan_audio").submodule_search_locations[0]  # found, not imported
    spec = importlib.util.spec_from_file_location("_gan_audio_cli", os.path.join(package, "cli.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    """`gan-audio ARGS`: see `gan_audio.cli`."""
    return _cli().main(argv)


if __name__ == "__main__":
    sys.exit(main())
