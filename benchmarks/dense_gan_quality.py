"""How close DenseGAN samples get to real speech, as a table.

    python benchmarks/dense_gan_quality.py --preset default --steps 500 2000 4000
    python benchmarks/dense_gan_quality.py --config '{"batch_norm": false}'
    python benchmarks/dense_gan_quality.py --config '{"dropout": 0.0}' --compile '{"label_smoothing": 0.0}'

Trains one model on the bundled `spoken_digits` and, at each step count,
prints for 128 samples (seed 0) against every real clip, all in dB:
- the L2 distance between mean log-mel spectra (over 64 mel bins),
- frame-to-frame roughness, mean |x[t+1] - x[t]| (speckle raises it),
- the standard deviation of the log-mel values.
"""
import argparse
import json
import time

import keras
import numpy as np

from gan_audio.data import audio_dataset
from gan_audio.models import DenseGAN


def roughness(log_mel):
    return float(np.abs(np.diff(log_mel, axis=1)).mean())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="default")
    parser.add_argument("--steps", type=int, nargs="+", default=[500, 2000, 4000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--config", type=json.loads, default={}, help="JSON constructor overrides")
    parser.add_argument("--compile", type=json.loads, default={}, help="JSON compile overrides")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(args.seed)
    waves = audio_dataset("spoken_digits", labels=None, batch_size=32, seed=args.seed, cache=True)
    model = DenseGAN.from_preset(args.preset, seed=args.seed, **args.config)
    model.adapt(waves)
    model.compile(**{**DenseGAN.compile_kwargs(args.preset), **args.compile})
    real = np.concatenate([model.to_db(model.features(w)) for w in waves])
    target = real.mean(axis=(0, 1))
    print(f"| {args.preset} steps | seconds | mean-spectrum distance (dB) | roughness (dB) | std (dB) |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| real clips | - | 0.0 | {roughness(real):.2f} | {real.std():.1f} |")
    data, done, start = waves.map(model.features).repeat(), 0, time.perf_counter()
    for steps in [0] + sorted(args.steps):
        if steps > done:
            model.fit(data, epochs=1, steps_per_epoch=steps - done, verbose=0, shuffle=False)
            done = steps
        samples = model.synthesize(128, seed=0)["log_mel"]
        distance = np.linalg.norm(samples.mean(axis=(0, 1)) - target)
        print(f"| {steps} | {time.perf_counter() - start:.0f} | {distance:.1f} | {roughness(samples):.2f} "
              f"| {samples.std():.1f} |", flush=True)


if __name__ == "__main__":
    main()
