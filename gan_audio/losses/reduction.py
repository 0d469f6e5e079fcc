"""Shared plumbing of the losses: float32 casting, reductions, lists of outputs."""
import functools

import tensorflow as tf

REDUCTIONS = ("mean", "none")


def to_float32(x):
    """A tensor in float32 (mixed-precision outputs are float16; losses are not).

    A Python list or tuple is refused here: stacking it would turn the
    sub-discriminator index into the batch axis (use the list-aware losses).
    """
    if isinstance(x, (list, tuple)):
        raise TypeError(
            f"Expected one tensor, got a {type(x).__name__} of {len(x)}: lists of "
            "discriminator outputs go through the list-aware losses (each item is one "
            "sub-discriminator)."
        )
    return tf.cast(tf.convert_to_tensor(x), tf.float32)


def reduce_loss(values, reduction):
    """Mean over everything (``"mean"``) or over non-batch axes (``"none"`` → ``(B,)``)."""
    if reduction == "mean":
        return tf.reduce_mean(values)
    if reduction == "none":
        rank = values.shape.rank
        if rank == 0:
            return tf.reshape(values, [1])
        if rank == 1:
            return values
        axes = list(range(1, rank)) if rank is not None else tf.range(1, tf.rank(values))
        return tf.reduce_mean(values, axis=axes)
    raise ValueError(f"`reduction` must be one of {REDUCTIONS}, got {reduction!r}.")


def is_list(x):
    return isinstance(x, (list, tuple))


def summed_over_discriminators(num_outputs):
    """Decorates a loss whose first `num_outputs` arguments are discriminator outputs.

    Each of them may be one tensor or a list/tuple of tensors, one per
    sub-discriminator (HiFi-GAN's multi-period/multi-scale contract). For
    lists, the loss is computed per sub-discriminator and the results are
    summed, per example for ``reduction="none"``. All output arguments must
    be lists of the same length, or all tensors.
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            outputs, rest = args[:num_outputs], args[num_outputs:]
            listed = [is_list(o) for o in outputs]
            if not any(listed):
                return fn(*args, **kwargs)
            if not all(listed):
                raise TypeError(f"{fn.__name__}: pass all discriminator outputs as lists, or none.")
            lengths = {len(o) for o in outputs}
            if len(lengths) != 1 or 0 in lengths:
                raise ValueError(
                    f"{fn.__name__}: lists of discriminator outputs must be non-empty and of "
                    f"equal length, got lengths {[len(o) for o in outputs]}."
                )
            terms = [fn(*parts, *rest, **kwargs) for parts in zip(*outputs)]
            return tf.add_n(terms)

        return wrapper

    return decorate
