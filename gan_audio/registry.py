"""The registry: model families by command-line name.

An entry names the model class, its presets, the data recipe that feeds it
(called with keywords) and what its `generate` accepts, as dotted
references, so that this module and the preset modules import nothing but
the standard library: `gan-audio --help` and `gan-audio models` answer
without loading TensorFlow. A non-GAN family (a plain `keras.Model` with
Keras' own `compile`/`fit`) registers the same way.

A data recipe is ``recipe(model, settings, adapt=True, strict=False)`` →
`gan_audio.recipes.TrainingData` (see `gan_audio.recipes`).
"""
import dataclasses
import importlib
import os
import runpy
import sys

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


@dataclasses.dataclass(frozen=True)
class Family:
    """A model family as the CLI sees it.

    Attributes:
        name: the CLI name, e.g. ``"dense-gan"``.
        model: ``"module:Class"`` of the model (it has `from_preset`).
        presets: ``"module:NAME"`` of the preset dict (stdlib-only module).
        recipe: ``"module:function"``, the data recipe.
        description: one line.
        tasks: what the model does, as its class declares it (``serving_tasks``,
            `gan_audio.serving_tasks`; repeated here so that listing needs no
            TensorFlow, and tested equal).
        consumes: what the model's ``serving_default`` takes.
        produces: what it returns.
        generate_options: the `gan-audio generate` options it accepts
            (empty when it only transforms audio it is given).
        labels: "optional" (``--conditional`` makes both networks take the
            folder labels), "required" (a classifier: the model is built
            with the data's classes), "preset" (as "required" when the
            preset is label-conditional, i.e. sets ``num_classes``, or with
            ``--conditional``; else as "none") or "none".
        train_options: family-specific run settings the CLI accepts, e.g.
            ``("labels_per_class",)``.
        vocoders: ``{preset: (vocoder preset, ...)}``: the `vocoder` presets
            that read the log-mels this family's preset writes (the same
            analysis; tested); a preset not listed pairs with none (e.g.
            ``tiny``, built for tests, or ``article2``'s 128 bins).
    """

    name: str
    model: str
    presets_ref: str
    recipe: str
    description: str
    tasks: tuple
    consumes: str
    produces: str
    generate_options: tuple = ()
    labels: str = "optional"
    train_options: tuple = ()
    vocoders: dict = dataclasses.field(default_factory=dict)

    @property
    def model_class(self):
        return _resolve(self.model)

    @property
    def class_name(self):
        """The model class's name, without importing it (its exports' ``class_name``)."""
        return self.model.rsplit(":", 1)[-1]

    @property
    def make_dataset(self):
        return _resolve(self.recipe)

    @property
    def presets(self):
        """``{name: {"description", "config", "compile"}}``, read without TensorFlow."""
        return _resolve_light(self.presets_ref)


FAMILIES = {
    "dense-gan": Family(
        name="dense-gan",
        model="gan_audio.models.dense_gan.dense_gan:DenseGAN",
        presets_ref="gan_audio.models.dense_gan.dense_gan_presets:DENSE_GAN_PRESETS",
        recipe="gan_audio.recipes:spectrogram_gan_dataset",
        description="Dense GAN on log-mel patches (articles 1 and 4), Griffin-Lim audio.",
        tasks=("generate",),
        consumes="noise (B, latent_dim) [+ label (B,)]",
        produces="waveform (B, S), log_mel (B, T, M) dB",
        generate_options=("num", "label", "seed"),
        vocoders={"default": ("small", "hifigan"), "compact": ("small", "hifigan")},
    ),
    "spec-gan": Family(
        name="spec-gan",
        model="gan_audio.models.spec_gan.spec_gan:SpecGAN",
        presets_ref="gan_audio.models.spec_gan.spec_gan_presets:SPEC_GAN_PRESETS",
        recipe="gan_audio.recipes:spectrogram_gan_dataset",
        description="Conv2D GAN on log-mel images (article 2); Griffin-Lim audio, or a vocoder's.",
        tasks=("generate",),
        consumes="noise (B, latent_dim) [+ label (B,)]",
        produces="waveform (B, S), log_mel (B, T, M) dB",
        generate_options=("num", "label", "seed"),
        vocoders={"default": ("small", "hifigan")},
    ),
    "vocoder": Family(
        name="vocoder",
        model="gan_audio.models.vocoder.vocoder:Vocoder",
        presets_ref="gan_audio.models.vocoder.vocoder_presets:VOCODER_PRESETS",
        recipe="gan_audio.recipes:vocoder_dataset",
        description="GAN vocoder: log-mel → waveform (Fourier/Vocos or HiFi-GAN head); `gan-audio vocode`.",
        tasks=("vocode",),
        consumes="mel (B, T, M) dB (resynthesize: waveform (B, S))",
        produces="waveform (B, (T - 1) hop + frame_length)",
        labels="none",
    ),
    "classifier": Family(
        name="classifier",
        model="gan_audio.models.classifier.classifier:WordClassifier",
        presets_ref="gan_audio.models.classifier.classifier_presets:WORD_CLASSIFIER_PRESETS",
        recipe="gan_audio.recipes:word_classifier_dataset",
        description="Spoken-word classifier: log-mels + a small conv net (the judge's architecture).",
        tasks=("classify",),
        consumes="waveform (B, S), any length",
        produces="probabilities (B, K), label (B,), embedding (B, E)",
        labels="required",
    ),
    "sgan": Family(
        name="sgan",
        model="gan_audio.models.sgan.sgan:SemiSupervisedGAN",
        presets_ref="gan_audio.models.sgan.sgan_presets:SGAN_PRESETS",
        recipe="gan_audio.recipes:semi_supervised_dataset",
        description="Semi-supervised GAN (article 1): D classifies words from a few labelled clips per class.",
        tasks=("classify",),
        consumes="waveform (B, S), any length; classifies the centred 1 s (generate: num, seed)",
        produces="probabilities (B, K), label (B,), embedding (B, E) (generate: waveform, log_mel)",
        generate_options=("num", "seed"),
        labels="required",
        train_options=("labels_per_class",),
    ),
    "gcdg": Family(
        name="gcdg",
        model="gan_audio.models.gcdg.gcdg:GCDG",
        presets_ref="gan_audio.models.gcdg.gcdg_presets:GCDG_PRESETS",
        recipe="gan_audio.recipes:texture_dataset",
        description=("GCDG texture GAN (article 3): R1 gradient, info-NCE and mode-seeking terms; "
                     "--data babble:K (K talkers per clip; default babble:4,8,16) or a folder of textures."),
        tasks=("generate",),
        consumes="noise (B, latent_dim)",
        produces="waveform (B, S)",
        generate_options=("num", "seed", "seconds"),
        labels="none",
    ),
    "wavenet": Family(
        name="wavenet",
        model="gan_audio.models.wavenet.wavenet:WaveNet",
        presets_ref="gan_audio.models.wavenet.wavenet_presets:WAVENET_PRESETS",
        recipe="gan_audio.recipes:wavenet_dataset",
        description=("WaveNet (article 5): causal dilated gated convolutions over 8-bit mu-law samples, "
                     "fast generation; `default` is conditioned on the folder labels; `vocoder` on log-mels, "
                     "a vocoder (serving_default mel → waveform, `gan-audio vocode`)."),
        tasks=("generate", "likelihood"),
        consumes=("waveform (B, S) [+ label (B,)] (generate: num, seed, num_samples, temperature [+ label] "
                  "[+ mel (B, frames, num_mel_bins) with local_conditioning])"),
        produces="probabilities (B, S, Q) of the next sample, bits_per_sample (B,) (generate: waveform)",
        generate_options=("num", "label", "seed", "seconds", "temperature"),
        labels="preset",
    ),
    "wavenet-denoiser": Family(
        name="wavenet-denoiser",
        model="gan_audio.models.wavenet_denoiser.wavenet_denoiser:WaveNetDenoiser",
        presets_ref="gan_audio.models.wavenet_denoiser.wavenet_denoiser_presets:WAVENET_DENOISER_PRESETS",
        recipe="gan_audio.denoiser_data:denoiser_dataset",
        description=("Non-causal WaveNet denoiser (article 5, Rethage et al.): noisy speech -> clean speech, "
                     "trained on the data mixed with white/pink/brown noise at 0-15 dB SNR; `gan-audio denoise`."),
        tasks=("denoise",),
        consumes="noisy (B, S), any length",
        produces="waveform (B, S)",
        labels="none",
    ),
    "mask-denoiser": Family(
        name="mask-denoiser",
        model="gan_audio.models.mask_denoiser.mask_denoiser:SpectralMaskDenoiser",
        presets_ref="gan_audio.models.mask_denoiser.mask_denoiser_presets:MASK_DENOISER_PRESETS",
        recipe="gan_audio.denoiser_data:denoiser_dataset",
        description=("Spectral-mask denoiser (article 5's denoising task, our network): a dilated conv net over "
                     "STFT frames predicts a gain per bin; same data recipe and `gan-audio denoise` as wavenet-denoiser."),
        tasks=("denoise",),
        consumes="noisy (B, S), any length",
        produces="waveform (B, S)",
        labels="none",
    ),
}


def get_family(name):
    """The `Family` registered as `name`; a clear error lists the others."""
    if name not in FAMILIES:
        raise ValueError(f"Unknown model family {name!r}; available: {', '.join(sorted(FAMILIES))}.")
    return FAMILIES[name]


def _resolve(reference):
    module, attribute = reference.split(":")
    return getattr(importlib.import_module(module), attribute)


def _resolve_light(reference):
    """Like `_resolve` for a stdlib-only module, without importing the package
    (whose `__init__` loads TensorFlow) unless it is loaded already."""
    module, attribute = reference.split(":")
    if "gan_audio.models" in sys.modules or not module.startswith("gan_audio."):  # loaded, or not ours
        return _resolve(reference)
    path = os.path.join(PACKAGE_DIR, *module.split(".")[1:]) + ".py"
    return runpy.run_path(path)[attribute]
