"""Decoding what libsndfile cannot: G.722, GSM, AAC/M4A, AMR, WMA, WebM, ... by FFmpeg.

`load_audio` reads WAV/FLAC/OGG/MP3/AIFF with soundfile; files of the
`FFMPEG_EXTENSIONS` (and files soundfile refuses) are decoded here, by PyAV
(``pip install av``: a wheel that bundles its own FFmpeg) or, without it, by
an ``ffmpeg`` program on the ``PATH`` (e.g. Debian's ``ffmpeg`` package).
Both give float32 samples in [-1, 1] at the file's own rate; problems are
raised as `AudioFileError` naming the file.

Example:
    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "tone.m4a")
    >>> encode_with_ffmpeg(path, 0.5 * np.sin(np.arange(8000) / 5.0), 16000)  # doctest: +SKIP
    >>> audio, info = decode_with_ffmpeg(path)  # doctest: +SKIP
    >>> info.sample_rate, audio.shape[1]  # doctest: +SKIP
    (16000, 1)
"""
import importlib.util
import os
import shutil
import subprocess

import numpy as np

from gan_audio.data.errors import AudioFileError, AudioInfo

#: Extensions decoded by FFmpeg (libsndfile reads none of them).
FFMPEG_EXTENSIONS = (".3gp", ".722", ".aac", ".amr", ".g722", ".gsm", ".m4a", ".m4b", ".mka", ".mkv", ".mp4",
                     ".opus", ".webm", ".wma")


def ffmpeg_backend():
    """``"av"`` (PyAV importable), ``"ffmpeg"`` (the program is on the PATH) or None."""
    if importlib.util.find_spec("av") is not None:
        return "av"
    return "ffmpeg" if shutil.which("ffmpeg") else None


def _decode_av(path):
    import av

    try:
        with av.open(path) as container:
            if not container.streams.audio:
                raise AudioFileError(path, "no audio stream in the file")
            stream = container.streams.audio[0]
            if stream.codec_context is None or not stream.codec_context.sample_rate:  # e.g. an MP4 cut short
                raise AudioFileError(path, "not a readable audio file (FFmpeg: no decoder for its audio stream)")
            rate = stream.codec_context.sample_rate
            # One layout and format for every frame: packed float32, the stream's channels.
            resampler = av.AudioResampler(format="flt", layout=stream.codec_context.layout.name, rate=rate)
            chunks = []
            for frame in list(container.decode(stream)) + [None]:  # None flushes the resampler
                chunks += [out.to_ndarray().reshape(-1, len(out.layout.channels)) for out in resampler.resample(frame)]
            codec = stream.codec_context.name
    except AudioFileError:
        raise
    except (av.error.FFmpegError, ValueError, OSError) as error:
        raise AudioFileError(path, f"not a readable audio file (FFmpeg: {error})") from None
    channels = chunks[0].shape[1] if chunks else 1
    audio = np.concatenate(chunks) if chunks else np.zeros((0, channels), np.float32)
    return audio.astype(np.float32, copy=False), AudioInfo(int(rate), channels, len(audio), "FFMPEG", codec)


def _probe_cli(path):
    command = ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
               "stream=sample_rate,channels,codec_name", "-of", "default=noprint_wrappers=1", path]
    done = subprocess.run(command, capture_output=True, text=True)
    fields = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    if done.returncode or "sample_rate" not in fields:
        reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "no audio stream"
        raise AudioFileError(path, f"not a readable audio file (ffprobe: {reason})")
    return int(fields["sample_rate"]), int(fields.get("channels", 1)), fields.get("codec_name", "")


def _decode_cli(path):
    rate, channels, codec = _probe_cli(path)
    command = ["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-map", "0:a:0", "-f", "f32le", "-acodec",
               "pcm_f32le", "-ac", str(channels), "-ar", str(rate), "-"]
    done = subprocess.run(command, capture_output=True)
    if done.returncode:
        reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["failed"]
        raise AudioFileError(path, f"not a readable audio file (ffmpeg: {reason[0]})")
    audio = np.frombuffer(done.stdout, dtype="<f4").reshape(-1, channels)
    return audio.astype(np.float32), AudioInfo(rate, channels, len(audio), "FFMPEG", codec)


def probe_with_ffmpeg(path, backend=None):
    """`AudioInfo` of `path` from its container and stream headers, without decoding the audio (``frames``
    from the stream's duration, -1 when the file does not say it).

    Raises:
        AudioFileError: no FFmpeg, or no audio stream FFmpeg can decode.
    """
    path = os.fspath(path)
    backend = backend or ffmpeg_backend()
    if backend is None:
        raise AudioFileError(path, "decoding this format needs FFmpeg: `pip install av` (PyAV bundles it) "
                             "or install the ffmpeg program")
    if backend == "ffmpeg":
        rate, channels, codec = _probe_cli(path)
        return AudioInfo(rate, channels, -1, "FFMPEG", codec)
    import av

    try:
        with av.open(path) as container:
            if not container.streams.audio:
                raise AudioFileError(path, "no audio stream in the file")
            stream = container.streams.audio[0]
            context = stream.codec_context
            if context is None or not context.sample_rate:
                raise AudioFileError(path, "not a readable audio file (FFmpeg: no decoder for its audio stream)")
            seconds = (float(stream.duration * stream.time_base) if stream.duration is not None
                       else (container.duration / 1e6 if container.duration else None))
            frames = int(round(seconds * context.sample_rate)) if seconds else -1
            return AudioInfo(int(context.sample_rate), len(context.layout.channels), frames, "FFMPEG", context.name)
    except AudioFileError:
        raise
    except (av.error.FFmpegError, ValueError, OSError) as error:
        raise AudioFileError(path, f"not a readable audio file (FFmpeg: {error})") from None


def decode_with_ffmpeg(path, backend=None):
    """Decode `path` with FFmpeg → ``(samples (frames, channels) float32, AudioInfo)``.

    Args:
        path: the file.
        backend: ``"av"``, ``"ffmpeg"`` or None (`ffmpeg_backend`: PyAV when installed).

    Raises:
        AudioFileError: neither PyAV nor ffmpeg is available, or FFmpeg cannot decode the file.
    """
    path = os.fspath(path)
    backend = backend or ffmpeg_backend()
    if backend is None:
        raise AudioFileError(path, "decoding this format needs FFmpeg: `pip install av` (PyAV bundles it) "
                             "or install the ffmpeg program")
    if backend not in ("av", "ffmpeg"):
        raise ValueError(f"backend must be 'av', 'ffmpeg' or None, got {backend!r}")
    return _decode_av(path) if backend == "av" else _decode_cli(path)


def encode_with_ffmpeg(path, audio, sample_rate, codec=None):
    """Write mono float `audio` to `path` in the format its extension names (PyAV); for tests and scripts.

    An encoder PyAV's own FFmpeg lacks (GSM: the PyAV wheels have no libgsm), or no PyAV at all, is
    left to the ``ffmpeg`` program when it is on the ``PATH``.

    Args:
        path: the output file (``.g722``, ``.gsm``, ``.m4a``, ``.mp3``, ...).
        audio: 1-D samples in [-1, 1]. sample_rate: their rate (Hz).
        codec: FFmpeg encoder name; None takes the container's default.
    """
    audio = np.asarray(audio, dtype=np.float32).reshape(1, -1)
    try:
        import av
        from av.codec.codec import UnknownCodecError
    except ImportError:
        return _encode_cli(path, audio, sample_rate, codec)
    try:
        with av.open(os.fspath(path), "w") as container:
            stream = container.add_stream(codec or container.default_audio_codec, rate=int(sample_rate),
                                          layout="mono")
            encoder = stream.codec_context
            if encoder.name in ("wmav1", "wmav2") and not encoder.bit_rate:
                encoder.bit_rate = 128000  # they refuse to open without one (the ffmpeg program's default)
            resampler = av.AudioResampler(format=encoder.format.name, layout="mono", rate=encoder.sample_rate)
            frame = av.AudioFrame.from_ndarray(audio, format="flt", layout="mono")
            frame.sample_rate = int(sample_rate)
            for converted in resampler.resample(frame) + resampler.resample(None):
                for packet in stream.encode(converted):
                    container.mux(packet)
            for packet in stream.encode(None):
                container.mux(packet)
    except UnknownCodecError:
        if not shutil.which("ffmpeg"):
            raise
        _encode_cli(path, audio, sample_rate, codec)


def _encode_cli(path, audio, sample_rate, codec):
    command = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "f32le", "-ar", str(int(sample_rate)), "-ac", "1",
               "-i", "-", *(["-acodec", codec] if codec else []), os.fspath(path)]
    done = subprocess.run(command, input=audio.astype("<f4").tobytes(), capture_output=True)
    if done.returncode:
        raise RuntimeError(f"{path}: ffmpeg could not encode it: {done.stderr.decode(errors='replace').strip()}")
