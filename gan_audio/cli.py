"""Train, generate, evaluate and export the audio GANs of gan_audio: the `gan-audio` command (also
`python -m gan_audio`).

Each command calls one library function; its arguments are parsed by `cli_parser.py`. Importing anything
inside `gan_audio` runs the package's `__init__`, which loads TensorFlow (so that `import gan_audio` alone
registers every model class for `keras.saving.load_model`) and takes seconds, so the command's entry
point, the launcher `gan_audio_cli.py` beside the package, loads this file by its path without importing
the package: the arguments are parsed first, `--help` and `models` never load TensorFlow (this module and
the ones it reads for them, the parser, the registry and the trained-preset listing, are stdlib only), and
the other commands load it without its C++ start-up lines (unless --verbose). Errors a user can fix print
one line and exit with 2.
"""
import importlib.util
import logging
import os
import sys
import tempfile


def _light_module(name):
    """A stdlib-only module of the package (`gan_audio/<name>.py`, `name` dotted), read without importing the
    package (and TensorFlow) when it is not loaded yet."""
    if f"gan_audio.{name}" in sys.modules:
        return sys.modules[f"gan_audio.{name}"]
    package = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(f"_gan_audio_{name.replace('.', '_')}",
                                                  os.path.join(package, *name.split(".")[:-1], f"{name.split('.')[-1]}.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _registry():
    """The registry (`gan_audio/registry.py`)."""
    return _light_module("registry")


def _load_tensorflow(verbose):
    """Imports TensorFlow; its C++ start-up lines (oneDNN, absl, cpu_feature_guard)
    are printed while its libraries load, before any log level applies, so
    file descriptor 2 is silenced for the import (and replayed if it fails)."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if verbose:
        import tensorflow  # noqa: F401
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # also oneDNN's run-time "E" lines
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow as tf
        except BaseException:
            os.dup2(saved, 2)
            captured.seek(0)
            sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
    tf.get_logger().setLevel("ERROR")
    import absl.logging

    absl.logging.set_verbosity(absl.logging.ERROR)


# ------------------------------------------------------------------ commands
def _models(args):
    trained = _light_module("models.protocol.trained_presets")
    for name, family in sorted(_registry().FAMILIES.items()):
        print(f"{name}: {family.description}")
        print(f"    tasks:    {', '.join(family.tasks)}")
        print(f"    consumes: {family.consumes}")
        print(f"    produces: {family.produces}")
        options = ", ".join(f"--{o}" for o in family.generate_options) or "none (it transforms audio it is given)"
        print(f"    generate: {options}")
        for preset, vocoders in family.vocoders.items():
            print(f"    vocode {preset} with: " + ", ".join(f"vocoder {v}" for v in vocoders)
                  + " (other presets: Griffin-Lim only)")
        for preset, spec in family.presets.items():
            print(f"    preset {preset:<9} {spec['description']}")
        for preset, folder in trained.trained_presets(family.class_name).items():
            print(f"    trained preset {preset}: {folder} (from_preset / --preset loads it, fine-tunes)")


def _train(args):
    from gan_audio.training import train

    data = args.data[0] if args.data and len(args.data) == 1 else args.data
    settings = dict(data=data, preset=args.preset, batch_size=args.batch_size, seed=args.seed,
                    steps_per_epoch=args.steps_per_epoch, labelled=args.conditional, clips_per_epoch=args.clips_per_epoch,
                    labels_per_class=args.labels_per_class, vocoder=args.vocoder, init_from=args.init_from,
                    learning_rate_scale=args.learning_rate_scale, cosine_decay=args.cosine_decay,
                    recipe_options=_recipe_options(args.recipe_option), cache_dir=args.cache_dir)
    train(args.model, out=args.out, epochs=args.epochs, resume=args.resume, strict=args.strict,
          strategy=args.strategy, **settings)
    print(f"Run written to {args.out} (model.keras, history.csv, samples/, logs/).")


def _recipe_options(pairs):
    """``["noise_kinds=[\"white\"]", "band_limit=0.25"]`` → a dict (values JSON, else strings); None when empty."""
    import json

    options = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--recipe-option {pair!r}: expected KEY=VALUE")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return options or None


def _wrote(paths, out):
    print(f"Wrote {len(paths)} file{'' if len(paths) == 1 else 's'} to {out}.")


def _generate(args):
    from gan_audio.generation import generate_files

    paths = generate_files(args.source, args.num, args.out, label=args.label, seed=args.seed, vocoder=args.vocoder,
                           seconds=args.seconds, temperature=args.temperature)
    _wrote(paths, args.out)


def _vocode(args):
    from gan_audio.sources import model_and_files
    from gan_audio.vocoding import vocode_files

    paths = vocode_files(*model_and_files("vocode", args.model, args.files), args.out)
    _wrote(paths, args.out)


def _denoise(args):
    from gan_audio.denoising import denoise_files
    from gan_audio.sources import model_and_files

    paths = denoise_files(*model_and_files("denoise", args.model, args.files), args.out,
                          chunk_seconds=args.chunk_seconds)
    _wrote(paths, args.out)


def _classify(args):
    from gan_audio.classification import classify_files

    results = classify_files(args.source, args.files)
    width = max(len(path) for path, _, _ in results)
    for path, label, probability in results:
        print(f"{path:<{width}}  {label}  {probability:.3f}")


def _evaluate(args):
    from gan_audio.evaluation import evaluate, format_table, write_result

    rows, note = evaluate(args.source, data=args.data, num=args.num, seed=args.seed, return_data=True)
    print(format_table(rows, args.source))
    print(note)
    path = write_result(rows, args.source, {"data": args.data, "scored_on": note, "num": args.num, "seed": args.seed})
    print(f"Written to {path}")


def _export(args):
    from gan_audio.export import export_saved_model
    from gan_audio.checkpoints import load_run

    model, config = load_run(args.run)
    from gan_audio.registry import get_family

    family, preset = get_family(config["family"]), config["preset"]
    metadata = {"family": config["family"], "preset": preset, "class_names": config.get("class_names")}
    if preset not in family.presets:  # a trained preset: the export names the preset it was trained from
        from gan_audio.models.protocol.trained_presets import base_preset

        metadata.update(preset=base_preset(family.model_class.trained_presets()[preset]), started_from=preset)
    elif config.get("init_from"):
        metadata["started_from"] = config["init_from"]
    path = export_saved_model(model, args.out, version=args.version, metadata=metadata, dtype_policy=args.dtype_policy)
    print(f"SavedModel written to {path}")


COMMANDS = {"models": _models, "train": _train, "generate": _generate, "vocode": _vocode, "denoise": _denoise,
            "classify": _classify, "evaluate": _evaluate, "export": _export}  # the parser's commands (cli_parser)


def main(argv=None):
    args = _light_module("cli_parser").build_parser(_light_module("strategies").STRATEGIES).parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")
    command = COMMANDS[args.command]
    if args.command == "models":
        command(args)
        return 0
    _load_tensorflow(args.verbose)
    from gan_audio.data import AudioFileError

    try:
        command(args)
    except (AudioFileError, ValueError, FileNotFoundError, FileExistsError) as error:
        if args.verbose:  # the one-line error stays last
            import traceback

            traceback.print_exc()
        print(f"gan-audio {args.command}: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
