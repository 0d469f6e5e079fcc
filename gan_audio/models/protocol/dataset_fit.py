"""`fit` on `tf.data` without Keras' "shuffle is ignored" warning."""
import tensorflow as tf

from gan_audio.models.protocol.multi_worker import MultiWorkerFitMixin


class DatasetFitMixin(MultiWorkerFitMixin):
    """For every family's model (GAN or not): a `tf.data.Dataset` is fitted in
    its own order (the pipeline shuffles itself, seeded), so Keras' `shuffle`
    argument is off for it instead of warning on every `fit`."""

    def fit(self, x=None, y=None, **kwargs):
        if isinstance(x, tf.data.Dataset):
            kwargs.setdefault("shuffle", False)
        return super().fit(x, y, **kwargs)
