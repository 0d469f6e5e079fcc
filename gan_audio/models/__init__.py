"""Model families of the zoo."""
from gan_audio.models.adversarial.adversarial_model import AdversarialModel
from gan_audio.models.classifier.classifier import WordClassifier
from gan_audio.models.dense_gan.dense_gan import DenseGAN
from gan_audio.models.adversarial.gan import GAN
from gan_audio.models.gcdg.gcdg import GCDG
from gan_audio.models.sgan.sgan import SemiSupervisedGAN
from gan_audio.models.sgan.sgan_classifier import SGANClassifier
from gan_audio.models.spec_gan.spec_gan import SpecGAN
from gan_audio.models.adversarial.spectrogram_gan import SpectrogramGAN
from gan_audio.models.vocoder.vocoder import Vocoder
from gan_audio.models.wavenet.wavenet import WaveNet
from gan_audio.models.mask_denoiser.mask_denoiser import SpectralMaskDenoiser
from gan_audio.models.wavenet_denoiser.wavenet_denoiser import WaveNetDenoiser

__all__ = ["AdversarialModel", "GAN", "SpectrogramGAN", "DenseGAN", "SemiSupervisedGAN", "SGANClassifier", "SpecGAN", "Vocoder", "WordClassifier",
           "GCDG", "SpectralMaskDenoiser", "WaveNet", "WaveNetDenoiser"]
