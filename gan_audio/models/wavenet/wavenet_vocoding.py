"""A log-mel-conditioned WaveNet as a vocoder: the endpoints and metadata of the ``vocode`` task.

A `WaveNet` with ``local_conditioning`` and no label is a vocoder: it serves
the contract every vocoder of the zoo serves (`gan_audio.models.Vocoder`'s),
so ``gan-audio vocode``, ``gan-audio generate --vocoder`` and
``benchmarks/vocoder.py`` take it as they take a GAN vocoder:

- ``serving_default``: ``mel (B, F, M)`` dB → ``{"waveform": (B, (F - 1) · hop + window)}``, the
  span the frames cover, drawn by the fast loop without XLA (any TF Serving build);
- ``resynthesize``: ``waveform (B, S)`` → its log-mel → ``{"waveform": (B, S), "log_mel"}``, by
  the XLA-compiled loop (the ``generate_xla`` route: the same draws, about ten times faster);
- ``likelihood``: what ``serving_default`` is for other WaveNets (next-code probabilities and
  bits per sample of a waveform given its own log-mel).

Codes are drawn at the model's ``vocode_temperature`` from seed ``VOCODE_SEED``, so the same
log-mel always gives the same audio, from the model and from its export; ``generate`` (``mel``,
``num_samples``, ``seed``, ``temperature``) draws other takes.
"""
import tensorflow as tf

from gan_audio.features.codec import LogMelCodec
from gan_audio.models.wavenet import wavenet_generation
from gan_audio.models.wavenet.wavenet_conditioning import mel_of
from gan_audio.serving import RESYNTHESIZE, SERVING_DEFAULT

#: The endpoint that serves a vocoder WaveNet's likelihood (other WaveNets serve it as ``serving_default``).
LIKELIHOOD = "likelihood"
#: The seed of a vocoder WaveNet's ``serving_default`` and ``resynthesize`` draws.
VOCODE_SEED = 0


def is_vocoder(model):
    """Whether the WaveNet is a vocoder: conditioned on log-mel frames and on nothing else."""
    return model.local_conditioning and not model.conditional


def vocode_mel(model, mel, num_samples=None, jit_compile=False):
    """Log-mel frames ``(B, F, M)`` dB → ``{"waveform": (B, num_samples)}``; by default the
    ``(F - 1) · frame_step + window`` samples the frames cover."""
    mel = tf.convert_to_tensor(mel, tf.float32)
    if num_samples is None:
        num_samples = (tf.shape(mel)[1] - 1) * model.frame_step + model.mel_frame_length
    run = wavenet_generation.fast_generate_codes_xla if jit_compile else wavenet_generation.fast_generate_codes
    codes = run(model, num_samples, tf.shape(mel)[0], tf.constant(VOCODE_SEED, tf.int64),
                tf.constant(model.vocode_temperature, tf.float32), None, mel)
    return {"waveform": model.decode(codes, mel)}


def resynthesize(model, waveform):
    """waveform ``(B, S)`` → its log-mel → ``{"waveform" (B, S), "log_mel"}`` (XLA-compiled loop)."""
    waveform = tf.convert_to_tensor(waveform, tf.float32)
    mel = mel_of(model, waveform)
    return {**vocode_mel(model, mel, tf.shape(waveform)[1], jit_compile=True), "log_mel": mel}


def vocoder_endpoints(model, found):
    """`found` (the WaveNet's endpoints) with the vocoder contract: ``serving_default`` becomes
    ``mel → waveform``, the likelihood moves to ``likelihood``, and ``resynthesize`` is added."""
    mel = {"mel": tf.TensorSpec((None, None, model.num_mel_bins), tf.float32, name="mel")}
    waveform = {"waveform": tf.TensorSpec((None, None), tf.float32, name="waveform")}
    return {**found, LIKELIHOOD: found[SERVING_DEFAULT],
            SERVING_DEFAULT: (lambda mel: vocode_mel(model, mel), mel),
            RESYNTHESIZE: (lambda waveform: resynthesize(model, waveform), waveform)}


def vocoder_metadata(model):
    """What a caller of the vocoder needs: the analysis its log-mel must match (`check_analysis`)."""
    analysis = {key: getattr(model.log_mel, key) for key in LogMelCodec.ANALYSIS_KEYS}
    return {"analysis": analysis, "vocode_temperature": model.vocode_temperature, "vocode_seed": VOCODE_SEED,
            "endpoints": {SERVING_DEFAULT: "mel (dB) → waveform", RESYNTHESIZE: "waveform → waveform",
                          LIKELIHOOD: "waveform → next-code probabilities, bits per sample"}}
