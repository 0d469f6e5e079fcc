"""What a discriminator returns: its adversarial logits, and anything else under its own name.

Every discriminator in the zoo returns either a tensor of logits or a dict
holding ``"logits"`` (a list of tensors for several sub-discriminators, as
HiFi-GAN's) beside named extras: ``"features"`` (feature maps, for feature
matching), ``"embedding"`` (GCDG's contrastive embedding) and
``"class_logits"`` (an auxiliary classifier). A list or tuple is refused:
``[logit, features]`` would otherwise be read as two sub-discriminators and
the features would reach the adversarial loss.
"""

PARTS = ("logits", "features", "embedding", "class_logits")


def discriminator_parts(outputs, name="discriminator"):
    """A discriminator's outputs → ``{"logits": ..., <named extras>}``.

    Args:
        outputs: what the discriminator returned: a tensor of logits or a
            dict with ``"logits"`` and any of ``"features"``, ``"embedding"``,
            ``"class_logits"``.
        name: str, the discriminator's name, for the error.

    Example:
    ```python
    import numpy as np
    from gan_audio.models.adversarial.discriminator_outputs import discriminator_parts

    parts = discriminator_parts({"logits": np.zeros((2, 1)), "features": [np.ones((2, 8))]})
    sorted(parts)  # ['features', 'logits']
    discriminator_parts(np.zeros((2, 1)))["logits"].shape  # (2, 1)
    ```
    """
    if isinstance(outputs, dict):
        unknown = sorted(set(outputs) - set(PARTS))
        if "logits" not in outputs or unknown:
            raise ValueError(f"{name} returned a dict with {sorted(outputs)}: it must hold 'logits' and nothing "
                             f"but {list(PARTS)}.")
        return outputs
    if isinstance(outputs, (list, tuple)):
        raise TypeError(f"{name} returned a {type(outputs).__name__} of {len(outputs)} outputs: return the logits, "
                         "or a dict with 'logits' (a list of them for several sub-discriminators) and, each under its "
                         f"own name, any of {list(PARTS[1:])}, so that no feature map is read as a logit.")
    return {"logits": outputs}
