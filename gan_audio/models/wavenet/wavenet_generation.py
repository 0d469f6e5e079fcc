"""Sampling from a WaveNet: naive (re-run the receptive field) and fast (per-layer queues).

Both draw sample ``i`` of every stream with `sample_codes`
(`wavenet_sampling`: Gumbel-max with stateless draws keyed ``[seed, i]``), so the
two methods and an export give the same samples for the same seed.

Fast generation (Paine et al. 2016, "Fast WaveNet"): the output at ``t``
reads each block's input at ``t, t - d, …, t - (K-1)d`` only. Each block
keeps its last ``(K-1)·d`` inputs in a ring buffer, written at slot
``t mod size`` and read at ``(t - j·d) mod size``, so one sample costs
O(layers) instead of O(receptive field · layers). The blocks' ring
buffers are rows of one flat buffer, read by one gather and written by
one scatter per sample (`run_steps`). The
loop is one `tf.while_loop` in one `tf.function` (the ``generate``
signature runs it in-graph, without XLA, so it exports and serves
anywhere); `fast_generate` compiles it with XLA by default, in chunks of
`CHUNK` samples so that one compilation serves any length.
"""
import weakref

import numpy as np
import tensorflow as tf

from gan_audio.models.wavenet.wavenet_conditioning import frame_conditions, sample_conditions
from gan_audio.models.wavenet.wavenet_pitch import SOURCE_CHANNELS, excitation_source, source_term
from gan_audio.models.wavenet.wavenet_requests import check_request, request_inputs
from gan_audio.models.wavenet.wavenet_sampling import sample_codes

#: `fast_generate`'s default: compile the loop with XLA (about 8× faster on CPU for a
#: 20-layer, 64-channel stack: ~7,500 vs ~1,000 samples/s for one stream).
JIT_COMPILE = True
#: Samples per call of the XLA loop (compiled once per number of streams).
CHUNK = 512
#: The export's endpoint running `fast_generate_codes_xla` (``generate`` runs the loop without XLA).
GENERATE_XLA = "generate_xla"

_FAST = weakref.WeakKeyDictionary()  # model -> {jit_compile: tf.function}
_NAIVE = weakref.WeakKeyDictionary()  # model -> tf.function


def checked_label(model, label):
    """Labels checked in-graph (also in a SavedModel): out of range is an error."""
    label = tf.cast(label, tf.int32)
    checks = [tf.debugging.assert_non_negative(label, message="label < 0"),
              tf.debugging.assert_less(label, model.num_classes,
                                       message=f"label >= num_classes ({model.num_classes})")]
    with tf.control_dependencies(checks):
        return tf.identity(label)


def _read(queue, position):
    return tf.gather(queue, tf.math.floormod(position, tf.shape(queue)[0]))


def _write(queue, position, value):
    slot = tf.math.floormod(position, tf.shape(queue)[0])
    return tf.tensor_scatter_nd_update(queue, tf.reshape(slot, [1, 1]), value[None])


def _conditions(model, label, num, check=True, mel=None):
    """Each block's condition term ``(num, 1 or F, 2 gate_channels)`` (labels broadcast,
    checked; F frames with local conditioning), or Nones."""
    if model.conditional:
        if label is None:
            raise ValueError(f"This WaveNet is conditional on {model.num_classes} classes: pass a label.")
        label = tf.reshape(label, [-1])
        label = tf.broadcast_to(checked_label(model, label) if check else label, tf.reshape(num, [1]))
    frames = frame_conditions(model, label, mel)
    if frames is None:
        return [None] * len(model.blocks)
    return [block.project_condition(frames) for block in model.blocks]


def _condition_at(model, condition, step):
    """A block's condition term at generation step `step` (output sample `step`) ``(num, 2G)``."""
    return None if condition is None else sample_conditions(model, condition, step, 1)[:, 0]


def buffer_layout(model):
    """Where each block's queue lives in the one flat buffer: ``(offsets, sizes)`` per block
    (block ``l`` owns rows ``offsets[l] … offsets[l] + sizes[l] - 1``, ``sizes[l] = (K-1)·d_l``)."""
    sizes = np.array([block.queue_size for block in model.blocks], np.int32)
    return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32), sizes


def initial_state(model, num):
    """``(step, code, code_queue, buffer)`` before the first sample: one sample of silence
    as input, empty queues (zeros, the causal convolutions' padding). All blocks' queues
    share one flat buffer ``(Σ (K-1)·d, num, residual_channels)`` (see `buffer_layout`)."""
    dtype = model.blocks[0].compute_dtype
    code_queue = tf.fill([max(model.input_kernel_size - 1, 1), num], -1)  # -1: before the start
    buffer = tf.zeros([int(buffer_layout(model)[1].sum()), num, model.residual_channels], dtype)
    return tf.constant(0), tf.fill([num], model.silence_code), code_queue, buffer


def generation_source(model, mel, num_samples):
    """A pitch-excited WaveNet's source for generated samples ``0 … num_samples - 1`` (a free-running
    pulse train, `wavenet_pitch`), or None for other WaveNets."""
    return excitation_source(model, tf.cast(mel, tf.float32), num_samples) if model.pitch_source else None


def run_steps(model, state, count, seed, temperature, conditions, source=None):
    """`count` samples from `state` by one `tf.while_loop`; returns ``(state, codes (num, count))``;
    `source` ``(num, count, 2)``: a pitch-excited WaveNet's for these samples (`generation_source`).

    Per step, every block's past taps are read from the flat buffer by one
    gather (they were all written at earlier steps, so the reads need not
    wait for the blocks of this step), the blocks run in order, and their
    inputs are written back by one scatter: two buffer ops per sample, not
    two per block.
    """
    embed, stop = model.input_embedding, state[0] + count
    offsets, sizes = buffer_layout(model)
    lags = [np.arange(block.kernel_size - 1, 0, -1) * block.dilation for block in model.blocks]
    read_rows = tf.constant(np.repeat(offsets, [len(lag) for lag in lags]), tf.int32)
    read_sizes = tf.constant(np.repeat(sizes, [len(lag) for lag in lags]), tf.int32)
    read_lags = tf.constant(np.concatenate(lags), tf.int32)
    first_tap = np.concatenate([[0], np.cumsum([len(lag) for lag in lags])])

    def body(step, code, code_queue, buffer, outputs):
        past = [_read(code_queue, step - lag) for lag in range(embed.kernel_size - 1, 0, -1)]
        x = embed.step(tf.stack(past + [code], axis=1))
        if source is not None:
            x = x + source_term(model, tf.gather(source, step - (stop - count), axis=1))  # not a slice: XLA
        if embed.kernel_size > 1:
            code_queue = _write(code_queue, step, code)
        taps = tf.gather(buffer, read_rows + tf.math.floormod(step - read_lags, read_sizes))  # (reads, num, C)
        skips, inputs = 0.0, []
        for l, (block, condition) in enumerate(zip(model.blocks, conditions)):
            inputs.append(x)
            block_taps = tf.concat([tf.transpose(taps[first_tap[l]:first_tap[l + 1]], [1, 0, 2]), x[:, None]], 1)
            x, skip = block.step(block_taps, _condition_at(model, condition, step))
            skips = skips + skip
        rows = tf.constant(offsets)[:, None] + tf.math.floormod(step, tf.constant(sizes))[:, None]
        buffer = tf.tensor_scatter_nd_update(buffer, rows, tf.stack(inputs))
        code = sample_codes(model.head(skips), temperature, seed, step)
        return step + 1, code, code_queue, buffer, outputs.write(step - (stop - count), code)

    outputs = tf.TensorArray(tf.int32, size=count, element_shape=tf.TensorShape([None]))
    *state, outputs = tf.while_loop(lambda step, *_: step < stop, body, (*state, outputs))
    return tuple(state), tf.transpose(outputs.stack())


def _request_checks(num_samples, num, temperature):
    """``(num_samples, num, in-graph asserts)`` of a generation request (also in a SavedModel)."""
    num_samples, num = tf.cast(num_samples, tf.int32), tf.cast(num, tf.int32)
    return num_samples, num, [tf.debugging.assert_positive(num_samples, message="`num_samples` must be > 0"),
                              tf.debugging.assert_positive(num, message="`num` must be > 0"),
                              tf.debugging.assert_positive(temperature, message="`temperature` must be > 0")]


def fast_generate_codes(model, num_samples, num, seed, temperature, label=None, mel=None):
    """In-graph fast generation (what the ``generate`` signature runs): ``(num, num_samples)`` codes.

    Args:
        model: a `WaveNet`.
        num_samples, num: int32 scalars (tensors or ints) >= 1.
        seed: int64 scalar. temperature: float32 scalar > 0.
        label: int32 ``(num,)`` or one label (broadcast), for a conditional model.
        mel: float32 ``(num, F, num_mel_bins)`` dB, for a locally conditioned model.
    """
    num_samples, num, checks = _request_checks(num_samples, num, temperature)
    with tf.control_dependencies(checks):
        num_samples, num = tf.identity(num_samples), tf.identity(num)
    conditions = _conditions(model, label, num, mel=mel)
    source = generation_source(model, mel, num_samples)
    return run_steps(model, initial_state(model, num), num_samples, seed, temperature, conditions, source)[1]


def _fast_function(model, jit_compile):
    """The loop as one `tf.function`. XLA needs the loop length at compile time, so
    the XLA version runs `CHUNK` samples per call from a state it returns (compiled
    once per `num`), the plain one any `num_samples` in one call."""
    functions = _FAST.setdefault(model, {})
    if jit_compile not in functions:
        label_spec = tf.TensorSpec((None,), tf.int32)
        mel_spec = tf.TensorSpec((None, None, model.num_mel_bins), tf.float32)
        scalars = [tf.TensorSpec((), tf.int64), tf.TensorSpec((), tf.float32), label_spec, mel_spec]
        if jit_compile:
            def chunk(state, seed, temperature, label, mel, source):  # source: `generation_source` or unused
                conditions = _conditions(model, label if model.conditional else None, tf.shape(label)[0],
                                         check=False,  # checked in Python (XLA drops asserts)
                                         mel=mel if model.local_conditioning else None)
                return run_steps(model, state, CHUNK, seed, temperature, conditions,
                                 source if model.pitch_source else None)

            functions[jit_compile] = tf.function(chunk, jit_compile=True)
        else:
            def run(num_samples, seed, temperature, label, mel):
                return fast_generate_codes(model, num_samples, tf.shape(label)[0], seed, temperature,
                                           label if model.conditional else None,
                                           mel if model.local_conditioning else None)

            functions[jit_compile] = tf.function(run, input_signature=[tf.TensorSpec((), tf.int32)] + scalars)
    return functions[jit_compile]


def fast_generate(model, num_samples, num=1, label=None, temperature=1.0, seed=0, jit_compile=None, mel=None):
    """``(num, num_samples)`` int32 codes by the queued loop (a compiled `tf.function`).

    Args:
        model: a `WaveNet`.
        num_samples: int >= 1, samples per stream. num: int >= 1, streams.
        label: an int or one per stream (conditional models only).
        temperature: float > 0. seed: int.
        mel: ``(num, F, num_mel_bins)`` dB frames (locally conditioned models only).
        jit_compile: bool or None (`JIT_COMPILE`): compile the loop with XLA. XLA's
            float rounding differs from TensorFlow's kernels in the last bits, so a
            sample may rarely differ from the plain loop's (and an export's).
    """
    labels = check_request(model, num_samples, num, label, temperature, seed, mel)
    labels, mel = request_inputs(model, num, labels, mel)
    seed, temperature = tf.constant(seed, tf.int64), tf.constant(temperature, tf.float32)
    jit_compile = JIT_COMPILE if jit_compile is None else bool(jit_compile)
    run = _fast_function(model, jit_compile)
    if not jit_compile:
        return run(tf.constant(num_samples, tf.int32), seed, temperature, labels, mel).numpy()
    state, chunks, count = initial_state(model, num), [], -(-num_samples // CHUNK)
    source = _chunk_source(model, mel, count * CHUNK, num)
    for i in range(count):
        state, codes = run(state, seed, temperature, labels, mel, _chunk(model, source, i))
        chunks.append(codes.numpy())
    return np.concatenate(chunks, axis=1)[:, :num_samples]


def _chunk_source(model, mel, num_samples, num):
    """`generation_source`, or one row of zeros (ignored) for WaveNets without one."""
    source = generation_source(model, mel, num_samples)
    return tf.zeros([num, 1, SOURCE_CHANNELS]) if source is None else source


def _chunk(model, source, index):
    """Chunk `index`'s slice of `_chunk_source` (a fixed shape: XLA compiles once)."""
    return source[:, index * CHUNK: (index + 1) * CHUNK] if model.pitch_source else source


def naive_generate(model, num_samples, num=1, label=None, temperature=1.0, seed=0, mel=None):
    """``(num, num_samples)`` int32 codes, re-running the model on the last receptive field of
    codes for every sample (the reference `fast_generate` must equal; slow)."""
    labels = check_request(model, num_samples, num, label, temperature, seed, mel)
    if model not in _NAIVE:
        def last_logits(codes, label, mel, start, source):  # window position h predicts output sample `start + h`
            return model(codes, label if model.conditional else None, mel if model.local_conditioning else None,
                         start=start, source=source if model.pitch_source else None)[:, -1]

        _NAIVE[model] = tf.function(last_logits, input_signature=[
            tf.TensorSpec((None, None), tf.int32), tf.TensorSpec((None,), tf.int32),
            tf.TensorSpec((None, None, model.num_mel_bins), tf.float32), tf.TensorSpec((), tf.int32),
            tf.TensorSpec((None, None, SOURCE_CHANNELS), tf.float32)])
    labels, mel = request_inputs(model, num, labels, mel)
    source = _chunk_source(model, mel, num_samples, num)
    history = np.full((num, num_samples + 1), model.silence_code, np.int32)  # silence, then the samples
    for step in range(num_samples):
        first = max(0, step + 1 - model.receptive_field)
        window = source[:, first: step + 1] if model.pitch_source else source
        logits = _NAIVE[model](tf.constant(history[:, first: step + 1]), labels, mel, tf.constant(first, tf.int32),
                               window)
        history[:, step + 1] = sample_codes(logits, temperature, seed, step)
    return history[:, 1:]


def fast_generate_codes_xla(model, num_samples, num, seed, temperature, label=None, mel=None):
    """`fast_generate_codes` with the loop body compiled by XLA, in-graph (the ``generate_xla`` signature).

    An outer `tf.while_loop` (plain TensorFlow) runs the XLA-compiled `CHUNK`-sample loop of
    `fast_generate` until `num_samples` are made, so one export serves any length and XLA
    compiles once per number of streams. Requests are checked in the outer graph (XLA drops
    asserts). Same arguments and draws as `fast_generate_codes`; where a server cannot compile
    (TF Serving needs ``--xla_cpu_compilation_enabled=true``) the ``generate`` signature runs
    the same loop without XLA.
    """
    num_samples, num, checks = _request_checks(num_samples, num, temperature)
    labels = tf.zeros([num], tf.int32) if label is None else tf.broadcast_to(tf.reshape(label, [-1]), [num])
    if model.conditional:
        labels = checked_label(model, labels)
    mel = tf.zeros([num, 1, model.num_mel_bins], tf.float32) if mel is None else tf.cast(mel, tf.float32)
    with tf.control_dependencies(checks):
        chunks = (num_samples + CHUNK - 1) // CHUNK
    run = _fast_function(model, True)
    seed, temperature = tf.cast(seed, tf.int64), tf.cast(temperature, tf.float32)
    source = _chunk_source(model, mel, chunks * CHUNK, num)

    def body(i, state, outputs):
        state, codes = run(state, seed, temperature, labels, mel, _chunk(model, source, i))
        return i + 1, state, outputs.write(i, tf.transpose(codes))

    outputs = tf.TensorArray(tf.int32, size=chunks, element_shape=tf.TensorShape([CHUNK, None]))
    _, _, outputs = tf.while_loop(lambda i, *_: i < chunks, body, (0, initial_state(model, num), outputs))
    return tf.transpose(outputs.concat())[:, :num_samples]
