"""The judge's architecture: a word classifier on aligned log-mels."""
from gan_audio.models.classifier.classifier import WordClassifier

__all__ = ["WordClassifier"]
