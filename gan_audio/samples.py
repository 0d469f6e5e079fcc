"""Writing generated audio where people can listen to it and look at it."""
import os

import numpy as np
import soundfile as sf


def write_wav(path, waveform, sample_rate):
    """Writes a mono waveform in [-1, 1] as 16-bit PCM WAV; returns `path`."""
    waveform = np.asarray(waveform, dtype="float32").reshape(-1)
    if not np.all(np.isfinite(waveform)):
        raise ValueError(f"Refusing to write {path}: the waveform has NaN or inf samples.")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    sf.write(path, np.clip(waveform, -1.0, 1.0), int(sample_rate), subtype="PCM_16")
    return path


def plot_spectrograms(log_mels, path=None, titles=None, frame_step=None, sample_rate=None):
    """Draws log-mel spectrograms (dB, `(N, frames, mels)`) side by side.

    Returns the matplotlib figure; saves it as PNG when `path` is given.
    The time axis is in seconds when `frame_step` and `sample_rate` are.
    """
    import matplotlib

    if path is not None:
        matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    log_mels = np.asarray(log_mels)
    if log_mels.ndim == 2:
        log_mels = log_mels[None]
    count = len(log_mels)
    fig, axes = plt.subplots(1, count, figsize=(2.6 * count + 0.8, 2.6), squeeze=False)
    vmin, vmax = float(np.min(log_mels)), float(np.max(log_mels))
    for i, (ax, mel) in enumerate(zip(axes[0], log_mels)):
        extent = None
        if frame_step and sample_rate:
            extent = [0, mel.shape[0] * frame_step / sample_rate, 0, mel.shape[1]]
        image = ax.imshow(mel.T, origin="lower", aspect="auto", vmin=vmin, vmax=vmax, extent=extent)
        ax.set_title(titles[i] if titles else f"#{i}", fontsize=9)
        ax.set_xlabel("s" if extent else "frame", fontsize=8)
        if i == 0:
            ax.set_ylabel("mel bin", fontsize=8)
    fig.colorbar(image, ax=list(axes[0]), label="dB", fraction=0.03)
    if path is not None:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        fig.savefig(path, dpi=80)
        plt.close(fig)
    return fig


def write_samples(out_dir, outputs, sample_rate, frame_step=None, names=None):
    """Writes `outputs` (`{"waveform": (N, S), "log_mel": (N, T, M)}`).

    One WAV per sample (`sample_XX.wav` or `names`) and, when log-mels are
    present, `spectrograms.png`. Returns the list of written paths.
    """
    waveforms = np.asarray(outputs["waveform"])
    names = names or [f"sample_{i:02d}" for i in range(len(waveforms))]
    paths = [write_wav(os.path.join(out_dir, f"{n}.wav"), w, sample_rate) for n, w in zip(names, waveforms)]
    if "log_mel" in outputs:
        png = os.path.join(out_dir, "spectrograms.png")
        plot_spectrograms(outputs["log_mel"], png, titles=names, frame_step=frame_step, sample_rate=sample_rate)
        paths.append(png)
    return paths
