"""Linear prediction from log-mel frames: the spectral envelope as an all-pole filter (in-graph).

LPCNet (Valin & Skoglund 2019) splits a vocoder's work in two: the log-mel
frame's envelope becomes an all-pole filter ``1 / A(z)`` computed, not
learned, and the network only models the excitation ``e = A(z) x`` (the
prediction residual), which is nearly white. With these functions a WaveNet
models that residual (``WaveNet(lpc_order=...)``); even white noise through
the filter keeps a word's formants.

Maths, per frame of a log-mel ``(dB, M bands)`` with the analysis window
``w`` (periodic Hann, ``N`` samples):

1. ``P = max(10^(dB / 10) @ pinv(W), 0)``: the power spectrum the mel bands
   came from (``W`` the filterbank ``(N // 2 + 1, M)``, as in `GriffinLim`);
2. ``r = irfft(P)[0 … p]``: the windowed frame's autocorrelation, times a
   Gaussian lag window (60 Hz) and with ``r_0`` raised by 1e-4 (white-noise
   correction) so the filter stays stable;
3. Levinson-Durbin: ``a_1 … a_p`` with ``x̂_t = Σ_k a_k x_{t-k}`` and the
   prediction error power ``ε``; ``ε / Σ w²`` is the excitation's variance.

Sample ``t`` uses the frame whose centre is nearest (`per_sample`). Then
``e_t = x_t - Σ_k a_k x_{t-k}`` (`lpc_residual`, zeros before the start) and
`lpc_synthesis` inverts it exactly: ``x_t = e_t + Σ_k a_k x_{t-k}``, one sample at a time;
`framed_synthesis` gives the same from the frames' predictors in blocks of samples that share one
(every block's response to its excitation and to each past sample, for all blocks at once, then one
step per block: about 1 % of the sequential steps).
`noise_excited` is a vocoder with no network: white noise of the frames'
variance through their filter (whispered speech; the baseline of a WaveNet
that draws the excitation instead).

Example:
    >>> import numpy as np
    >>> from gan_audio.features.spectral import mel_weight_matrix
    >>> mel = tf.fill([1, 3, 16], -20.0)
    >>> pinv = mel_pseudo_inverse(mel_weight_matrix(16000, 256, 16))
    >>> a, variance = lpc_from_log_mel(mel, pinv, order=4)
    >>> tuple(a.shape), tuple(variance.shape)
    ((1, 3, 4), (1, 3))
    >>> x = tf.random.stateless_normal([1, 300], [0, 1])
    >>> a_t = per_sample(a, 300, frame_step=64, frame_length=256)
    >>> bool(np.allclose(lpc_synthesis(lpc_residual(x, a_t), a_t), x, atol=1e-4))
    True
"""
import math

import numpy as np
import tensorflow as tf

#: Lag window width (Hz) and white-noise correction of the autocorrelation.
LAG_WINDOW_HZ, WHITE_NOISE_CORRECTION = 60.0, 1e-4


def mel_pseudo_inverse(matrix):
    """The filterbank ``W`` ``(K, M)`` → ``pinv(W)`` ``(M, K)`` float32 (numpy, computed once)."""
    return np.linalg.pinv(np.asarray(matrix, np.float64)).astype(np.float32)


def levinson(r, order):
    """Autocorrelations ``(..., order + 1)`` → predictor ``a (..., order)`` and error power ``(...,)``."""
    a = tf.zeros(tf.concat([tf.shape(r)[:-1], [0]], 0), r.dtype)
    error = r[..., 0]
    for i in range(order):
        reflection = (r[..., i + 1] - tf.reduce_sum(a * tf.reverse(r[..., 1:i + 1], [-1]), -1)) / error
        a = tf.concat([a - reflection[..., None] * tf.reverse(a, [-1]), reflection[..., None]], -1)
        error = error * (1.0 - tf.square(reflection))
    return a, error


def frame_autocorrelation(log_mel, pinv):
    """Log-mel dB ``(..., F, M)`` → the windowed frames' autocorrelation ``(..., F, N)`` at lags ``0 … N - 1``
    (steps 1-2 above, without the lag window): the inverse FFT of the power spectrum the bands came from."""
    frame_length = 2 * (int(pinv.shape[1]) - 1)
    power = tf.nn.relu(tf.tensordot(tf.pow(10.0, tf.cast(log_mel, tf.float32) / 10.0), pinv, axes=1))
    return tf.signal.irfft(tf.complex(power, tf.zeros_like(power)), [frame_length])


def lpc_from_log_mel(log_mel, pinv, order=16, sample_rate=16000):
    """Log-mel dB ``(..., F, M)`` → predictor coefficients ``(..., F, order)`` and the excitation's
    variance ``(..., F)`` (steps 1-3 above); `pinv` is the filterbank's pseudo-inverse ``(M, N // 2 + 1)``
    (`mel_pseudo_inverse`; a variable keeps it out of every graph that reads it)."""
    frame_length = 2 * (int(pinv.shape[1]) - 1)
    r = frame_autocorrelation(log_mel, pinv)[..., :order + 1]
    lags = np.arange(order + 1)
    window = np.exp(-0.5 * (2 * np.pi * LAG_WINDOW_HZ / sample_rate * lags) ** 2).astype(np.float32)
    window[0] += WHITE_NOISE_CORRECTION
    r = r * window + np.float32(1e-9) * (lags == 0)
    a, error = levinson(r, order)
    hann = np.sin(np.pi * np.arange(frame_length) / frame_length) ** 2
    return a, tf.nn.relu(error) / np.float32(np.sum(hann**2))


def per_sample(frames, num_samples, frame_step, frame_length):
    """Per-frame values ``(B, F, ...)`` → ``(B, num_samples, ...)``: sample ``t`` takes the frame whose
    centre ``f · frame_step + frame_length / 2`` is nearest (the first/last frame past the ends)."""
    index = (tf.range(num_samples) - (frame_length - frame_step) // 2) // frame_step
    return tf.gather(frames, tf.clip_by_value(index, 0, tf.shape(frames)[1] - 1), axis=1)


def lpc_residual(waveform, a):
    """``e_t = x_t - Σ_k a_k[t] x_{t-k}`` for waveforms ``(B, S)`` and per-sample ``a (B, S, p)``
    (samples before the start are 0); causal: ``e_t`` reads ``x_t … x_{t-p}`` only."""
    waveform = tf.cast(waveform, tf.float32)
    order = a.shape[-1]
    padded = tf.pad(waveform, [[0, 0], [order, 0]])
    length = tf.shape(waveform)[1]
    past = tf.stack([padded[:, order - k: order - k + length] for k in range(1, order + 1)], -1)
    return waveform - tf.reduce_sum(a * past, -1)


def lpc_synthesis(excitation, a):
    """The inverse of `lpc_residual`: ``x_t = e_t + Σ_k a_k[t] x_{t-k}`` (a `tf.scan` over time, always
    traced: run eagerly, a second of audio would take seconds instead of a fraction of one)."""
    return _synthesis(tf.cast(excitation, tf.float32), tf.cast(a, tf.float32))


@tf.function(input_signature=[tf.TensorSpec((None, None), tf.float32), tf.TensorSpec((None, None, None), tf.float32)])
def _synthesis(excitation, a):
    def step(past, inputs):  # past: x_{t-1} … x_{t-p}
        e, coefficients = inputs
        x = e + tf.reduce_sum(coefficients * past, -1)
        return tf.concat([x[:, None], past[:, :-1]], 1)

    start = tf.zeros(tf.stack([tf.shape(excitation)[0], tf.shape(a)[2]]), tf.float32)
    states = tf.scan(step, (tf.transpose(excitation), tf.transpose(a, [1, 0, 2])), initializer=start)
    return tf.transpose(states[:, :, 0])


def framed_synthesis(excitation, frame_a, frame_step, frame_length):
    """`lpc_synthesis` of ``excitation (B, S)`` with the predictors ``per_sample(frame_a (B, F, p), S, …)``.

    Samples share a frame's predictor in blocks of ``gcd(frame_step, (frame_length - frame_step) // 2)``
    (128 for 1024/256 frames); with blocks of at least ``p`` samples the recursion runs per block, by
    superposition: each block's output is its response to its own excitation from silence plus its
    response to each of the ``p`` samples before it, all computed at once for every block (one step per
    sample of a block), then chained block by block. Shorter blocks fall back to `lpc_synthesis`. The
    results agree with it to float rounding (the same sums in another order).
    """
    excitation, frame_a = tf.cast(excitation, tf.float32), tf.cast(frame_a, tf.float32)
    order, length = int(frame_a.shape[-1]), tf.shape(excitation)[1]
    block = math.gcd(int(frame_step), (int(frame_length) - int(frame_step)) // 2)
    if block < order:
        return lpc_synthesis(excitation, per_sample(frame_a, length, frame_step, frame_length))
    blocks = (length + block - 1) // block
    starts = per_sample(frame_a, blocks * block, frame_step, frame_length)[:, ::block]  # (B, blocks, p)
    padded = tf.pad(excitation, [[0, 0], [0, blocks * block - length]])
    return _block_synthesis(padded, starts, tf.constant(block, tf.int32))[:, :length]


@tf.function(input_signature=[tf.TensorSpec((None, None), tf.float32), tf.TensorSpec((None, None, None), tf.float32),
                              tf.TensorSpec((), tf.int32)])
def _block_synthesis(excitation, a, block):
    batch, blocks, order = tf.shape(a)[0], tf.shape(a)[1], tf.shape(a)[2]
    # Cases per block: 0 = its excitation from silence; k = 1 … p: no excitation, x_{start-k} = 1 before it.
    past = tf.concat([tf.zeros(tf.stack([1, order])), tf.eye(order)], 0)  # (p + 1, p): x_{t-1} … x_{t-p}
    past = tf.tile(past[None, None], tf.stack([batch, blocks, 1, 1]))
    inputs = tf.transpose(tf.reshape(excitation, tf.stack([batch, blocks, block])), [2, 0, 1])  # (K, B, n)

    def step(past, e):
        x = tf.reduce_sum(a[:, :, None, :] * past, -1) + tf.pad(e[..., None], [[0, 0], [0, 0], [0, order]])
        return tf.concat([x[..., None], past[..., :-1]], -1)

    responses = tf.scan(step, inputs, initializer=past)[..., 0]  # (K, B, n, p + 1)
    own, to_past = tf.transpose(responses[..., 0], [2, 1, 0]), tf.transpose(responses[..., 1:], [2, 1, 0, 3])

    def chain(state, block_responses):  # state: the last p samples before the block, newest first
        x = block_responses[0] + tf.einsum("bkp,bp->bk", block_responses[1], state)
        return tf.reverse(x[:, -order:], [1]), x

    _, out = tf.scan(lambda carry, r: chain(carry[0], r), (own, to_past),
                     initializer=(tf.zeros(tf.stack([batch, order])), tf.zeros(tf.stack([batch, block]))))
    return tf.reshape(tf.transpose(out, [1, 0, 2]), tf.stack([batch, blocks * block]))


def noise_excited(log_mel, matrix, frame_step, order=16, sample_rate=16000, seed=0):
    """Log-mel dB ``(B, F, M)`` → audio ``(B, (F - 1) · frame_step + N)`` in [-1, 1]: seeded white noise
    of each frame's excitation variance through its all-pole filter (no network, no pitch: a whisper)."""
    log_mel = tf.convert_to_tensor(log_mel, tf.float32)
    frame_length = 2 * (np.shape(matrix)[0] - 1)
    a, variance = lpc_from_log_mel(log_mel, mel_pseudo_inverse(matrix), order, sample_rate)
    length = (tf.shape(log_mel)[1] - 1) * frame_step + frame_length
    noise = tf.random.stateless_normal(tf.stack([tf.shape(log_mel)[0], length]), [seed, 0])
    excitation = noise * tf.sqrt(per_sample(variance, length, frame_step, frame_length))
    return tf.clip_by_value(framed_synthesis(excitation, a, frame_step, frame_length), -1.0, 1.0)
