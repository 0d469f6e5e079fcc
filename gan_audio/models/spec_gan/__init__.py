"""Article 2: a Conv2D GAN on log-mel images."""
from gan_audio.models.spec_gan.spec_gan import SpecGAN

__all__ = ["SpecGAN"]
