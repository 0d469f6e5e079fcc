"""Article 3: a waveform texture GAN with gradient, contrastive and directional terms; textures of any
length."""
from gan_audio.models.gcdg.gcdg import GCDG

__all__ = ["GCDG"]
