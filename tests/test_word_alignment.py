"""WordAlignment (trim a word to its active frames, resample to a fixed length) against numpy."""
import numpy as np
import pytest


def _aligned_numpy(log_mel, frames, threshold):
    """numpy oracle of WordAlignment: trim to the active frames, np.interp per bin."""
    out = []
    for mel in log_mel:
        energy = mel.max(axis=1)
        active = np.flatnonzero(energy > energy.max() - threshold)
        mel = mel[active[0]:active[-1] + 1]
        positions = np.linspace(0, len(mel) - 1, frames)
        out.append(np.stack([np.interp(positions, np.arange(len(mel)), mel[:, b]) for b in range(mel.shape[1])], 1))
    return np.asarray(out)


def test_word_alignment_matches_numpy_and_ignores_position():
    from gan_audio.features import WordAlignment

    rng = np.random.default_rng(3)
    log_mel = np.full((3, 40, 5), -90.0, np.float32)
    log_mel[0, 5:17] = rng.normal(size=(12, 5)) * 5
    log_mel[1, 20:38] = rng.normal(size=(18, 5)) * 5
    log_mel[2] = rng.normal(size=(40, 5)) * 5  # all active
    layer = WordAlignment(num_frames=7, threshold_db=40.0)
    np.testing.assert_allclose(layer(log_mel).numpy(), _aligned_numpy(log_mel, 7, 40.0), atol=1e-4)
    moved = np.roll(log_mel[:1], 15, axis=1)  # the same word later in the clip
    np.testing.assert_allclose(layer(moved).numpy(), layer(log_mel[:1]).numpy(), atol=1e-4)
    assert WordAlignment.from_config(layer.get_config()).num_frames == 7
    with pytest.raises(ValueError, match="num_frames"):
        WordAlignment(num_frames=1)
