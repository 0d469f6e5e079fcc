"""How fast a WaveNet export generates where a server runs it: ``generate`` (no XLA) vs ``generate_xla``.

    python benchmarks/wavenet_export_speed.py                    # the default preset, 1 and 16 streams
    python benchmarks/wavenet_export_speed.py --model saved_models/NAME --streams 1

Exports the `default` preset (label-conditional, 2 stacks of 10 layers, 64
residual/gate and 128 skip channels; untrained weights: speed does not
depend on them) unless
`--model` names an export, then, in a fresh process that only loads the
SavedModel (`tf.saved_model.load`, as a server does), times each signature:
`--samples` samples per stream after a warm-up call of 600 samples (tracing
and XLA compilation are not counted; one compilation per number of streams),
the median of `--repeats` calls. The two signatures run side by side in that
process, and the table says whether they gave the same samples for the same
seed; for the `default` preset the same process also times the same stack's
`fast_generate` in Python (XLA chunks from a Python loop: the in-process
path, equal work). Last, `saved_model_cli run` calls ``generate_xla`` once (a check that
the stock tool runs it; its time includes loading and compiling). samples/s
counts samples of one stream times streams; real time is 16,000 samples/s.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

SIGNATURES = ("generate", "generate_xla")


def measure(path, streams, samples, repeats, python=False):
    import numpy as np

    from gan_audio.export import ServedModel

    served = ServedModel(path)
    missing = [s for s in SIGNATURES if s not in served.endpoint_names]
    if missing:
        raise SystemExit(f"{path}: no {', '.join(missing)} signature (exports before generate_xla have only generate).")
    request = {"num": streams, "seed": 3, "num_samples": samples, "temperature": 1.0}
    if "label" in served.endpoint_specs("generate"):
        request["label"] = np.zeros(streams, np.int32)
    result, waves = {"streams": streams}, {}
    for name in SIGNATURES:
        served.run_endpoint(name, **{**request, "num_samples": 600})  # warm-up: trace and compile
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            waves[name] = served.run_endpoint(name, **request)["waveform"]
            times.append(time.perf_counter() - start)
        result[name] = streams * samples / float(np.median(times))
    result["same"] = float(np.mean(waves["generate"] == waves["generate_xla"]))
    if python:  # the same stack in Python: fast_generate's XLA chunks, called from a Python loop
        from gan_audio.models import WaveNet
        from gan_audio.models.wavenet.wavenet_generation import fast_generate

        model = WaveNet.from_preset("default")
        fast_generate(model, 600, num=streams, label=0, jit_compile=True)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fast_generate(model, samples, num=streams, label=0, jit_compile=True)
            times.append(time.perf_counter() - start)
        result["python"] = streams * samples / float(np.median(times))
    return result


def cli_check(path):
    version = path if os.path.exists(os.path.join(path, "saved_model.pb")) else os.path.join(
        path, str(max(int(v) for v in os.listdir(path) if v.isdigit())))
    inputs = "num=1;seed=3;num_samples=1000;temperature=1.0"
    info = json.load(open(os.path.join(version, "gan_audio.json"))) if os.path.exists(
        os.path.join(version, "gan_audio.json")) else {}
    if "label" in info.get("signatures", {}).get("generate_xla", {}):
        inputs += ";label=[0]"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tensorflow.python.tools.saved_model_cli", "run", "--dir", version,
                           "--tag_set", "serve", "--signature_def", "generate_xla", "--input_exprs", inputs],
                          capture_output=True, text=True, check=False)
    ok = done.returncode == 0 and "Result for output key waveform" in done.stdout
    return ok, time.perf_counter() - start, done.stderr.strip().splitlines()[-1:] if not ok else []


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--model", help="an export (default: the `default` preset, exported to a temporary folder)")
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--samples", type=int, default=8000, help="samples per stream per timed call")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--_measure", nargs=2, metavar=("PATH", "STREAMS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._measure:
        print(json.dumps(measure(args._measure[0], int(args._measure[1]), args.samples, args.repeats,
                                 python=args.model is None)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = args.model
        if path is None:
            from gan_audio.export import export_saved_model
            from gan_audio.models import WaveNet

            path = export_saved_model(WaveNet.from_preset("default"), os.path.join(tmp, "wavenet"))
        print(f"WaveNet export {args.model or 'of the default preset (untrained)'}: {args.samples} samples per "
              f"stream, median of {args.repeats} calls, each number of streams in a fresh process.", flush=True)
        rows = []
        for streams in args.streams:
            done = subprocess.run([sys.executable, __file__, "--_measure", path, str(streams), "--samples",
                                   str(args.samples), "--repeats", str(args.repeats)]
                                  + ([] if args.model is None else ["--model", args.model]),
                                  capture_output=True, text=True, check=True)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        ok, seconds, error = cli_check(path)
    python = all("python" in r for r in rows)
    print("\n| streams | generate (no XLA) samples/s | generate_xla samples/s | generate_xla / generate | "
          "× real time (generate_xla) | same samples |" + (" Python fast_generate (XLA) samples/s |" if python else ""))
    print("|---:|---:|---:|---:|---:|---:|" + ("---:|" if python else ""))
    for r in rows:
        print(f"| {r['streams']} | {r['generate']:,.0f} | {r['generate_xla']:,.0f} | "
              f"{r['generate_xla'] / r['generate']:.1f}× | {r['generate_xla'] / 16000:.2f} | {r['same']:.1%} |"
              + (f" {r['python']:,.0f} |" if python else ""))
    print(f"\n`saved_model_cli run --signature_def generate_xla` (1,000 samples): "
          f"{'ran' if ok else 'FAILED'} in {seconds:.0f} s with loading and compiling" + (f": {error}" if error else "."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
