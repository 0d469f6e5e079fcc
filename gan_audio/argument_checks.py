"""Checks of scalar arguments, shared by the whole package: each returns the value as a Python `int` or `float`
and raises one `ValueError` naming the argument (bools are refused: ``True`` is not a size).

Example:
    >>> integer("num_bands", 32, minimum=2)
    32
    >>> integer("num", 0)
    Traceback (most recent call last):
    ...
    ValueError: `num` must be a positive integer, got 0.
    >>> number("compression", 0.3, low=1e-3, high=1.0)
    0.3
"""
import math
import numbers

import numpy as np


def integer(name, value, minimum=1):
    """`value` as an int >= `minimum`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        wanted = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"`{name}` must be {wanted}, got {value!r}.")
    return int(value)


def number(name, value, low=None, high=None, positive=False):
    """`value` as a finite float in ``[low, high]`` (either bound None: open), or > 0 with `positive`."""
    bad = isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value)
    if not bad:
        bad = (positive and not value > 0) or (low is not None and not value >= low) or (
            high is not None and not value <= high)
    if bad:
        if positive:
            wanted = "a positive number"
        elif low is not None and high is not None:
            wanted = f"a number in [{low}, {high}]"
        elif low is not None:
            wanted = f"a number >= {low}"
        else:
            wanted = "a finite number" if high is None else f"a number <= {high}"
        raise ValueError(f"`{name}` must be {wanted}, got {value!r}.")
    return float(value)


def clip_labels(labels, num, num_classes, owner="This model"):
    """One label per clip of a label-conditional model: `labels` (one int, or `num` ints) → int32 ``(num,)``.

    Raises:
        ValueError: `labels` is None, neither one int nor `num` of them, or outside ``[0, num_classes)``.
    """
    if labels is None:
        raise ValueError(f"{owner} is label-conditional: pass `labels` (one in [0, {num_classes}), or one per clip).")
    try:
        labels = np.broadcast_to(np.asarray(labels, dtype=np.int64), (int(num),))
    except ValueError:
        raise ValueError(f"`labels` must be one int or {num} ints, got {labels!r}.") from None
    bad = sorted({int(v) for v in labels if not 0 <= v < (num_classes or 0)})
    if bad:
        raise ValueError(f"Labels {bad} are outside [0, {num_classes}).")
    return labels.astype(np.int32)
