"""A spectral-mask denoiser: a dilated conv net puts a gain on every STFT bin."""
from gan_audio.models.mask_denoiser.mask_denoiser import SpectralMaskDenoiser

__all__ = ["SpectralMaskDenoiser"]
