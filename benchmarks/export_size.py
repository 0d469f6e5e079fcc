"""What an export and a run checkpoint hold, in MB, as a table.

    python benchmarks/export_size.py [--preset default]

Builds the preset (untrained: sizes do not depend on training), then prints
side by side, from one run:
- the float32 weights of the generator (+ codec) and of the discriminator,
- `export_saved_model`'s variables (the endpoints' variables only),
- the same endpoints written after `ExportArchive.track(generator)` and
  `track(codec)`, as the foundation did (keras-team/keras#23553: each
  variable is written twice, as the `keras.Variable` and as its `tf.Variable`),
- a run's checkpoint `model.keras` (all weights, the generator's average and
  both optimizers' state: about 3 G + 3 D).
"""
import argparse
import os
import tempfile

import keras
import numpy as np

from gan_audio.checkpoints import save_checkpoint
from gan_audio.export import export_saved_model
from gan_audio.models import DenseGAN


def megabytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path) / 1e6
    return sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(path) for f in files) / 1e6


def weights_mb(*layers):
    return sum(int(np.prod(v.shape)) * 4 for layer in layers for v in layer.weights) / 1e6


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="default")
    args = parser.parse_args(argv)
    model = DenseGAN.from_preset(args.preset, seed=0)
    model.compile(**DenseGAN.compile_kwargs(args.preset))
    folder = tempfile.mkdtemp()
    export = export_saved_model(model, os.path.join(folder, "export"))
    tracked = keras.export.ExportArchive()
    tracked.track(model.generator)
    tracked.track(model.codec)
    for name in model.endpoints():
        tracked.add_endpoint(name, model.endpoint_function(name))
    tracked.write_out(os.path.join(folder, "tracked"), verbose=False)
    save_checkpoint(model, os.path.join(folder, "model.keras"), {"epochs_done": 0, "interrupted": False})
    rows = [
        ("generator + codec weights (float32)", weights_mb(model.generator, model.codec)),
        ("discriminator weights (float32)", weights_mb(model.discriminator)),
        ("the generator's weight average, sampled from (float32)", weights_mb(*filter(None, [model.averaged_generator]))),
        ("export_saved_model: variables/", megabytes(os.path.join(export, "variables"))),
        ("with ExportArchive.track (the foundation's export): variables/", megabytes(os.path.join(folder, "tracked",
                                                                                                  "variables"))),
        ("export_saved_model: whole version folder", megabytes(export)),
        ("run checkpoint model.keras (weights, average + Adam state of both networks)", megabytes(os.path.join(folder,
                                                                                                    "model.keras"))),
    ]
    print(f"| {args.preset} | MB |\n|---|---:|")
    for name, size in rows:
        print(f"| {name} | {size:.2f} |")


if __name__ == "__main__":
    main()
