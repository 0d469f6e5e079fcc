"""How an adversarial model is compiled: one optimizer per network, the loss terms' keywords, and
their round trip through `get_compile_config` / `compile_from_config`."""
import copy
import functools

import keras

from gan_audio import losses as gan_losses
from gan_audio.models.adversarial import loss_terms

PROBABILITY_LOSSES = ("minimax", "non_saturating")


class AdversarialCompileMixin:
    """`compile` for `AdversarialModel`: `g_optimizer`, `d_optimizer` and the
    loss (kept as same-named attributes, saved in the compile config). The
    model supplies `generator`, `discriminator` and `loss_names()`."""

    #: A family whose loss hooks fix their own adversarial terms describes them here; `compile` then
    #: rejects the loss arguments it would otherwise accept, save and silently ignore.
    FIXED_LOSSES = None

    def compile(self, g_optimizer=None, d_optimizer=None, loss="non_saturating", from_logits=True,
                gradient_penalty_weight=0.0, label_smoothing=0.0, **kwargs):
        """Configures training.

        Args:
            g_optimizer, d_optimizer: optimizers (or their config / name);
                default Adam(2e-4, beta_1=0.5), one per network.
            loss: name accepted by `gan_audio.losses.get`.
            from_logits: bool, whether D outputs logits (minimax and
                non-saturating losses only).
            gradient_penalty_weight: float λ of the WGAN-GP penalty.
            label_smoothing: float, one-sided smoothing of D's real target.

        A family with `FIXED_LOSSES` takes none of the last four (other than their defaults).
        """
        if self.FIXED_LOSSES:
            given = {"loss": (loss, "non_saturating"), "from_logits": (from_logits, True),
                     "gradient_penalty_weight": (gradient_penalty_weight, 0.0), "label_smoothing": (label_smoothing, 0.0)}
            ignored = [f"{name}={value!r}" for name, (value, default) in given.items() if value != default]
            if ignored:
                raise ValueError(f"{type(self).__name__} trains with {self.FIXED_LOSSES}: compile() would ignore "
                                 f"{', '.join(ignored)}; drop them.")
        super().compile(**kwargs)
        self.g_optimizer = self._make_optimizer(g_optimizer, "g_optimizer")
        self.d_optimizer = self._make_optimizer(d_optimizer, "d_optimizer")
        g_fn, d_fn = gan_losses.get(loss)
        if loss in PROBABILITY_LOSSES:
            g_fn = functools.partial(g_fn, from_logits=from_logits)
            d_fn = functools.partial(d_fn, from_logits=from_logits, label_smoothing=label_smoothing)
        elif label_smoothing:
            raise ValueError(f"`label_smoothing` applies to {PROBABILITY_LOSSES}, not {loss!r}.")
        self.loss_name = loss
        self.from_logits = bool(from_logits)
        self.gradient_penalty_weight = float(gradient_penalty_weight)
        self.label_smoothing = float(label_smoothing)
        self.g_loss_fn, self.d_loss_fn = g_fn, d_fn
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.trackers = loss_terms.make_trackers(self.loss_names())

    def _make_optimizer(self, optimizer, name):
        if optimizer is None:
            optimizer = keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5, name=name)
        optimizer = keras.optimizers.get(optimizer)
        if self.dtype_policy.name == "mixed_float16" and not isinstance(
            optimizer, keras.optimizers.LossScaleOptimizer
        ):
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer, name=f"{name}_loss_scale")
        return optimizer

    @property
    def metrics(self):
        return list(getattr(self, "trackers", {}).values())

    def get_compile_config(self):
        if not getattr(self, "compiled", False) or not hasattr(self, "g_optimizer"):
            return {}
        return {
            "g_optimizer": keras.saving.serialize_keras_object(self.g_optimizer),
            "d_optimizer": keras.saving.serialize_keras_object(self.d_optimizer),
            **self.loss_config(),
        }

    def loss_config(self):
        """The compile keywords that choose the loss terms."""
        return {"loss": self.loss_name, "from_logits": self.from_logits,
                "gradient_penalty_weight": self.gradient_penalty_weight,
                "label_smoothing": self.label_smoothing}

    def compile_from_config(self, config):
        config = copy.deepcopy(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)
