"""The model cards of the shipped models: their numbers (from the benchmarks and `gan-audio evaluate`) and text.

Used by `scripts/train_shipped.py` after a shipped model's training and export;
``python scripts/shipped_cards.py --sizes`` (re)writes the size line of every shipped model's card.
"""
import argparse
import glob
import os
import shutil
import sys

from shipped_models import DENOISERS, HERE, ROOT, SHIPPED

SIZE_LINE = "- Size: "

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
        lines = _kept_lines(done.stdout, keep)
        if kind == "wavenet":  # and the temperature it is served at, chosen on the training speakers
            sweep = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "wavenet_vocoder_temperature.py"),
                                    "--model", os.path.relpath(export, ROOT)], cwd=ROOT, capture_output=True,
                                   text=True, check=True)
            lines += [""] + _kept_lines(sweep.stdout, ("|", "Wide-band PESQ"))
        return lines
    if kind in ("wavenet-lpc", "wavenet-pitch"):  # real speech (vocoder.py), the SpecGAN's words, held-out voices' own log-mels
        return wavenet_lpc_tables(export)
    from gan_audio.evaluation import evaluate, format_table

    rows, note = evaluate(export, return_data=True)
    table = format_table(rows, os.path.relpath(export, ROOT)).splitlines() + ["", note.replace(ROOT + os.sep, "")]
    return table + (["", real_digits_line(export)] if kind == "sgan" else [])


def wavenet_lpc_tables(export):
    """`vocoder.py` (held-out voices and real speakers), `spec_gan_vocoders.py` (the shipped SpecGAN's words) and
    `wavenet_vocoder_words.py` (held-out voices' own log-mels), beside Griffin-Lim, white noise through the same
    filters and the shipped GAN vocoder, at the temperature the export is served at."""
    import subprocess

    from gan_audio.export import load_saved_model

    temperature = f"{load_saved_model(export).serving_metadata()['vocode_temperature']:g}"
    lines = []
    others = [os.path.join("saved_models", SHIPPED["vocoder"]["name"])]
    for script, option, extra in (("vocoder.py", "--vocoders", ["--real-speech", "6", "--repeats", "3"]),
                                  ("spec_gan_vocoders.py", "--vocoders", ["--temperatures", temperature]),
                                  ("wavenet_vocoder_words.py", "--models", ["--temperatures", temperature])):
        done = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", script), option,
                               os.path.relpath(export, ROOT), *others, *extra], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        lines += ([""] if lines else []) + _kept_lines(done.stdout, ("|", "The judge on"))
    return lines


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


def size_line(export):
    """The card's size line: the export's version folder, its graph and its weights, in MB (10^6 bytes)."""
    def megabytes(path):
        if os.path.isfile(path):
            return os.path.getsize(path) / 1e6
        return sum(os.path.getsize(os.path.join(r, f)) for r, _, files in os.walk(path) for f in files) / 1e6

    return (f"{SIZE_LINE}{megabytes(export):.2f} MB (`{os.path.relpath(export, ROOT)}/`: graph "
            f"{megabytes(os.path.join(export, 'saved_model.pb')):.2f} MB, weights "
            f"{megabytes(os.path.join(export, 'variables')):.2f} MB).")


def update_sizes():
    """Writes each shipped card's size line (before "- Measured on the export"), from its newest version."""
    from gan_audio.atomic_files import atomic_write_text

    for spec in SHIPPED.values():
        folder = os.path.join(ROOT, "saved_models", spec["name"])
        versions = sorted(glob.glob(os.path.join(folder, "[0-9]*")), key=lambda p: int(os.path.basename(p)))
        card = os.path.join(folder, "README.md")
        if not versions or not os.path.isfile(card):
            continue
        lines = [line for line in open(card, encoding="utf-8").read().split("\n") if not line.startswith(SIZE_LINE)]
        at = next(i for i, line in enumerate(lines) if line.startswith("- Measured on the export"))
        lines.insert(at, size_line(versions[-1]))
        atomic_write_text(card, "\n".join(lines))
        print(lines[at])


def model_card(kind, spec, command, seconds, steps, version, table, init_from=None, note=None, size=None):
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
        "wavenet-lpc": "A WaveNet vocoder of the LPC residual (`gan_audio.models.WaveNet`, preset `vocoder_lpc`: "
                       "one stack of 10 gated layers, 64 residual and 128 skip channels, 256 μ-law codes, LPCNet's "
                       "split): each 64-bin log-mel frame (1024/256 at 16 kHz, dB: `vocoder_small`'s analysis) gives a "
                       "16th-order all-pole filter and a level, the WaveNet draws the excitation one sample at a time, "
                       "and the filter shapes it. Signatures: `serving_default` (`mel` → `waveform`, the fast loop "
                       "without XLA), `resynthesize` (`waveform` → `waveform`, compiled by XLA), `generate` / "
                       "`generate_xla` (`mel`, `seed`, `temperature`, `num_samples`: other draws) and `likelihood`; "
                       "`gan-audio generate saved_models/spec_gan_digits --label seven --vocoder "
                       "saved_models/wavenet_lpc_vocoder` and `gan-audio vocode FILES --model "
                       "saved_models/wavenet_lpc_vocoder` use it.",
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
            "wavenet-lpc": speech + ", as random 0.25 s crops",
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
        *([size] if size else []), "- Measured on the export (one run):", "", *table, "",
        "Regenerate with the command above (it resumes an interrupted run).", ""])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", action="store_true", help="(re)write the size line of every shipped card")
    if not parser.parse_args().sizes:
        parser.error("nothing to do: pass --sizes (cards are written by scripts/train_shipped.py)")
    update_sizes()
