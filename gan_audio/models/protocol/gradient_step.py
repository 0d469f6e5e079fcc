"""The one optimizer step every family's `train_step` takes: loss under a tape, scaled for mixed precision
(`optimizer.scale_loss`, which also divides nothing under a plain float32 policy), gradients applied."""
import tensorflow as tf


def gradient_step(optimizer, variables, compute):
    """Runs ``compute()`` (→ ``(loss, extra)``) under a `tf.GradientTape` and applies the gradients of its
    scaled loss to `variables` with `optimizer`; returns ``(loss, extra)``."""
    with tf.GradientTape() as tape:
        loss, extra = compute()
        scaled = optimizer.scale_loss(loss)
    optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
    return loss, extra
