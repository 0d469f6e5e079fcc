"""The models shipped in saved_models/: what each trains on, with which preset and settings (a table).

`scripts/train_shipped.py` trains and exports them, `scripts/shipped_cards.py`
measures them and writes their model cards; benchmarks read the table to
train on the same data (`benchmarks/denoiser_levers.py`).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SHIPPED = {
    "vocoder": {"name": "vocoder_small", "family": "vocoder", "preset": "small", "epochs": 60, "steps": 100,
                "batch_size": 16, "labelled": False,
                "settings": {"recipe_options": {"band_limit": 0.25}}},  # a quarter in the telephone band
    # a log-mel-conditioned WaveNet vocoder on the same speech as the GAN vocoder (0.25 s crops, batch 8)
    # served at the temperature `benchmarks/wavenet_vocoder_temperature.py` chose on the training speakers.
    # Made in stages of 5,000 steps (20 epochs, about 80 minutes each): the first from the preset's weights,
    # each next one with `--init-from` the last (moved aside, e.g. to runs/wavenet_vocoder_stage1) at half the
    # rate, again decayed to 0. Not shipped yet: after two stages its free-running resynthesis is still worse
    # than Griffin-Lim's (README, WaveNet); T = 0.3 is what 20 recordings per training speaker chose then.
    "wavenet": {"name": "wavenet_vocoder", "family": "wavenet", "preset": "vocoder", "epochs": 20, "steps": 250,
                "batch_size": 8, "labelled": False, "settings": {"cosine_decay": True},
                "init_from_settings": {"learning_rate_scale": 0.5}, "served": {"vocode_temperature": 0.3}},
    # the `vocoder_lpc` preset (LPCNet's split: the WaveNet draws the excitation, the log-mel's all-pole filter
    # shapes it) from scratch on the same speech, 0.25 s crops, batch 8, the rate decayed to 0 along a cosine
    "wavenet-lpc": {"name": "wavenet_lpc_vocoder", "family": "wavenet", "preset": "vocoder_lpc", "epochs": 14,
                    "steps": 250, "batch_size": 8, "labelled": False, "settings": {"cosine_decay": True},
                    # chosen on the training voices (wavenet_vocoder_words.py --data spoken_digits:train: the judge
                    # heard 83 / 92 / 98 % of 100 clips at 0.8 / 0.9 / 1.0)
                    "served": {"vocode_temperature": 1.0}},
    # `vocoder_lpc_pitch` (a pulse train at the log-mel's pitch in every sample's input) fine-tuning the shipped
    # LPC WaveNet. Not shipped: no better than it on PESQ (README, "A pitch source").
    "wavenet-pitch": {"name": "wavenet_pitch_vocoder", "family": "wavenet", "preset": "vocoder_lpc_pitch", "epochs": 9,
                      "steps": 250, "batch_size": 8, "labelled": False,
                      "settings": {"cosine_decay": True, "init_from": "saved_models/wavenet_lpc_vocoder/1"},
                      "served": {"vocode_temperature": 1.0}},
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
    if kind in ("vocoder", "wavenet", "wavenet-lpc", "wavenet-pitch", *DENOISERS):
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
