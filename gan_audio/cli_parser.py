"""The `gan-audio` command's argument parser (stdlib only: `--help` answers without TensorFlow).

`gan_audio.cli` runs the command it parses: `args.command` names it.
"""
import argparse

DESCRIPTION = "Train, generate, vocode, denoise, classify, evaluate and export the models of gan_audio."


class FORMATTER(argparse.ArgumentDefaultsHelpFormatter):
    """Shows every default: Python's own, or the one written in the help text
    (options whose default comes from a run's config have None here)."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False or "(default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)



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


def build_parser(strategies):
    """The `gan-audio` parser; each command's `args.command` names its function in `gan_audio.cli`
    (`strategies`: the `--strategy` choices)."""
    parser = argparse.ArgumentParser(prog="gan-audio", description=DESCRIPTION, formatter_class=FORMATTER)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging and TensorFlow's own messages")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("models", help="list model families, what they take and give, and their presets",
                        formatter_class=FORMATTER)

    train = commands.add_parser("train", help="train a model with model.fit (a run folder you can resume)",
                                formatter_class=FORMATTER)
    train.add_argument("model", help="family name (see `gan-audio models`), e.g. dense-gan")
    train.add_argument("--out", default="runs/run", help="run folder")
    train.add_argument("--epochs", type=_positive_int, default=10,
                       help="the run's total epochs (with --resume: more than it has done)")
    train.add_argument("--resume", action="store_true", help="continue the run in --out with its own settings")
    train.add_argument("--strict", action="store_true", help="stop at the first bad audio file instead of skipping it")
    train.add_argument("--strategy", choices=strategies, default="default",
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

    vocode = commands.add_parser("vocode", help="resynthesise audio files through a vocoder (any format, rate, length)",
                                 formatter_class=FORMATTER, usage="%(prog)s [-h] [--out OUT] "
                                 "(MODEL FILES ... | FILES ... --model MODEL)")
    vocode.add_argument("files", nargs="+", metavar="FILES",
                        help="audio files, after the vocoder (or give it as --model)")
    vocode.add_argument("--model", help="a vocoder run or saved_models/NAME[/VERSION]; or first, before the files")
    vocode.add_argument("--out", default="vocoded", help="output folder (WAV at the vocoder's rate)")

    denoise = commands.add_parser("denoise", help="denoise speech files with a denoiser (any format, rate, length)",
                                  formatter_class=FORMATTER, usage="%(prog)s [-h] [--out OUT] [--chunk-seconds S] "
                                  "(MODEL FILES ... | FILES ... --model MODEL)")
    denoise.add_argument("files", nargs="+", metavar="FILES",
                         help="noisy audio files, after the denoiser (or give it as --model)")
    denoise.add_argument("--model", help="a denoiser run or saved_models/NAME[/VERSION]; or first, before the files")
    denoise.add_argument("--out", default="denoised", help="output folder (WAV at the denoiser's rate, same duration)")
    denoise.add_argument("--chunk-seconds", type=_positive_float, default=4.0,
                         help="processed in overlapping chunks of this length (memory); the result does not depend on it")

    classify = commands.add_parser("classify", help="print the word (and its probability) a classifier hears in files",
                                   formatter_class=FORMATTER)
    classify.add_argument("source", help="`judge` (shipped), a classifier or sgan run, or its saved_models/NAME")
    classify.add_argument("files", nargs="+", help="audio files of any format, length and sample rate")

    evaluate = commands.add_parser("evaluate", help="score a model with the judge, beside real data's scores",
                                   formatter_class=FORMATTER)
    evaluate.add_argument("source", help="run folder, or saved_models/NAME[/VERSION]")
    evaluate.add_argument("--data", help="real clips to compare with; clips the model trained on are left out "
                          "(default: the held-out split of the run's data, e.g. spoken_digits:test, else spoken_digits)")
    evaluate.add_argument("--num", type=_positive_int, default=200, help="generated clips (and real ones) to score")
    evaluate.add_argument("--seed", type=int, default=0, help="seed of the generated and the sampled real clips")

    export = commands.add_parser("export", help="export a run as a TF Serving SavedModel (NAME/VERSION/)",
                                 formatter_class=FORMATTER)
    export.add_argument("run", help="run folder")
    export.add_argument("--out", required=True, help="saved_models/NAME; the version folder goes below it")
    export.add_argument("--version", type=_positive_int, help="version number (default: one more than the highest)")
    export.add_argument("--dtype-policy", choices=("float32", "mixed_float16", "mixed_bfloat16"),
                        help="compute in this Keras policy (weights stay float32; wavenet only): mixed_float16 "
                             "generates 1.1-1.25x as fast on CPU, with other draws than float32's "
                             "(default: the run's)")
    return parser
