"""Retrain the models shipped in saved_models/ and write their model cards.

    python scripts/train_shipped.py vocoder      # saved_models/vocoder_small/<next version>/
    python scripts/train_shipped.py spec-gan     # saved_models/spec_gan_digits/<next version>/
    python scripts/train_shipped.py wavenet-denoiser   # saved_models/wavenet_denoiser/<next version>/
    python scripts/train_shipped.py mask-denoiser      # saved_models/mask_denoiser/<next version>/
    python scripts/train_shipped.py sgan               # saved_models/sgan_digits/<next version>/
    python scripts/train_shipped.py gcdg               # saved_models/gcdg_babble/<next version>/
    python scripts/train_shipped.py dense-gan          # saved_models/dense_gan_digits/<next version>/
    python scripts/train_shipped.py wavenet            # saved_models/wavenet_vocoder/<next version>/

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
"""
import argparse
import json
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SHIPPED = {
    "vocoder": {"name": "vocoder_small", "family": "vocoder", "preset": "small", "epochs": 60, "steps": 100,
                "batch_size": 16, "labelled": False,
                "settings": {"recipe_options": {"band_limit": 0.25}}},  # a quarter in the telephone band
    # a log-mel-conditioned WaveNet vocoder on the same speech as the GAN vocoder (0.25 s crops, batch 8)
    "wavenet": {"name": "wavenet_vocoder", "family": "wavenet", "preset": "vocoder", "epochs": 20, "steps": 250,
                "batch_size": 8, "labelled": False, "settings": {"cosine_decay": True}},
    "spec-gan": {"name": "spec_gan_digits", "family": "spec-gan", "preset": "default", "epochs": 40, "steps": 100,
                 "batch_size": 32, "labelled": True},
    "dense-gan": {"name": "dense_gan_digits", "family": "dense-gan", "preset": "compact", "epochs": 300,
                  "steps": 100, "batch_size": 32, "labelled": True},
    "wavenet-denoiser": {"name": "wavenet_denoiser", "family": "wavenet-denoiser", "preset": "default", "epochs": 60,
                         "steps": 25, "batch_size": 8, "labelled": False,
                         # clatter and two music tracks (HELD_OUT_MUSIC) stay out: benchmarks/denoise.py reports them
                         # fine-tunes version 2 (1500 steps on spoken_digits' training voices and phrases)
                         "settings": {"init_from": "saved_models/wavenet_denoiser/2", "recipe_options": {
                             "noise_kinds": ["white", "pink", "brown", "hum", "music", "babble"],
                             "snr_db": [-5.0, 15.0]}}},
    "mask-denoiser": {"name": "mask_denoiser", "family": "mask-denoiser", "preset": "default", "epochs": 120,
                      "steps": 100, "batch_size": 16, "labelled": False,
                      # version 1: 12,000 steps from scratch on the wavenet-denoiser noises at -5-15 dB; version 2
                      # fine-tuned it for 20,000 steps at half its rate, decayed to 0, with mixtures up to 20 dB;
                      # version 3 fine-tunes version 2 with clicks (transients; clatter stays unheard), a fifth of
                      # the clean clips in the telephone band and mixtures up to 25 dB; version 4 fine-tunes
                      # version 3 for 12,000 steps the same way with phrases of 49 other espeak voices added
                      # (OTHER_VARIANTS of make_denoiser_phrases.py; no benchmark voice among them)
                      "settings": {"init_from": "saved_models/mask_denoiser/3", "learning_rate_scale": 0.5,
                                   "cosine_decay": True, "recipe_options": {
                                       "noise_kinds": ["white", "pink", "brown", "hum", "clicks", "music", "babble"],
                                       "snr_db": [-5.0, 25.0], "band_limit": 0.2}}},
    "sgan": {"name": "sgan_digits", "family": "sgan", "preset": "compact", "epochs": 15, "steps": 100,
             "batch_size": 32, "labelled": False, "settings": {"labels_per_class": 5}},  # labels: the folders
    # babble (4, 8 and 16 talkers) of the 21 training voices only; the 9 held-out voices' babble scores it
    "gcdg": {"name": "gcdg_babble", "family": "gcdg", "preset": "default", "epochs": 20, "steps": 100,
             "batch_size": 16, "labelled": False,
             "settings": {"data": "babble", "recipe_options": {"babble_source": "spoken_digits:train"}}},
}
DENOISERS = ("wavenet-denoiser", "mask-denoiser")


def training_data(kind):
    """The data sources (names, stored in the run and the export's ``training_data``) a shipped model trains on:
    the vocoder and the denoiser on real_speech's training speakers and the 21 training voices of spoken_digits
    (real_speech:test and spoken_digits:test stay unheard, for the benchmarks); SpecGAN on all of spoken_digits."""
    if kind == "mask-denoiser":  # and phrases of voices no benchmark uses (built on demand)
        return ["real_speech", "spoken_digits:train", os.path.relpath(other_phrases(), ROOT)]
    if kind in ("vocoder", "wavenet", *DENOISERS):
        return ["real_speech", "spoken_digits:train"]
    return "spoken_digits:train" if kind in ("sgan", "gcdg") else "spoken_digits"


def other_phrases():
    """runs/denoiser_phrases_other: `make_denoiser_phrases.py --voices other` (10 phrases by each of 49 espeak
    voices that no bundled clip or benchmark uses), made when missing."""
    import subprocess

    out = os.path.join(ROOT, "runs", "denoiser_phrases_other")
    subprocess.run([sys.executable, os.path.join(HERE, "make_denoiser_phrases.py"), "--voices", "other",
                    "--out", out], check=True)
    return out


def measure(kind, run, export):
    """The numbers of the model card, as tables."""
    if kind in ("vocoder", "wavenet", "gcdg", *DENOISERS):
        import subprocess

        script, option = {"vocoder": ("vocoder.py", "--vocoders"), "wavenet": ("vocoder.py", "--vocoders"),
                          "gcdg": ("gcdg_babble.py", "--model")}.get(kind, ("denoise.py", "--model"))
        extra = []
        if kind == "vocoder" and shutil.which("espeak-ng") and shutil.which("sox"):  # other espeak voices too
            unseen = os.path.join(ROOT, "runs", "unseen_digits")
            if not os.path.isdir(unseen):
                subprocess.run([sys.executable, os.path.join(HERE, "make_unseen_voices.py"), "--out", unseen],
                               check=True, capture_output=True)
            extra = ["--unseen", os.path.relpath(unseen, ROOT)]
        if kind == "wavenet":  # the shipped GAN vocoder side by side, on the same analysis
            extra = [os.path.join("saved_models", SHIPPED["vocoder"]["name"])]
        if kind in DENOISERS:  # the other shipped denoiser side by side, in the same run
            others = [os.path.join(ROOT, "saved_models", SHIPPED[k]["name"]) for k in DENOISERS if k != kind]
            extra = [os.path.relpath(p, ROOT) for p in others if os.path.isdir(p)]
        done = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", script), option,
                               os.path.relpath(export, ROOT), *extra], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        keep = ("|", "Means", "STOI over", "SI-SDR gain", "PESQ,", "Real-time", "Denoiser",  # tables, titles, notes,
                "Babble textures")  # speed
        return _kept_lines(done.stdout, keep)
    from gan_audio.evaluation import evaluate, format_table

    rows, note = evaluate(export, return_data=True)
    table = format_table(rows, os.path.relpath(export, ROOT)).splitlines() + ["", note.replace(ROOT + os.sep, "")]
    return table + (["", real_digits_line(export)] if kind == "sgan" else [])


def real_digits_line(export):
    """How many of the real speaker's ten recorded digits a classifier export hears (`gan-audio classify`)."""
    from gan_audio.classification import classify_files
    from gan_audio.data import AudioFileError
    from gan_audio.data.real_speech import DIGIT_SPEAKER, real_digit_files

    try:
        files = real_digit_files()
    except AudioFileError as error:
        return f"Real speaker's digits not scored: {error}"
    heard = [name for _, name, _ in classify_files(export, files.paths)]
    right = sum(h == files.class_names[label] for h, label in zip(heard, files.labels))
    return (f"{DIGIT_SPEAKER}'s ten recorded digits (a real speaker, in no training set; `gan-audio classify`): "
            f"{right} of 10 heard right ({', '.join(heard)}).")


def _kept_lines(text, keep):
    """The lines of `text` starting with `keep`, blocks separated by one blank line (so tables render)."""
    lines = []
    for line in text.splitlines():
        if line.startswith(keep):
            lines.append(line)
        elif lines and lines[-1]:
            lines.append("")
    return lines[:-1] if lines and not lines[-1] else lines


def _noise_text(spec):
    """How a shipped denoiser's clean speech was mixed, from its recipe options."""
    options = spec.get("settings", {}).get("recipe_options", {})
    names = {"white": "white", "pink": "pink", "brown": "brown noise", "hum": "mains hum", "clicks": "clicks",
             "music": "music (three of the five tracks; the other two are never heard)",
             "babble": "babble of the training speech"}
    kinds = [names[k] for k in options.get("noise_kinds", ("white", "pink", "brown"))]
    text = " mixed with " + ", ".join(kinds[:-1]) + " or " + kinds[-1] + " (clatter is never heard)"
    text += " at {:g}-{:g} dB SNR, at random gains (-12 … 0 dB)".format(*options.get("snr_db", (-5, 15)))
    if options.get("band_limit"):
        text += f", {options['band_limit']:.0%} of the clean clips low-passed to the telephone band (3.4-4 kHz)"
    return text


def model_card(kind, spec, command, seconds, steps, version, table, init_from=None, note=None):
    what = {
        "vocoder": "A GAN vocoder (`gan_audio.models.Vocoder`, preset `small`: Fourier head, 4 ConvNeXt blocks) "
                   "turning 64-bin log-mels (1024/256 at 16 kHz, dB) into waveforms. Signatures: "
                   "`serving_default` (`mel` → `waveform`) and `resynthesize` (`waveform` → `waveform`).",
        "dense-gan": "A label-conditional DenseGAN (`gan_audio.models.DenseGAN`, preset `compact`: G 128 → 256 → "
                     "512 → 128 → 3776 dense, sampled from the 0.999 average of its weights) generating 59×64 "
                     "log-mels of the spoken words *zero* … *nine*. Signatures: `serving_default` (`noise`, `label` "
                     "→ `log_mel`, `waveform` by Griffin-Lim) and `generate` (`num`, `seed`, `label`); vocode its "
                     "log-mels with `saved_models/vocoder_small`.",
        "spec-gan": "A label-conditional SpecGAN (`gan_audio.models.SpecGAN`, preset `default`) generating "
                    "64×64 log-mels of the spoken words *zero* … *nine*. Signatures: `serving_default` "
                    "(`noise`, `label` → `log_mel`, `waveform` by Griffin-Lim) and `generate` (`num`, `seed`, "
                    "`label`); vocode its log-mels with `saved_models/vocoder_small`.",
        "wavenet-denoiser": "A non-causal WaveNet denoiser (`gan_audio.models.WaveNetDenoiser`, preset `default`, "
                            "Rethage et al. 2018) mapping noisy 16 kHz speech to clean speech. Signature: "
                            "`serving_default` (`noisy` (B, S), any S → `waveform` (B, S)); "
                            "`gan-audio denoise FILES --model saved_models/wavenet_denoiser` runs it on files of "
                            "any format, rate and length.",
        "sgan": "A semi-supervised GAN (`gan_audio.models.SemiSupervisedGAN`, preset `compact`: D 1280 → 256 → "
                "128 → 128 → 10, G 100 → 128 → 256 → 20×64 log-mel) whose discriminator classifies 1 s of 16 kHz speech as one of the words *zero* … *nine*. Signature: "
                "`serving_default` (`waveform` (B, 16000) → `probabilities`, `label`); `gan-audio classify "
                "saved_models/sgan_digits FILES` runs it on files of any format and rate.",
        "wavenet": "A log-mel-conditioned WaveNet vocoder (`gan_audio.models.WaveNet`, preset `vocoder`: one stack "
                   "of 10 gated layers, 64 residual and 128 skip channels, 256 μ-law codes) turning 64-bin log-mels "
                   "(1024/256 at 16 kHz, dB: `vocoder_small`'s analysis) into waveforms one sample at a time. "
                   "Signatures: `serving_default` (`mel` → `waveform`, the fast loop without XLA), `resynthesize` "
                   "(`waveform` → `waveform`, compiled by XLA), `generate` / `generate_xla` (`mel`, `seed`, "
                   "`temperature`, `num_samples`: other draws) and `likelihood`; `gan-audio vocode FILES --model "
                   "saved_models/wavenet_vocoder` and `gan-audio generate ... --vocoder saved_models/wavenet_vocoder` "
                   "use it.",
        "gcdg": "A babble texture GAN (`gan_audio.models.GCDG`, preset `default`: WaveGAN-style pair, R1, info-NCE "
                "and mode-seeking terms) generating 2 s of 16 kHz multi-talker babble from a 100-d latent. "
                "Signatures: `serving_default` (`noise` → `waveform`) and `generate` (`num`, `seed`, `seconds`: "
                "textures of any length, crossfaded segments); `gan-audio generate saved_models/gcdg_babble "
                "--seconds 10` writes them.",
        "mask-denoiser": "A spectral-mask denoiser (`gan_audio.models.SpectralMaskDenoiser`, preset `default`): a "
                         "dilated conv net over 32 ms STFT frames predicts a gain per bin of noisy 16 kHz speech. "
                         "Signature: `serving_default` (`noisy` (B, S), any S → `waveform` (B, S)); "
                         "`gan-audio denoise FILES --model saved_models/mask_denoiser` runs it on files of any "
                         "format, rate and length.",
    }[kind]
    speech = ("the four training speakers of `real_speech` (`scripts/make_real_speech.py`: 2,269 recordings, "
              "105 minutes; fr_CA_f_June and the two 8 kHz GSM speakers are held out) and the 21 training voices of "
              "`spoken_digits` (420 clips; the variants m5, f3, klatt2 are held out)")
    data = {"vocoder": speech + ", a quarter of the 0.5 s segments low-passed to the telephone band (3.4-4 kHz)",
            "wavenet": speech + ", as random 0.25 s crops",
            **{name: speech + _noise_text(spec) for name in DENOISERS},
            "mask-denoiser": speech + " and 490 phrases (22 minutes) by 49 other espeak voices "
                             "(`make_denoiser_phrases.py --voices other`: no variant of `spoken_digits` or of the "
                             "benchmark's unseen voices)" + _noise_text(spec),
            "spec-gan": "all 600 clips of `spoken_digits` (labels: the folder names)",
            "dense-gan": "all 600 clips of `spoken_digits` (labels: the folder names)",
            "gcdg": "512 clips of babble (4, 8 and 16 talkers, a third each, seed 0) built from the 21 training "
                    "voices of `spoken_digits` (`--data babble`, recipe option `babble_source=spoken_digits:train`; "
                    "the 9 voices of `SPOKEN_DIGITS_TEST_VARIANTS` are held out and their babble scores it)",
            "sgan": "the 21 training voices of `spoken_digits` (420 clips; the 9 voices of "
                    "`SPOKEN_DIGITS_TEST_VARIANTS` are held out), 5 clips per word labelled and 370 unlabelled"}[kind]
    if init_from:
        data += f"; started from the weights of `{init_from}`"
    settings = spec.get("settings", {})
    if settings.get("learning_rate_scale", 1.0) != 1.0 or settings.get("cosine_decay"):
        data += (f", at {settings.get('learning_rate_scale', 1.0):g} × the preset's learning rate"
                 + (", decayed to 0 along a cosine" if settings.get("cosine_decay") else ""))
    return "\n".join([
        f"# {spec['name']} (version {version})", "", what, "",
        f"- Trained with `{command}` on {data}: {steps} steps of batch {spec['batch_size']}, "
        f"{seconds / 60:.0f} minutes on this project's 2-core CPU machine.", *([f"- {note}"] if note else []),
        "- Measured on the export (one run):", "", *table, "",
        "Regenerate with the command above (it resumes an interrupted run).", ""])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(SHIPPED))
    parser.add_argument("--epochs", type=int, help="total epochs (default: the shipped model's)")
    parser.add_argument("--init-from", help="an export or run whose weights start the run (fine-tuning)")
    parser.add_argument("--note", help="a line added to the model card (e.g. how the --init-from run was made)")
    parser.add_argument("--card-only", action="store_true",
                        help="measure the newest export again and rewrite its model card (no training or export)")
    args = parser.parse_args(argv)
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
    if args.init_from and not state:
        settings["init_from"] = args.init_from
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
    if args.card_only:
        export = os.path.join(saved, str(versions[-1]))
    else:
        export = export_saved_model(model, saved, metadata={"family": spec["family"], "preset": spec["preset"],
                                                            "class_names": config.get("class_names"),
                                                            "training_data": training_data(args.kind)})
    steps = int((model.g_optimizer if hasattr(model, "g_optimizer") else model.optimizer).iterations)
    command = (f"python scripts/train_shipped.py {args.kind}" + (f" --epochs {args.epochs}" if args.epochs else "")
               + (f" --init-from {os.path.relpath(config['init_from'], ROOT)}"
                  if config.get("init_from") and args.kind == "vocoder" else ""))
    card = model_card(args.kind, spec, command, seconds, steps, os.path.basename(export),
                      measure(args.kind, run, export), init_from=config.get("init_from") and os.path.relpath(
                          config["init_from"], ROOT), note=args.note)
    with open(os.path.join(ROOT, "saved_models", spec["name"], "README.md"), "w") as f:
        f.write(card)
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
