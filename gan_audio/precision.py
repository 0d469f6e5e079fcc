"""Serving in another precision: a copy of a model that computes under another Keras dtype policy, with the
same (float32) weights.

A WaveNet's one-stream generation reads every block's weights once per sample; under ``mixed_float16``
those reads are half the bytes and the loop runs 1.1-1.25 times as fast on CPU
(`benchmarks/wavenet_weight_dtype.py`). The draws move with the rounding (most of the first codes agree
with float32's, then the sequence diverges), so the same seed gives the same audio only at the same
precision: from a copy made here and from its export (``export_saved_model(..., dtype_policy=...)``,
``gan-audio export --dtype-policy``).

Example:
    >>> from gan_audio.models import WaveNet
    >>> model = WaveNet.from_preset("tiny", seed=0)
    >>> half = with_dtype_policy(model, "mixed_float16")
    >>> half.blocks[0].compute_dtype, half.blocks[0].kernel.dtype
    ('float16', 'float32')
"""
import numpy as np

#: The policies an export may compute in (their weights stay float32).
SERVING_POLICIES = ("float32", "mixed_float16", "mixed_bfloat16")


def with_dtype_policy(model, policy):
    """A copy of `model` (same config and weights) whose layers compute under the Keras dtype `policy`.

    Raises:
        ValueError: `policy` is not one of `SERVING_POLICIES`, or `model`'s family does not declare
            ``serves_in_reduced_precision`` (`gan_audio.serving.ServingMixin`: WaveNet does).
    """
    import keras

    if policy not in SERVING_POLICIES:
        raise ValueError(f"`dtype_policy` must be one of {', '.join(SERVING_POLICIES)}, got {policy!r}.")
    name = type(model).__name__
    if policy != "float32" and not getattr(model, "serves_in_reduced_precision", False):
        raise ValueError(f"`dtype_policy` {policy!r}: {name} is not tested in reduced precision; "
                         f"export it in float32.")
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        copy = type(model).from_config(model.get_config())
    finally:
        keras.config.set_dtype_policy(previous)
    if len(copy.weights) != len(model.weights):
        raise ValueError(f"{name} rebuilt under {policy!r} has {len(copy.weights)} weights, not {len(model.weights)}.")
    for target, source in zip(copy.weights, model.weights):
        if target.path != source.path or tuple(target.shape) != tuple(source.shape):
            raise ValueError(f"{name} rebuilt under {policy!r}: weight {target.path} {tuple(target.shape)} does not "
                             f"match {source.path} {tuple(source.shape)}.")
        target.assign(np.asarray(source))
    return copy
