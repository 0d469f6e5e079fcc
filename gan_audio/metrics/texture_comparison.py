"""Two sets of clips compared by their texture statistics (:mod:`gan_audio.metrics.texture`).

Set comparisons use per-feature standardisation by the real set's sample
std ``s_j`` (ddof 1) plus ``eps``, and weight the six statistic groups equally:
:func:`texture_distance` ``= 1/6 sum_g 1/D_g sum_{j in g} |mean_gen_j -
mean_real_j| / (s_j + eps)``; :func:`texture_diversity` is the mean pairwise
distance ``d(u, v) = (1/6 sum_g 1/D_g sum_{j in g} ((u_j - v_j) / (s_j +
eps))^2)^{1/2}`` over generated pairs divided by the same over real pairs.
"""
import numpy as np
from scipy.spatial.distance import pdist

from gan_audio.metrics.texture import STATISTICS, checked_waveforms, statistic_groups, texture_statistics


def _set_groups(data, name, min_clips, kwargs):
    """Group arrays of a set given as ``(N, S)`` waveforms or a statistics dict."""
    if not isinstance(data, dict):
        x = checked_waveforms(data, name, min_clips)
        if x.ndim != 2:
            raise ValueError(f"`{name}` must be a set of clips (N, S), got shape {x.shape}.")
        data = texture_statistics(x, **kwargs)
    groups = statistic_groups(data, name)
    if np.ndim(data["mean"]) != 2 or groups[0].shape[0] < min_clips:
        raise ValueError(f"`{name}` needs statistics of at least {min_clips} clips, (N, B) arrays.")
    return groups


def _standardised_pair(real, generated, min_generated, eps, kwargs):
    real_g = _set_groups(real, "real", 2, kwargs)
    gen_g = _set_groups(generated, "generated", min_generated, kwargs)
    if [g.shape[1] for g in real_g] != [g.shape[1] for g in gen_g]:
        raise ValueError("`real` and `generated` statistics differ in shape (bands or modulation bands).")
    scales = [g.std(axis=0, ddof=1) + eps for g in real_g]
    return [r / s for r, s in zip(real_g, scales)], [g / s for g, s in zip(gen_g, scales)]


def texture_distance(real, generated, per_group=False, eps=1e-8, **kwargs):
    """Distance between two sets of clips in texture statistics.

    ``d = 1/6 sum_g d_g``, ``d_g = 1/D_g sum_{j in g} |mean_gen_j -
    mean_real_j| / (s_j + eps)``: per feature ``j`` of group ``g``, the
    difference of set means in units of the real set's sample std ``s_j``
    (ddof 1). 0 for identical sets; not symmetric in its arguments.

    Args:
        real (array or dict): ``(N1, S)`` waveforms, ``N1 >= 2``, or their
            :func:`texture_statistics`.
        generated (array or dict): ``(N2, S)`` waveforms, ``N2 >= 1``, or statistics.
        per_group (bool): Also return the ``d_g``. Defaults to False.
        eps (float): Added to ``s_j``. Defaults to 1e-8.
        **kwargs: Passed to :func:`texture_statistics` (``sample_rate``, ``num_bands``, ...).

    Returns:
        float ``>= 0``; with ``per_group``, a dict ``{group: d_g, ..., "total": d}``.

    Example:
        >>> x = np.random.default_rng(0).normal(size=(3, 16000))
        >>> texture_distance(x, x, num_bands=8)
        0.0
    """
    real_g, gen_g = _standardised_pair(real, generated, 1, eps, kwargs)
    parts = {k: float(np.mean(np.abs(g.mean(axis=0) - r.mean(axis=0))))
             for k, r, g in zip(STATISTICS, real_g, gen_g)}
    total = float(np.mean(list(parts.values())))
    return {**parts, "total": total} if per_group else total


def texture_diversity(generated, real, eps=1e-8, **kwargs):
    """Mean pairwise texture distance within ``generated`` over that within ``real``.

    Features are divided by the real set's sample std (ddof 1, plus ``eps``);
    ``d(u, v) = (1/6 sum_g 1/D_g sum_{j in g} (u_j - v_j)^2)^{1/2}`` (groups
    weighted equally); the score is ``mean_{i<j} d(g_i, g_j) / mean_{i<j}
    d(r_i, r_j)``: about 1 when as diverse as the real clips, 0 for identical
    generated clips (mode collapse).

    Args:
        generated (array or dict): ``(N2, S)`` waveforms, ``N2 >= 2``, or their statistics.
        real (array or dict): ``(N1, S)`` waveforms, ``N1 >= 2``, not all identical, or statistics.
        eps (float): Added to the stds. Defaults to 1e-8.
        **kwargs: Passed to :func:`texture_statistics`.

    Returns:
        float ``>= 0``.

    Example:
        >>> x = np.random.default_rng(0).normal(size=(3, 16000))
        >>> texture_diversity(np.stack([x[0]] * 3), x, num_bands=8)
        0.0
    """
    real_g, gen_g = _standardised_pair(real, generated, 2, eps, kwargs)

    def spread(groups):
        weighted = np.concatenate([g / np.sqrt(len(groups) * g.shape[1]) for g in groups], axis=1)
        return float(np.mean(pdist(weighted)))

    real_spread = spread(real_g)
    if not real_spread > 0:
        raise ValueError("`real` clips have identical texture statistics: diversity is undefined.")
    return spread(gen_g) / real_spread
