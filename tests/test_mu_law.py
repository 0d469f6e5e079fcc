"""Mu-law companding layers against librosa, and the same bits eagerly, in graphs and under XLA."""
import librosa
import numpy as np
import tensorflow as tf

from gan_audio.features import MuLawDecoding, MuLawEncoding


def test_mu_law_matches_librosa_and_round_trips():
    x = np.linspace(-1.0, 1.0, 10001).astype(np.float32)
    mu = 255
    codes = MuLawEncoding(256)(x).numpy()
    assert codes.dtype == np.int32 and codes.min() == 0 and codes.max() == mu
    companded = librosa.mu_compress(x, mu=mu, quantize=False)
    np.testing.assert_array_equal(codes, np.floor((companded + 1.0) / 2.0 * mu + 0.5))
    # librosa quantises with ceil into [-128, 127]: at most one code apart.
    assert np.abs(codes - (librosa.mu_compress(x, mu=mu, quantize=True) + 128)).max() <= 1
    decoded = MuLawDecoding(256)(codes).numpy()
    np.testing.assert_allclose(
        decoded, librosa.mu_expand(2.0 * codes / mu - 1.0, mu=mu, quantize=False), atol=1e-6)
    bound = np.log1p(mu) * (1 + mu) / mu ** 2
    assert np.abs(decoded - x).max() <= bound + 1e-6
    librosa_round_trip = librosa.mu_expand(librosa.mu_compress(x, mu=mu, quantize=True),
                                           mu=mu, quantize=True)
    assert np.abs(decoded - x).max() <= np.abs(librosa_round_trip - x).max()


def test_mu_law_small_codebook_round_trip():
    x = tf.constant(np.linspace(-1.0, 1.0, 101), tf.float32)
    decoded = MuLawDecoding(16)(MuLawEncoding(16)(x)).numpy()
    assert np.abs(decoded - x.numpy()).max() <= np.log1p(15) * 16 / 15 ** 2 + 1e-6


def test_mu_law_codes_decode_to_the_same_bits_eagerly_in_graphs_and_under_xla():
    layer, codes = MuLawDecoding(256), tf.constant(np.arange(-3, 259).reshape(2, -1), tf.int32)
    eager = layer(codes).numpy()
    for jit_compile in (False, True):
        np.testing.assert_array_equal(tf.function(layer, jit_compile=jit_compile)(codes).numpy(), eager)
    assert eager.ravel()[:4].tolist() == [-1.0] * 4 and eager.ravel()[-4:].tolist() == [1.0] * 4  # clipped ends
    as_floats = layer(tf.cast(codes, tf.float32)).numpy().ravel()[3:-3]  # the formula, for non-integer codes
    np.testing.assert_allclose(eager.ravel()[3:-3], as_floats, atol=2e-6)
