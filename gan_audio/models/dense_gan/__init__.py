"""Articles 1 and 4: dense GANs on log-mel patches."""
from gan_audio.models.dense_gan.dense_gan import DenseGAN

__all__ = ["DenseGAN"]
