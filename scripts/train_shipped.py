"""Retrain the models shipped in saved_models/ and write their model cards.

    python scripts/train_shipped.py vocoder      # saved_models/vocoder_small/<next version>/
    python scripts/train_shipped.py spec-gan     # saved_models/spec_gan_digits/<next version>/
    python scripts/train_shipped.py wavenet-denoiser   # saved_models/wavenet_denoiser/<next version>/
    python scripts/train_shipped.py mask-denoiser      # saved_models/mask_denoiser/<next version>/
    python scripts/train_shipped.py sgan               # saved_models/sgan_digits/<next version>/
    python scripts/train_shipped.py gcdg               # saved_models/gcdg_babble/<next version>/
    python scripts/train_shipped.py dense-gan          # saved_models/dense_gan_digits/<next version>/
    python scripts/train_shipped.py wavenet            # saved_models/wavenet_vocoder/ (not shipped: README)
    python scripts/train_shipped.py wavenet-lpc        # saved_models/wavenet_lpc_vocoder/<next version>/
    python scripts/train_shipped.py wavenet-pitch      # saved_models/wavenet_pitch_vocoder/ (not shipped: README)

Each is an ordinary resumable run (`runs/shipped_<name>/`, `gan_audio.training.train`;
run the same command again after an interruption to continue it), then an
export for TF Serving and a model card (`saved_models/<name>/README.md`) with
the command, the data, the steps, the training time and the measured numbers.

- vocoder: the `vocoder` `small` preset on the training speakers of
  `real_speech` (`scripts/make_real_speech.py`; its `TEST_SPEAKERS` stay
  unheard) and the 21 training voices of `spoken_digits` (the 9 voices of
  `SPOKEN_DIGITS_TEST_VARIANTS` stay unheard), for `benchmarks/vocoder.py`.
- wavenet-denoiser: the `wavenet-denoiser` `default` preset on the same
  speech, mixed with white/pink/brown noise, mains hum, music (three of the
  five tracks) and babble of the training speech at -5-15 dB; clatter and
  two music tracks stay out; measured by `benchmarks/denoise.py`.
- mask-denoiser: the `mask-denoiser` `default` preset on the same speech and
  noises; version 1 from scratch, version 2 fine-tunes it (half the rate,
  cosine decay to 0, SNR up to 20 dB), version 3 fine-tunes version 2 with
  clicks, a fifth of the clean clips in the telephone band and SNR up to
  25 dB (clatter still unheard); measured by `benchmarks/denoise.py`.
- spec-gan: the `spec-gan` `default` preset, label-conditional, on all of
  `spoken_digits`; the card holds `gan-audio evaluate`'s numbers.
- sgan: the `sgan` `compact` preset (half the `default`'s width next to the
  log-mel: the budget) on the 21 training voices of
  `spoken_digits`, 5 labelled clips per word and the other 370 unlabelled;
  the card holds `gan-audio evaluate`'s accuracy on the 9 held-out voices and
  how many of a real speaker's ten recorded digits it hears (in no training set).
- dense-gan: the `dense-gan` `compact` preset (the `default` does not fit the
  40 MB budget), label-conditional, on all of `spoken_digits`, as spec-gan;
  the card holds `gan-audio evaluate`'s numbers.
- gcdg: the `gcdg` `default` preset on babble of the 21 training voices; the
  card holds `benchmarks/gcdg_babble.py`'s texture distance to babble of the
  9 held-out voices, beside noise with babble's long-term spectrum.
- wavenet: the `wavenet` `vocoder` preset (log-mel conditioned) on the
  vocoder's speech; the card holds `benchmarks/vocoder.py`'s table with
  Griffin-Lim and the shipped GAN vocoder on the same held-out speakers.
- wavenet-lpc: the `wavenet` `vocoder_lpc` preset (the WaveNet draws the
  excitation, each log-mel frame's all-pole filter shapes it) on the same
  speech; the card holds `benchmarks/vocoder.py`'s,
  `benchmarks/spec_gan_vocoders.py`'s and `benchmarks/wavenet_vocoder_words.py`'s
  tables beside Griffin-Lim, white noise through the same filters and the
  shipped GAN vocoder.
- wavenet-pitch: the `wavenet` `vocoder_lpc_pitch` preset fine-tuning the
  shipped LPC WaveNet (not shipped: README); its card as wavenet-lpc's.
"""
import argparse
import json
import os
import time

from shipped_cards import measure, model_card, size_line
from shipped_models import ROOT, SHIPPED, training_data  # noqa: F401 (SHIPPED, training_data: read by benchmarks)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(SHIPPED))
    parser.add_argument("--epochs", type=int, help="total epochs (default: the shipped model's)")
    parser.add_argument("--init-from", help="an export or run whose weights start the run (fine-tuning)")
    parser.add_argument("--note", help="a line added to the model card (e.g. how the --init-from run was made)")
    parser.add_argument("--card-only", action="store_true",
                        help="measure the newest export again and rewrite its model card (no training or export)")
    args = parser.parse_args(argv)
    from gan_audio.atomic_files import atomic_write_text
    from gan_audio.export import export_saved_model
    from gan_audio.checkpoints import read_checkpoint_state
    from gan_audio.training import load_run, train

    spec = SHIPPED[args.kind]
    run = os.path.join(ROOT, "runs", f"shipped_{spec['name']}")
    saved = os.path.join(ROOT, "saved_models", spec["name"])
    epochs = args.epochs or spec["epochs"]
    state = read_checkpoint_state(os.path.join(run, "model.keras"))
    trained = bool(state) and state["epochs_done"] >= epochs
    versions = sorted(int(v) for v in os.listdir(saved) if v.isdigit()) if os.path.isdir(saved) else []
    if args.card_only and not (trained and versions):
        raise SystemExit(f"--card-only needs a finished run in {run} and an export in {saved}.")
    start = time.perf_counter()
    settings = {} if state else {"data": training_data(args.kind), "preset": spec["preset"],
                                 "batch_size": spec["batch_size"], "steps_per_epoch": spec["steps"],
                                 "labelled": spec["labelled"], "seed": 0, **spec.get("settings", {})}
    if args.init_from and not state:  # a run that fine-tunes another (the spec may set how: init_from_settings)
        settings.update(init_from=args.init_from, **spec.get("init_from_settings", {}))
    if settings.get("init_from"):
        settings["init_from"] = from_history(settings["init_from"])
    if trained:  # export (or with --card-only, take the newest export) and measure again
        model, _ = load_run(run)
    else:
        model, _ = train(spec["family"], out=run, epochs=epochs, resume=bool(state), **settings)
    seconds = (0.0 if trained else time.perf_counter() - start) + _previous_seconds(run)
    with open(os.path.join(run, "training_seconds.json"), "w") as f:
        json.dump({"seconds": seconds}, f)
    config = json.load(open(os.path.join(run, "config.json")))
    for key, value in spec.get("served", {}).items():  # serving settings chosen after training (see SHIPPED)
        if not hasattr(model, key):
            raise SystemExit(f"{type(model).__name__} has no setting {key!r} to serve with.")
        setattr(model, key, value)
    if args.card_only:
        export = os.path.join(saved, str(versions[-1]))
    else:
        export = export_saved_model(model, saved, metadata={"family": spec["family"], "preset": spec["preset"],
                                                            "class_names": config.get("class_names"),
                                                            "training_data": training_data(args.kind)})
    steps = int((model.g_optimizer if hasattr(model, "g_optimizer") else model.optimizer).iterations)
    command = (f"python scripts/train_shipped.py {args.kind}" + (f" --epochs {args.epochs}" if args.epochs else "")
               + (f" --init-from {os.path.relpath(config['init_from'], ROOT)}"
                  if config.get("init_from") and "init_from" not in spec.get("settings", {}) else ""))
    card = model_card(args.kind, spec, command, seconds, steps, os.path.basename(export),
                      measure(args.kind, run, export), init_from=config.get("init_from") and os.path.relpath(
                          config["init_from"], ROOT), note=args.note, size=size_line(export))
    atomic_write_text(os.path.join(ROOT, "saved_models", spec["name"], "README.md"), card)
    print(card)


def from_history(path):
    """`path` (relative to the clone), restored from git history into runs/history/ when an export it names
    was removed from saved_models/ (superseded versions leave the tree to keep it under 40 MB; their
    successors fine-tune them). Returns the path to use."""
    import subprocess

    if os.path.exists(os.path.join(ROOT, path)):
        return path
    removed = subprocess.run(["git", "rev-list", "-n", "1", "HEAD", "--", path], cwd=ROOT, capture_output=True,
                             text=True, check=False).stdout.strip()
    if not removed:
        raise SystemExit(f"{path} is neither in the tree nor in this clone's git history.")
    target = os.path.join(ROOT, "runs", "history", removed[:10])
    if not os.path.exists(os.path.join(target, path)):
        os.makedirs(target, exist_ok=True)
        archive = subprocess.run(["git", "archive", f"{removed}^", path], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", target], input=archive.stdout, check=True)
    print(f"{path}: restored from git history (commit {removed[:10]}^) into {os.path.relpath(target, ROOT)}/")
    return os.path.relpath(os.path.join(target, path), ROOT)


def _previous_seconds(run):
    path = os.path.join(run, "training_seconds.json")
    return json.load(open(path))["seconds"] if os.path.exists(path) else 0.0


if __name__ == "__main__":
    main()
