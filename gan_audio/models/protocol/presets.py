"""Named presets for model families: `Family.from_preset("default")` (untrained, from the preset's config)
and `Family.from_preset("spec_gan_digits")` (trained: a shipped model, `trained_presets`)."""
import copy


class PresetMixin:
    """Gives a model class `from_preset`, `presets` and `compile_kwargs`.

    A family sets `PRESETS = {name: {"description": str, "config": dict of
    constructor keywords, "compile": dict of compile keywords}}`. Its trained
    presets are the exports of its class in `saved_models/` (`trained_presets`).
    """

    PRESETS = {}

    @classmethod
    def presets(cls):
        return cls.PRESETS

    @classmethod
    def trained_presets(cls):
        """``{name: export folder}`` of this family's shipped models."""
        from gan_audio.models.protocol.trained_presets import trained_presets

        return trained_presets(cls.__name__)

    @classmethod
    def from_preset(cls, name, **overrides):
        """Builds the model of preset `name`; keyword overrides win.

        `name` is a preset of `PRESETS` (fresh weights), a trained preset (a shipped model's name, e.g.
        ``"spec_gan_digits"``) or an export folder of this class: trained weights, ready to `fit` on
        (`gan_audio.models.protocol.trained_presets`)."""
        if name in cls.PRESETS:
            return cls(**{**copy.deepcopy(cls.PRESETS[name]["config"]), **overrides})
        from gan_audio.models.protocol import trained_presets

        folder = trained_presets.find_trained_preset(cls, name)
        if folder is None:
            raise ValueError(f"Unknown {cls.__name__} preset {name!r}; choose from {sorted(cls.PRESETS)} or the "
                             f"trained {sorted(cls.trained_presets())}.")
        return trained_presets.load_trained_preset(cls, folder, **overrides)

    @classmethod
    def compile_kwargs(cls, name, learning_rate_scale=1.0, decay_steps=None):
        """The `compile` keywords preset `name` was designed with.

        Args:
            name: str, the preset (a trained preset gives its base preset's).
            learning_rate_scale: float > 0, multiplies every optimizer's
                learning rate (a GAN's two rates keep their ratio).
            decay_steps: int or None, the rates fall to 0 along a cosine over
                this many optimizer steps (`keras.optimizers.schedules.CosineDecay`).

        Example:
            >>> from gan_audio.models import SpectralMaskDenoiser
            >>> kwargs = SpectralMaskDenoiser.compile_kwargs("default", learning_rate_scale=0.5, decay_steps=100)
            >>> round(float(kwargs["optimizer"].learning_rate), 6)  # 0.5 × the preset's 1e-3, before any step
            0.0005
        """
        if name not in cls.PRESETS:
            from gan_audio.models.protocol import trained_presets

            folder = trained_presets.find_trained_preset(cls, name)
            if folder is None:
                raise ValueError(f"Unknown {cls.__name__} preset {name!r}; choose from {sorted(cls.PRESETS)} or "
                                 f"the trained {sorted(cls.trained_presets())}.")
            name = trained_presets.base_preset(folder)
        kwargs = copy.deepcopy(cls.PRESETS[name]["compile"])
        if learning_rate_scale != 1.0 or decay_steps is not None:
            kwargs = _scheduled(kwargs, f"{cls.__name__} preset {name!r}", learning_rate_scale, decay_steps)
        # Presets are plain data: objects (an optimizer, a loss) are stored serialised.
        return {key: _deserialize(value) for key, value in kwargs.items()}


def _scheduled(kwargs, what, scale, decay_steps):
    """Serialised compile keywords with every optimizer's rate scaled (and a cosine decay)."""
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise ValueError(f"learning_rate_scale must be a number > 0, got {scale!r}.")
    if decay_steps is not None and (isinstance(decay_steps, bool) or not isinstance(decay_steps, int)
                                    or decay_steps < 1):
        raise ValueError(f"decay_steps must be a positive integer, got {decay_steps!r}.")
    optimizers = [key for key, value in kwargs.items() if key.endswith("optimizer") and isinstance(value, dict)]
    if not optimizers:
        raise ValueError(f"{what} names no optimizer, so it has no learning rate to scale or decay.")
    for key in optimizers:
        config = kwargs[key].setdefault("config", {})
        rate = config.get("learning_rate")
        if not isinstance(rate, (int, float)):
            raise ValueError(f"{what}: {key} has no constant learning_rate to scale ({rate!r}).")
        rate = float(rate) * scale
        config["learning_rate"] = rate if decay_steps is None else {
            "module": "keras.optimizers.schedules", "class_name": "CosineDecay",
            "config": {"initial_learning_rate": rate, "decay_steps": decay_steps, "alpha": 0.0}}
    return kwargs


def _deserialize(value):
    if isinstance(value, dict) and "class_name" in value:
        import keras

        return keras.saving.deserialize_keras_object(value)
    return value
