"""Article 1: a semi-supervised GAN whose discriminator classifies words from a few labels."""
from gan_audio.models.sgan.sgan import SemiSupervisedGAN

__all__ = ["SemiSupervisedGAN"]
