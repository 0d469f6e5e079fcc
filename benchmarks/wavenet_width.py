"""Which WaveNet stacks one stream of an export serves in real time: speed against the weights a sample reads.

    python benchmarks/wavenet_width.py                       # the default stack and narrower or shorter ones
    python benchmarks/wavenet_width.py --stacks 2 --widths 64 40 --repeats 5

The `default` preset (label-conditional, kernel 2, 2 stacks of 10 layers,
64 residual/gate and 128 skip channels) is exported with each `--widths`
residual width R (gate R, skip 2R) and each `--stacks` count, untrained
(speed does not depend on the weights), and each export is timed in a fresh
process as `wavenet_export_speed.py` does (`tf.saved_model.load`, one
stream, `--samples` samples after a warm-up call, the median of `--repeats`
calls of ``generate_xla``). Beside each: the float32 weights every sample
step reads (the gated blocks' three kernels and the output head), against
this CPU's L2 cache per core. One run; real time is 16,000 samples/s.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from wavenet_export_speed import measure


def l2_per_core_mib():
    """This machine's L2 cache per core in MiB (Linux sysfs), or None."""
    try:
        text = open("/sys/devices/system/cpu/cpu0/cache/index2/size").read().strip()
    except OSError:
        return None
    return int(text[:-1]) / 1024 if text.endswith("K") else None


def step_weights_mib(model):
    """MiB of float32 weights one sample step reads: every block's kernels and the head's."""
    count = 0
    for block in model.blocks:
        count += block.kernel.shape.num_elements() + block.skip_kernel.shape.num_elements()
        count += block.residual_kernel.shape.num_elements() if block.residual else 0
    count += sum(w.shape.num_elements() for w in model.head_hidden.weights + model.head_logits.weights)
    return 4 * count / 2 ** 20


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--widths", type=int, nargs="+", default=[64, 48, 32, 8], help="residual widths R")
    parser.add_argument("--stacks", type=int, nargs="+", default=[2, 1], help="stacks of 10 layers")
    parser.add_argument("--samples", type=int, default=8000, help="samples per timed call")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--_measure", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._measure:
        print(json.dumps(measure(args._measure, 1, args.samples, args.repeats)))
        return 0
    from gan_audio.export import export_saved_model
    from gan_audio.models import WaveNet

    l2 = l2_per_core_mib()
    print(f"WaveNet exports of the default preset at other sizes (untrained): one stream, {args.samples} samples "
          f"per call, median of {args.repeats} calls, each export in a fresh process; L2 cache per core: "
          f"{f'{l2:g} MiB' if l2 else 'unknown'}.", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for stacks in args.stacks:
            for width in args.widths:
                model = WaveNet.from_preset("default", stacks=stacks, residual_channels=width, gate_channels=width,
                                            skip_channels=2 * width)
                path = export_saved_model(model, os.path.join(tmp, f"wavenet_{stacks}_{width}"))
                done = subprocess.run([sys.executable, __file__, "--_measure", path, "--samples", str(args.samples),
                                       "--repeats", str(args.repeats)], capture_output=True, text=True, check=True)
                result = json.loads(done.stdout.strip().splitlines()[-1])
                rows.append((stacks * 10, width, step_weights_mib(model), result))
                print(f"{stacks * 10} layers, R = {width}: {result['generate_xla']:,.0f} samples/s", flush=True)
    print("\n| layers | residual / gate / skip channels | weights read per sample (MiB, float32) | "
          "generate_xla samples/s | × real time | µs per sample |")
    print("|---:|---|---:|---:|---:|---:|")
    for layers, width, mib, result in rows:
        rate = result["generate_xla"]
        print(f"| {layers} | {width} / {width} / {2 * width} | {mib:.2f} | {rate:,.0f} | {rate / 16000:.2f} | "
              f"{1e6 / rate:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
