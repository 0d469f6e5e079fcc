"""Named presets for model families: `Family.from_preset("default")`."""
import copy


class PresetMixin:
    """Gives a model class `from_preset`, `presets` and `compile_kwargs`.

    A family sets `PRESETS = {name: {"description": str, "config": dict of
    constructor keywords, "compile": dict of compile keywords}}`.
    """

    PRESETS = {}

    @classmethod
    def presets(cls):
        return cls.PRESETS

    @classmethod
    def from_preset(cls, name, **overrides):
        """Builds the model of preset `name`; keyword overrides win."""
        if name not in cls.PRESETS:
            raise ValueError(f"Unknown {cls.__name__} preset {name!r}; choose from {sorted(cls.PRESETS)}.")
        return cls(**{**copy.deepcopy(cls.PRESETS[name]["config"]), **overrides})

    @classmethod
    def compile_kwargs(cls, name):
        """The `compile` keywords preset `name` was designed with."""
        if name not in cls.PRESETS:
            raise ValueError(f"Unknown {cls.__name__} preset {name!r}; choose from {sorted(cls.PRESETS)}.")
        kwargs = copy.deepcopy(cls.PRESETS[name]["compile"])
        # Presets are plain data: objects (an optimizer, a loss) are stored serialised.
        return {key: _deserialize(value) for key, value in kwargs.items()}


def _deserialize(value):
    if isinstance(value, dict) and "class_name" in value:
        import keras

        return keras.saving.deserialize_keras_object(value)
    return value
