"""Does a smaller weight type make one WaveNet stream faster? The `default` stack's fast loop (XLA), one stream,
with the weights and arithmetic in float32 and under Keras' `mixed_bfloat16` / `mixed_float16` policies, in
Python (`fast_generate`) and from the model's export (`generate_xla`, reloaded with `tf.saved_model.load`).

    python benchmarks/wavenet_weight_dtype.py [--samples 4096] [--repeats 3]

The profile (`benchmarks/wavenet_profile.py`) says the gated blocks of one stream are bound by reading their
weights (2.4 MiB per sample, matrix-vector products), so 16-bit weights would halve the bytes read. Each
policy runs in its own process, on the same float32 model copied into the policy
(`gan_audio.precision.with_dtype_policy`) and exported in it (`export_saved_model(..., dtype_policy=...)`,
what `gan-audio export --dtype-policy` runs), the same seed and label, and the table gives
the best of `--repeats` calls after one compiling call, side by side in one run (samples/s of one stream;
real time is 16,000), and how many of the first 256 codes (Python) agree with float32's.
"""
import argparse
import json
import os
import subprocess
import sys

POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")

CHILD = """
import json, sys, time
import numpy as np
policy, samples, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
from gan_audio.models import WaveNet
from gan_audio.models.wavenet import wavenet_generation as generation
from gan_audio.precision import with_dtype_policy
float32_model = WaveNet.from_preset("default", seed=0)
model = with_dtype_policy(float32_model, policy)
generation.fast_generate(model, 256, num=1, label=0, seed=0, jit_compile=True)  # traces and compiles
times = []
for _ in range(repeats):
    start = time.perf_counter()
    codes = generation.fast_generate(model, samples, num=1, label=0, seed=1, jit_compile=True)
    times.append(time.perf_counter() - start)
import tempfile
from gan_audio.export import export_saved_model, load_saved_model
with tempfile.TemporaryDirectory() as tmp:
    served = load_saved_model(export_saved_model(float32_model, tmp + "/wavenet", dtype_policy=policy))
    served.synthesize(1, labels=0, seed=0, num_samples=600)  # compiles
    served_times = []
    for _ in range(repeats):
        start = time.perf_counter()
        served.synthesize(1, labels=0, seed=1, num_samples=samples)
        served_times.append(time.perf_counter() - start)
print(json.dumps({"rate": samples / min(times), "export": samples / min(served_times),
                  "codes": np.asarray(codes)[0, :256].tolist()}))
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=4096, help="samples per timed call (default: 4096)")
    parser.add_argument("--repeats", type=int, default=3, help="timed calls per policy (default: 3)")
    args = parser.parse_args(argv)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    results = {}
    for policy in POLICIES:
        done = subprocess.run([sys.executable, "-c", CHILD, policy, str(args.samples), str(args.repeats)],
                              capture_output=True, text=True, env=env, check=True)
        results[policy] = json.loads(done.stdout.strip().splitlines()[-1])
    base = results["float32"]
    print("| policy | Python samples/s | × float32 | × real time | export generate_xla samples/s | × float32 | "
          "× real time | first 256 codes as float32's |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for policy, result in results.items():
        same = sum(a == b for a, b in zip(result["codes"], base["codes"]))
        print(f"| {policy} | {result['rate']:,.0f} | {result['rate'] / base['rate']:.2f} | {result['rate'] / 16000:.2f} | "
              f"{result['export']:,.0f} | {result['export'] / base['export']:.2f} | {result['export'] / 16000:.2f} | "
              f"{same} |")


if __name__ == "__main__":
    main()
