"""Train, generate, evaluate and export the audio GANs of gan_audio: the `gan-audio` command (also
`python -m gan_audio`).

Argument parsing only, each command calling one library function. Importing anything inside `gan_audio`
runs the package's `__init__`, which loads TensorFlow (so that `import gan_audio` alone registers every
model class for `keras.saving.load_model`) and takes seconds, so the command's entry point, the launcher
`gan_audio_cli.py` beside the package, loads this file by its path without importing the package: the
arguments are parsed first, `--help` and `models` never load TensorFlow (this module and the ones it
reads for them, the registry and the trained-preset listing, are stdlib only), and the other commands
load it without its C++ start-up lines (unless --verbose). Errors a user can fix print one line and exit
with 2.
"""
import argparse
import importlib.util
import logging
import os
import sys
import tempfile



class FORMATTER(argparse.ArgumentDefaultsHelpFormatter):
    """Shows every default: Python's own, or the one written in the help text
    (options whose default comes from a run's config have None here)."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False or "(default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


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
    from gan_audio.vocoding import vocode_files

    paths = vocode_files(args.model, args.files, args.out)
    _wrote(paths, args.out)


def _denoise(args):
    from gan_audio.denoising import denoise_files

    paths = denoise_files(args.model, args.files, args.out, chunk_seconds=args.chunk_seconds)
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
    print(f"SavedModel written to {export_saved_model(model, args.out, version=args.version, metadata=metadata)}")


# -------------------------------------------------------------------- parser
def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def build_parser():
    parser = argparse.ArgumentParser(prog="gan-audio", description=__doc__.splitlines()[0], formatter_class=FORMATTER)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging and TensorFlow's own messages")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    models = commands.add_parser("models", help="list model families, what they take and give, and their presets",
                                 formatter_class=FORMATTER)
    models.set_defaults(fn=_models)

    train = commands.add_parser("train", help="train a model with model.fit (a run folder you can resume)",
                                formatter_class=FORMATTER)
    train.add_argument("model", help="family name (see `gan-audio models`), e.g. dense-gan")
    train.add_argument("--out", default="runs/run", help="run folder")
    train.add_argument("--epochs", type=_positive_int, default=10,
                       help="the run's total epochs (with --resume: more than it has done)")
    train.add_argument("--resume", action="store_true", help="continue the run in --out with its own settings")
    train.add_argument("--strict", action="store_true", help="stop at the first bad audio file instead of skipping it")
    train.add_argument("--strategy", choices=_light_module("strategies").STRATEGIES, default="default",
                       help="tf.distribute strategy: mirrored (this machine's devices) or multiworker (the workers "
                            "of TF_CONFIG; run the same command on each, only the chief writes --out) "
                            "(default: default, one device)")
    run = train.add_argument_group("run settings (a new run's; a resumed run keeps its own)")
    run.add_argument("--data", nargs="+", help="folder (one sub-folder per label, or flat), glob, bundled name "
                                    "(spoken_digits, spoken_digits:train|test), real_speech[:test] (after "
                                    "scripts/make_real_speech.py), several of them (combined, unlabelled); gcdg also "
                                    "babble:K (K-talker babble of the bundled digits) (default: spoken_digits)")
    run.add_argument("--preset", help="preset of the family, or a trained preset (a shipped model of it, e.g. "
                                      "spec_gan_digits: the run fine-tunes it; `gan-audio models` lists them) "
                                      "(default: default)")
    run.add_argument("--batch-size", type=_positive_int, help="clips per batch (default: 32)")
    run.add_argument("--steps-per-epoch", type=_positive_int, help="batches per epoch (default: one pass over the files)")
    run.add_argument("--seed", type=int, help="seeds weights, noise and data order (default: 0)")
    run.add_argument("--conditional", action="store_true", default=None,
                     help="condition both networks on the folder labels (default: unconditional)")
    run.add_argument("--clips-per-epoch", type=_positive_int,
                     help="sample clips written after each epoch (default: 4)")
    run.add_argument("--vocoder", help="a vocoder run or saved_models/NAME for the audio of the samples written "
                                       "after each epoch (default: the model's own, e.g. Griffin-Lim)")
    run.add_argument("--init-from", help="an export (saved_models/NAME) or run whose weights start this run: "
                                         "fine-tuning (default: the preset's initial weights)")
    run.add_argument("--learning-rate-scale", type=float, metavar="FACTOR",
                     help="multiplies the preset's learning rates, e.g. 0.3 to fine-tune (default: 1)")
    run.add_argument("--cosine-decay", action="store_true", default=None,
                     help="learning rates fall to 0 along a cosine over the run's --epochs (default: constant)")
    run.add_argument("--recipe-option", action="append", metavar="KEY=JSON", default=None,
                     help="a setting of the family's data recipe, e.g. noise_kinds='[\"white\", \"music\"]', "
                          "snr_db='[-5, 15]' (wavenet-denoiser), band_limit=0.25 (vocoder); repeatable")
    run.add_argument("--cache-dir", help="a folder where the decoded, resampled clips are saved once and reused "
                                         "by later runs on the same files (default: in memory when under 512 MB "
                                         "of files, else decoded every epoch)")
    run.add_argument("--labels-per-class", type=_positive_int,
                     help="sgan: clips per class that keep their label, the rest unlabelled (default: all)")
    train.set_defaults(fn=_train)

    gen = commands.add_parser("generate", help="write WAV files (and a spectrogram PNG) from a run or a SavedModel",
                              formatter_class=FORMATTER)
    gen.add_argument("source", help="run folder, or saved_models/NAME[/VERSION]")
    gen.add_argument("--num", type=_positive_int, default=4, help="clips to write")
    gen.add_argument("--out", default="generated", help="output folder")
    gen.add_argument("--label", help="class name (first) or index, or `all` for --num clips of every "
                                     "label (label-conditional models only)")
    gen.add_argument("--seed", type=int, default=0, help="the same seed gives the same audio from a run and its export")
    gen.add_argument("--vocoder", help="a vocoder run or saved_models/NAME turning the log-mels into audio "
                                       "(default: the model's own audio, e.g. Griffin-Lim)")
    gen.add_argument("--seconds", type=_positive_float,
                     help="length of each clip, for models that generate any length (gcdg: crossfaded segments; "
                          "wavenet: samples at its rate; default: the model's clip, wavenet 1 s)")
    gen.add_argument("--temperature", type=_positive_float,
                     help="softmax temperature of sample-by-sample models (wavenet; default: 1.0)")
    gen.set_defaults(fn=_generate)

    vocode = commands.add_parser("vocode", help="resynthesise audio files through a vocoder (any format, rate, length)",
                                 formatter_class=FORMATTER)
    vocode.add_argument("files", nargs="+", help="audio files")
    vocode.add_argument("--model", required=True, help="a vocoder run or saved_models/NAME[/VERSION]")
    vocode.add_argument("--out", default="vocoded", help="output folder (WAV at the vocoder's rate)")
    vocode.set_defaults(fn=_vocode)

    denoise = commands.add_parser("denoise", help="denoise speech files with a denoiser (any format, rate, length)",
                                  formatter_class=FORMATTER)
    denoise.add_argument("files", nargs="+", help="noisy audio files")
    denoise.add_argument("--model", required=True, help="a wavenet-denoiser run or saved_models/NAME[/VERSION]")
    denoise.add_argument("--out", default="denoised", help="output folder (WAV at the denoiser's rate, same duration)")
    denoise.add_argument("--chunk-seconds", type=_positive_float, default=4.0,
                         help="processed in overlapping chunks of this length (memory); the result does not depend on it")
    denoise.set_defaults(fn=_denoise)

    classify = commands.add_parser("classify", help="print the word (and its probability) a classifier hears in files",
                                   formatter_class=FORMATTER)
    classify.add_argument("source", help="`judge` (shipped), a classifier or sgan run, or its saved_models/NAME")
    classify.add_argument("files", nargs="+", help="audio files of any format, length and sample rate")
    classify.set_defaults(fn=_classify)

    evaluate = commands.add_parser("evaluate", help="score a model with the judge, beside real data's scores",
                                   formatter_class=FORMATTER)
    evaluate.add_argument("source", help="run folder, or saved_models/NAME[/VERSION]")
    evaluate.add_argument("--data", help="real clips to compare with; clips the model trained on are left out "
                          "(default: the held-out split of the run's data, e.g. spoken_digits:test, else spoken_digits)")
    evaluate.add_argument("--num", type=_positive_int, default=200, help="generated clips (and real ones) to score")
    evaluate.add_argument("--seed", type=int, default=0, help="seed of the generated and the sampled real clips")
    evaluate.set_defaults(fn=_evaluate)

    export = commands.add_parser("export", help="export a run as a TF Serving SavedModel (NAME/VERSION/)",
                                 formatter_class=FORMATTER)
    export.add_argument("run", help="run folder")
    export.add_argument("--out", required=True, help="saved_models/NAME; the version folder goes below it")
    export.add_argument("--version", type=_positive_int, help="version number (default: one more than the highest)")
    export.set_defaults(fn=_export)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command == "models":
        args.fn(args)
        return 0
    _load_tensorflow(args.verbose)
    from gan_audio.data import AudioFileError

    try:
        args.fn(args)
    except (AudioFileError, ValueError, FileNotFoundError, FileExistsError) as error:
        if args.verbose:  # the one-line error stays last
            import traceback

            traceback.print_exc()
        print(f"gan-audio {args.command}: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
