"""Model families of the zoo."""
from gan_audio.models.adversarial_model import AdversarialModel
from gan_audio.models.classifier import WordClassifier
from gan_audio.models.dense_gan import DenseGAN
from gan_audio.models.gan import GAN
from gan_audio.models.gcdg import GCDG
from gan_audio.models.sgan import SemiSupervisedGAN
from gan_audio.models.sgan_classifier import SGANClassifier
from gan_audio.models.spec_gan import SpecGAN
from gan_audio.models.spectrogram_gan import SpectrogramGAN
from gan_audio.models.vocoder import Vocoder
from gan_audio.models.wavenet import WaveNet
from gan_audio.models.mask_denoiser import SpectralMaskDenoiser
from gan_audio.models.wavenet_denoiser import WaveNetDenoiser

__all__ = ["AdversarialModel", "GAN", "SpectrogramGAN", "DenseGAN", "SemiSupervisedGAN", "SGANClassifier", "SpecGAN", "Vocoder", "WordClassifier",
           "GCDG", "SpectralMaskDenoiser", "WaveNet", "WaveNetDenoiser"]
