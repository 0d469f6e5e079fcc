"""What can go wrong with an audio file, and what is known about a readable one."""
import collections


class AudioFileError(ValueError):
    """A file (or folder) that cannot be used as audio: ``"<path>: <reason>"``.

    Args:
        path: the offending file or folder. reason: what is wrong with it.

    Example:
        >>> str(AudioFileError("a.wav", "empty file (0 bytes)"))
        'a.wav: empty file (0 bytes)'
    """

    def __init__(self, path, reason):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


#: What soundfile reports about a readable file (used to pick the decoder).
AudioInfo = collections.namedtuple("AudioInfo", "sample_rate channels frames format subtype")
