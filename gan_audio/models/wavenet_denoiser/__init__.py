"""Article 5 on noisy data: a non-causal WaveNet denoiser."""
from gan_audio.models.wavenet_denoiser.wavenet_denoiser import WaveNetDenoiser

__all__ = ["WaveNetDenoiser"]
