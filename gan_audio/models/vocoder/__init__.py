"""Article 2: a GAN vocoder, log-mel → waveform (Fourier and HiFi-GAN heads, multi-period and multi-
resolution discriminators)."""
from gan_audio.models.vocoder.vocoder import Vocoder

__all__ = ["Vocoder"]
