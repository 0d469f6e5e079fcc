"""Long textures: equal-power crossfades of segments, with no seam in energy or spectrum."""
import numpy as np
import pytest
import tensorflow as tf

from gan_audio.models.gcdg.long_textures import crossfade_segments, crossfade_windows, segment_count

RATE, LENGTH, OVERLAP = 16000, 4000, 1000


def _frame_db(x, frame=160):
    """Log energy of 10 ms frames."""
    frames = x[: len(x) // frame * frame].reshape(-1, frame)
    return 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)


def _frame_spectra_db(x, frame=256):
    frames = x[: len(x) // frame * frame].reshape(-1, frame) * np.hanning(frame)
    return 10 * np.log10(np.abs(np.fft.rfft(frames, axis=1)) ** 2 + 1e-9)


def _segments(levels_db, lowpass_flags, seed=0):
    """Segments of white or low-passed noise at the given levels (dB re unit RMS)."""
    rng = np.random.default_rng(seed)
    out = []
    for level, low in zip(levels_db, lowpass_flags):
        x = rng.standard_normal(LENGTH + 64)
        x = np.convolve(x, np.ones(16) / 4, "same") if low else x
        x = x[32:-32] / np.sqrt(np.mean(x[32:-32] ** 2))
        out.append(10 ** (level / 20) * x)
    return np.stack(out)[None].astype("float32")


def test_windows_are_equal_power_in_the_overlaps_and_one_elsewhere():
    w = crossfade_windows(3, LENGTH, OVERLAP).numpy()
    hop = LENGTH - OVERLAP
    np.testing.assert_allclose(w[0, hop:] ** 2 + w[1, :OVERLAP] ** 2, 1.0, atol=1e-6)
    np.testing.assert_allclose(w[1, hop:] ** 2 + w[2, :OVERLAP] ** 2, 1.0, atol=1e-6)
    assert np.all(w[0, :hop] == 1) and np.all(w[2, OVERLAP:] == 1) and np.all(w[1, OVERLAP:hop] == 1)
    assert np.all(np.diff(w[1, :OVERLAP]) > 0) and np.all(np.diff(w[1, hop:]) < 0)


def test_crossfade_is_the_overlap_add_written_out_by_hand():
    segments = np.random.default_rng(1).standard_normal((2, 3, LENGTH)).astype("float32")
    out = crossfade_segments(segments, OVERLAP, total=9000).numpy()
    hop = LENGTH - OVERLAP
    t = np.arange(OVERLAP) + 0.5
    rise, fall = np.sin(np.pi / 2 * t / OVERLAP), np.cos(np.pi / 2 * t / OVERLAP)
    expected = np.zeros((2, 2 * hop + LENGTH))
    for k in range(3):
        w = np.ones(LENGTH)
        if k > 0:
            w[:OVERLAP] *= rise
        if k < 2:
            w[hop:] *= fall
        expected[:, k * hop : k * hop + LENGTH] += w * segments[:, k]
    np.testing.assert_allclose(out, expected[:, :9000], atol=1e-5)
    np.testing.assert_array_equal(out[:, :hop], segments[:, 0, :hop])  # the first segment as generated


@pytest.mark.parametrize("total, count", [(1, 1), (LENGTH, 1), (LENGTH + 1, 2), (2 * LENGTH - OVERLAP, 2),
                                          (10 * RATE, 53)])
def test_segment_count_covers_the_length(total, count):
    assert segment_count(total, LENGTH, OVERLAP) == count
    assert int(segment_count(tf.constant(total), LENGTH, OVERLAP)) == count
    assert (count - 1) * (LENGTH - OVERLAP) + LENGTH >= total


def _seam_frames(num_frames, count, frame=160):
    """Mask of the frame-to-frame differences that touch an overlap."""
    hop, ends = LENGTH - OVERLAP, (np.arange(num_frames) + 1) * frame
    return np.any([(ends >= k * hop - frame) & (ends <= k * hop + OVERLAP + frame) for k in range(1, count)], axis=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_energy_jump_or_dip_at_the_seams_of_one_texture(seed):
    segments = _segments([0] * 4, [False] * 4, seed=seed)  # four draws of one texture
    level = _frame_db(crossfade_segments(segments, OVERLAP).numpy()[0])
    steps, seam = np.abs(np.diff(level)), _seam_frames(len(level) - 1, 4)
    assert np.max(steps[seam]) < np.max(steps[~seam]) + 1.0  # no bigger frame-to-frame change than within a segment
    # equal power: the overlaps are as loud as the rest (a linear crossfade would dip up to 3 dB there)
    assert abs(np.mean(level[1:][seam]) - np.mean(level[1:][~seam])) < 0.5


def test_a_level_change_is_spread_over_the_overlap_where_a_plain_cut_jumps():
    segments = _segments([0, -12, 0, -12], [False] * 4)
    faded = _frame_db(crossfade_segments(segments, OVERLAP).numpy()[0])
    cut = _frame_db(segments[0].reshape(-1))  # the same segments end to end
    assert np.max(np.abs(np.diff(cut))) > 10  # 12 dB in one 10 ms frame
    assert np.max(np.abs(np.diff(faded))) < 6


def _high_band_flux(x, frame=256):
    """Frame-to-frame change (dB) of the 4.7-8 kHz level, where low-passed noise is quiet."""
    spectra = _frame_spectra_db(x, frame)
    return np.abs(np.diff(spectra[:, 75:129].mean(axis=1)))


def test_no_spectral_jump_at_the_seams_of_one_texture():
    for seed in range(3):
        flux = _high_band_flux(crossfade_segments(_segments([0] * 4, [True] * 4, seed=seed), OVERLAP).numpy()[0])
        seam = _seam_frames(len(flux), 4, frame=256)
        assert np.max(flux[seam]) < np.max(flux[~seam]) + 1.0


def test_a_spectral_change_is_spread_over_the_overlap_where_a_plain_cut_jumps():
    segments = _segments([0, 0, 0], [False, True, False])  # white, low-passed, white
    faded, cut = _high_band_flux(crossfade_segments(segments, OVERLAP).numpy()[0]), _high_band_flux(segments[0].ravel())
    assert np.max(cut) > 15
    assert np.max(faded) < 0.7 * np.max(cut)


def test_bad_overlap_is_an_error():
    with pytest.raises(ValueError, match="overlap"):
        crossfade_segments(np.zeros((1, 2, 100), "float32"), 100)
