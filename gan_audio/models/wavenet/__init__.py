"""Article 5: a causal dilated WaveNet with fast ring-buffer generation."""
from gan_audio.models.wavenet.wavenet import WaveNet

__all__ = ["WaveNet"]
