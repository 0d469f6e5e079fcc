"""Test sets that ask whether a classifier judges the word and nothing else.

- `move_words`: the same clips with each word moved to the start or the end
  of its clip (alternately): position must not matter.
- `resynthesize`: the same clips rebuilt from their log-mel spectrogram by
  Griffin-Lim (as every spectrogram GAN's audio is): the synthesis method
  must not matter.
- voices a classifier never heard come from a speaker split
  (`gan_audio.data.speaker_split`) or `scripts/make_unseen_voices.py`.
"""
import numpy as np

#: The analysis spectrogram GANs of the zoo decode through (DenseGAN `default`).
GRIFFIN_LIM = {"sample_rate": 16000, "frame_length": 1024, "frame_step": 256, "num_mel_bins": 64}


def word_extent(clip, threshold=1e-3):
    """``(first, last + 1)`` samples of a clip above `threshold` (relative to its peak)."""
    loud = np.flatnonzero(np.abs(clip) > threshold * max(float(np.max(np.abs(clip))), 1e-12))
    return (0, len(clip)) if loud.size == 0 else (int(loud[0]), int(loud[-1]) + 1)


def move_words(clips):
    """Each word moved to the start (even rows) or the end (odd rows) of its clip."""
    clips = np.asarray(clips, np.float32)
    out = np.zeros_like(clips)
    for i, clip in enumerate(clips):
        first, last = word_extent(clip)
        word = clip[first:last]
        start = 0 if i % 2 == 0 else clips.shape[1] - len(word)
        out[i, start:start + len(word)] = word
    return out


def resynthesize(clips, iterations=32, batch_size=50, **analysis):
    """Clips → log-mel dB → Griffin-Lim, padded back to their length.

    Args:
        clips: ``(N, S)`` float waveforms.
        iterations: Griffin-Lim iterations. Defaults to 32 (the codecs' default).
        **analysis: `LogMelSpectrogram`/`GriffinLim` settings; default `GRIFFIN_LIM`.
    """
    from gan_audio.features import GriffinLim, LogMelSpectrogram

    settings = {**GRIFFIN_LIM, **analysis}
    log_mel, griffin_lim = LogMelSpectrogram(**settings), GriffinLim(**settings, iterations=iterations)
    clips = np.asarray(clips, np.float32)
    out = np.zeros_like(clips)
    for start in range(0, len(clips), batch_size):
        audio = np.asarray(griffin_lim(log_mel(clips[start:start + batch_size])))
        out[start:start + len(audio), : audio.shape[1]] = audio[:, : clips.shape[1]]
    return out


def accuracy(model, clips, labels, batch_size=100):
    """Fraction of `clips` whose predicted label (``serve(waveform)["label"]``) is `labels`."""
    predicted = np.concatenate([np.asarray(model.serve(waveform=clips[i:i + batch_size])["label"])
                                for i in range(0, len(clips), batch_size)])
    return float(np.mean(predicted == np.asarray(labels)))
