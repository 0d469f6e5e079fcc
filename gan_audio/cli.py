"""`gan-audio` / `python -m gan_audio`: argument parsing only.

Every command calls a library function; errors the user can fix (a bad
file, an unknown preset, a missing run) print one line and exit 2.
"""
import argparse
import logging
import os
import sys


def _models(args):
    from gan_audio.registry import FAMILIES

    for name, family in sorted(FAMILIES.items()):
        print(f"{name}: {family.description}")
        for preset, spec in family.presets.items():
            print(f"    {preset:<10} {spec['description']}")


def _train(args):
    from gan_audio.training import train

    train(
        args.model,
        data=args.data,
        preset=args.preset,
        epochs=args.epochs,
        steps_per_epoch=args.steps_per_epoch,
        batch_size=args.batch_size,
        out=args.out,
        seed=args.seed,
        resume=args.resume,
        labelled=args.conditional,
        num_samples=args.num_samples,
        strict=args.strict,
    )
    print(f"Run written to {args.out} (model.keras, history.csv, samples/, logs/).")


def _generate(args):
    from gan_audio.generation import generate_files

    paths = generate_files(args.source, args.num, args.out, label=args.label, seed=args.seed)
    print(f"Wrote {len(paths)} files to {args.out}.")


def _export(args):
    from gan_audio.export import export_saved_model
    from gan_audio.training import load_run

    model, config = load_run(args.run)
    path = export_saved_model(
        model,
        args.out,
        version=args.version,
        metadata={"family": config["family"], "preset": config["preset"], "class_names": config.get("class_names")},
    )
    print(f"SavedModel written to {path}")


def build_parser():
    parser = argparse.ArgumentParser(prog="gan-audio", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("models", help="list model families and their presets").set_defaults(fn=_models)

    train = commands.add_parser("train", help="train a model with model.fit")
    train.add_argument("model", help="family name, e.g. dense-gan")
    train.add_argument("--data", default="spoken_digits", help="folder, glob or bundled name")
    train.add_argument("--preset", default="default")
    train.add_argument("--epochs", type=int, default=10)
    train.add_argument("--steps-per-epoch", type=int, default=None)
    train.add_argument("--batch-size", type=int, default=32)
    train.add_argument("--out", default="runs/run", help="run folder")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--resume", action="store_true", help="continue the run in --out")
    train.add_argument("--conditional", action="store_true", help="condition on folder labels")
    train.add_argument("--num-samples", type=int, default=4, help="samples written per epoch")
    train.add_argument("--strict", action="store_true", help="fail on the first bad audio file")
    train.set_defaults(fn=_train)

    gen = commands.add_parser("generate", help="write WAV files from a run or a SavedModel")
    gen.add_argument("source", help="run folder or saved_models/NAME[/VERSION]")
    gen.add_argument("--num", type=int, default=4)
    gen.add_argument("--out", default="generated")
    gen.add_argument("--label", default=None, help="class index or name (conditional models)")
    gen.add_argument("--seed", type=int, default=0)
    gen.set_defaults(fn=_generate)

    export = commands.add_parser("export", help="export a run as a TF Serving SavedModel")
    export.add_argument("run")
    export.add_argument("--out", required=True, help="saved_models/NAME")
    export.add_argument("--version", type=int, default=None)
    export.set_defaults(fn=_export)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from gan_audio.data import AudioFileError

    try:
        args.fn(args)
    except (AudioFileError, ValueError, FileNotFoundError, FileExistsError) as error:
        print(f"gan-audio {args.command}: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
