"""Drawing a WaveNet's next code: the Gumbel-max trick with stateless draws keyed by seed and step.

Sample ``i`` of every stream is ``argmax(logits / temperature + g)`` with
``g = -log(-log u)`` and ``u`` a stateless uniform draw keyed ``[seed, i]``
(Philox bits): the draws depend on the seed and the step only, so naive
and fast generation and an export give the same samples for the same seed.
(Under XLA the draws are the same, but logits rounded differently in the
last bit may, rarely, flip a sample: only when the two best scores are
within that rounding.) Inverting the softmax's CDF with one uniform per
sample draws from the same distribution for less work, but a rounding
difference in any cumulative probability near ``u`` flips a sample, so the
XLA and plain loops (an export's two signatures) disagree far more often;
`benchmarks/wavenet_sampling.py` measures both.
"""
import tensorflow as tf


def uniform_draws(shape, seed, step):
    """Uniforms in (0, 1) of `shape`, keyed ``[seed, step]``: 24 Philox bits each (`alg="philox"`:
    TensorFlow's kernels and XLA give the same bits, not the same float uniforms)."""
    key = tf.stack([tf.cast(seed, tf.int64), tf.cast(step, tf.int64)])
    bits = tf.random.stateless_uniform(shape, seed=key, minval=None, maxval=None, dtype=tf.uint32, alg="philox")
    return (tf.cast(tf.bitwise.right_shift(bits, tf.constant(8, tf.uint32)), tf.float32) + 0.5) * 2.0**-24


def sample_codes(logits, temperature, seed, step):
    """One code per row of `logits` ``(B, Q)`` from ``softmax(logits / temperature)``, keyed ``[seed, step]``:
    ``argmax(logits / temperature + g)`` with Gumbel noise ``g = -log(-log u)`` (Q uniforms per row).

    Example:
        >>> logits = tf.math.log(tf.constant([[0.25, 0.5, 0.25]]))
        >>> codes = [int(sample_codes(logits, 1.0, 0, step)[0]) for step in range(4000)]
        >>> [abs(codes.count(k) / 4000 - p) < 0.03 for k, p in enumerate([0.25, 0.5, 0.25])]
        [True, True, True]
    """
    logits = tf.cast(logits, tf.float32)
    gumbel = -tf.math.log(-tf.math.log(uniform_draws(tf.shape(logits), seed, step)))  # u in (0, 1): finite
    return tf.argmax(logits / tf.cast(temperature, tf.float32) + gumbel, axis=-1, output_type=tf.int32)
