"""SpecGAN's networks: a Conv2D generator and discriminator on log-mel images."""
import keras
import tensorflow as tf

from gan_audio.layers import SpectralNormalization
from gan_audio.replica_draws import local_batch_draw
from gan_audio.time_windows import windows


def _activation(name, prefix):
    if name == "leaky_relu":
        return keras.layers.LeakyReLU(negative_slope=0.2, name=prefix)
    return keras.layers.Activation(name, name=prefix)


def build_conv_generator(latent_dim, frames, num_mel_bins, filters, kernel_size, activation, batch_norm,
                         final_kernel, num_classes, label_embedding_dim, name="generator"):
    """noise [+ label] → Dense → ``(T/2^n, M/2^n, filters[0])`` → n × (Conv2DTranspose
    stride 2 → [BatchNorm] → activation) → Conv2D(1, final_kernel) → tanh → ``(T, M)``.

    With `num_classes`, a learned label embedding is concatenated to the noise.
    """
    steps = len(filters)
    height, width = frames // 2**steps, num_mel_bins // 2**steps
    noise = keras.Input((latent_dim,), name="noise")
    inputs, x = [noise], noise
    if num_classes:
        label = keras.Input((), dtype="int32", name="label")
        embedded = keras.layers.Embedding(num_classes, label_embedding_dim, name="label_embedding")(label)
        x = keras.layers.Concatenate(name="noise_and_label")([noise, embedded])
        inputs.append(label)
    x = keras.layers.Dense(height * width * filters[0], use_bias=not batch_norm, name="project")(x)
    x = keras.layers.Reshape((height, width, filters[0]), name="reshape")(x)
    if batch_norm:
        x = keras.layers.BatchNormalization(synchronized=True, name="project_batch_norm")(x)
    x = _activation(activation, "project_activation")(x)
    for i, width_i in enumerate(filters):
        x = keras.layers.Conv2DTranspose(width_i, kernel_size, strides=2, padding="same", use_bias=not batch_norm,
                                         name=f"up_{i}")(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(synchronized=True, name=f"batch_norm_{i}")(x)
        x = _activation(activation, f"activation_{i}")(x)
    x = keras.layers.Conv2D(1, final_kernel, padding="same", name="to_log_mel")(x)
    x = keras.layers.Activation("tanh", name="tanh", dtype="float32")(x)
    x = keras.layers.Reshape((frames, num_mel_bins), name="log_mel")(x)
    return keras.Model(inputs if num_classes else noise, x, name=name)


def build_conv_discriminator(frames, num_mel_bins, filters, kernel_size, batch_norm, spectral_norm, head,
                             num_classes, auxiliary_classifier=False, name="discriminator"):
    """``(T, M)`` [+ label] → n × (Conv2D stride 2 → [BatchNorm] → LeakyReLU 0.2) → head → logit.

    Heads: ``"article"`` (Conv2D(1, 7×7) → Flatten → Dense(1), article 2's),
    ``"projection"`` (sum over positions h → ``w·h + embed(y)·h``, Miyato &
    Koyama 2018; without classes only ``w·h``). With `auxiliary_classifier`,
    D also returns K class logits ``c(h)`` (AC-GAN, Odena et al. 2017):
    ``{"logits", "class_logits"}``. Spectral normalisation
    (`gan_audio.layers.SpectralNormalization`, the gradient through σ) wraps
    every convolution and the dense layer when `spectral_norm` (not the class
    embedding, which has no kernel to normalise).
    """
    def wrap(layer):
        return SpectralNormalization(layer, name=f"sn_{layer.name}") if spectral_norm else layer

    image = keras.Input((frames, num_mel_bins), name="log_mel")
    x = keras.layers.Reshape((frames, num_mel_bins, 1), name="add_channel")(image)
    for i, width in enumerate(filters):
        x = wrap(keras.layers.Conv2D(width, kernel_size, strides=2, padding="same", name=f"conv_{i}"))(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(synchronized=True, name=f"batch_norm_{i}")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2, name=f"leaky_relu_{i}")(x)
    inputs = [image]
    if head == "article":
        x = keras.layers.Conv2D(1, 7, padding="same", name="conv_out")(x)
        logit = keras.layers.Dense(1, name="logit", dtype="float32")(keras.layers.Flatten(name="flatten")(x))
    else:
        pooled = keras.layers.GlobalAveragePooling2D(name="pool")(x)
        logit = wrap(keras.layers.Dense(1, name="logit", dtype="float32"))(pooled)
        if num_classes:
            label = keras.Input((), dtype="int32", name="label")
            embedded = keras.layers.Embedding(num_classes, filters[-1], name="class_embedding")(label)
            projection = keras.layers.Dot(axes=-1, name="projection", dtype="float32")([embedded, pooled])
            logit = keras.layers.Add(name="logit_plus_projection", dtype="float32")([logit, projection])
            inputs.append(label)
        if auxiliary_classifier:
            logit = {"logits": logit,
                     "class_logits": wrap(keras.layers.Dense(num_classes, name="class_logits", dtype="float32"))(pooled)}
    return keras.Model(inputs if len(inputs) > 1 else image, logit, name=name)


def translate(images, max_shift, seed):
    """DiffAugment's translation along time (Zhao et al. 2020): each image of
    ``(B, T, M)`` shifted by a random whole number of frames in
    ``[-max_shift, max_shift]``, filled with -1 (silence in the [-1, 1] range).
    Differentiable in `images`; applied alike to real and generated images."""
    batch, frames = tf.shape(images)[0], tf.shape(images)[1]
    shifts = local_batch_draw(lambda n: keras.random.randint((n,), -max_shift, max_shift + 1, seed=seed), batch)
    return windows(images, -tf.cast(shifts, tf.int32), frames, fill=-1.0)
