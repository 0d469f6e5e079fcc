"""Notebook 07: every shipped SavedModel, its signatures, a call through tf.saved_model.load, a TF Serving request."""
CELLS = [
    ("md", r"""# Serving the shipped models with TF Serving

Every model in `saved_models/` is a SavedModel that TF Serving loads as it is: `saved_models/<name>/<version>/`,
signatures with named inputs and outputs, weights in `variables/`. This tutorial

1. lists every shipped model's **signatures** (what `saved_model_cli show` prints), read from the SavedModel;
2. **calls each** through plain `tf.saved_model.load`, with no gan_audio code in the call path, on a real
   input for what it does (a word to generate, a clip to vocode, classify or denoise);
3. builds the **JSON body of a TF Serving REST `predict` request** for each signature and checks it the way
   the server will read it: every input decodes to a `TensorProto` of the signature's dtype and shape, and the
   decoded request gives the same outputs as the direct call;
4. writes the **`models.config`** that serves all of `saved_models/` from one server and shows the
   `docker run` command.

The server itself is not installed here (TF Serving is a C++ binary, shipped as a Docker image), and the
`tensorflow-serving-api` package is not in this project's dependencies: the request check uses
TensorFlow's own `TensorProto`, the type `PredictRequest.inputs` holds. It runs in about
half a minute, in CI too."""),
    ("code", """import json
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from IPython.display import Audio, display

import gan_audio
from gan_audio.data import find_audio_files, load_audio
from gan_audio.export import resolve_version
from gan_audio.features import LogMelSpectrogram
from gan_audio.samples import plot_spectrograms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(gan_audio.__file__)))  # the clone
SAVED = os.path.join(ROOT, "saved_models")
names = sorted(n for n in os.listdir(SAVED) if os.path.isdir(os.path.join(SAVED, n)))
exports = {name: resolve_version(os.path.join(SAVED, name)) for name in names}
for name, path in exports.items():
    print(f"{name:>18}  version {os.path.basename(path)}")"""),
    ("md", """## 1. Signatures

A signature is a named function with typed inputs (`None` is a dimension of any size). `serving_default` is
what TF Serving calls when a request names no signature. The export also carries `gan_audio.json`
(the model's config and metadata: sample rate, class names, what it was trained on), which the server
ignores and the `gan-audio` commands read."""),
    ("code", """loaded = {name: tf.saved_model.load(path) for name, path in exports.items()}
info = {name: json.load(open(os.path.join(path, "gan_audio.json"))) for name, path in exports.items()}


def describe(spec):
    shape = ", ".join("None" if d is None else str(d) for d in spec.shape.as_list())
    return f"{spec.dtype.name}({shape})"


for name, model in loaded.items():
    print(f"{name}  ({info[name]['class_name']}, {info[name]['metadata']['sample_rate']} Hz)")
    for signature, function in sorted(model.signatures.items()):
        inputs = function.structured_input_signature[1]
        outputs = function.structured_outputs
        print(f"    {signature}: " + ", ".join(f"{k} {describe(v)}" for k, v in sorted(inputs.items()))
              + "  ->  " + ", ".join(f"{k} {describe(v)}" for k, v in sorted(outputs.items())))"""),
    ("md", """## 2. One call per model, through `tf.saved_model.load`

Each model gets an input made for what it does, from the bundled spoken digits (a clip of a held-out
voice): random latents and a word for the SpecGAN, that clip's log-mel for the vocoder, the clip for the
classifier, the clip with white noise at 5 dB SNR for the denoisers, latents for the texture model. Inputs
are passed as tensors of the signature's dtype."""),
    ("code", """clip = load_audio(find_audio_files("spoken_digits:test").paths[0], sample_rate=16000)[:16000]
clip = np.pad(clip, (0, 16000 - len(clip))).astype("float32")
rng = np.random.default_rng(0)
noisy = clip + rng.standard_normal(clip.shape).astype("float32") * np.std(clip) / 10 ** (5 / 20)
mel = LogMelSpectrogram(sample_rate=16000, frame_length=1024, frame_step=256, num_mel_bins=64)(clip[None]).numpy()


def example_inputs(name):
    \"\"\"Inputs for `name`'s serving_default, by input name.\"\"\"
    specs = loaded[name].signatures["serving_default"].structured_input_signature[1]
    values = {}
    for key, spec in specs.items():
        if key == "noise":  # latents
            values[key] = rng.standard_normal((2, spec.shape[1])).astype("float32")
        elif key == "label":
            values[key] = np.array([3, 7], "int32")  # two words: "three", "seven"
        elif key == "mel":
            values[key] = mel
        elif key == "noisy":
            values[key] = noisy[None]
        elif key == "waveform":
            values[key] = clip[None]
        else:
            raise ValueError(f"{name}: no example for the input {key!r}")
    return values


requests, results = {}, {}
for name, model in loaded.items():
    requests[name] = example_inputs(name)
    function = model.signatures["serving_default"]
    results[name] = {k: v.numpy() for k, v in function(**{k: tf.constant(v) for k, v in requests[name].items()}).items()}
    shapes = {k: v.shape for k, v in results[name].items()}
    print(f"{name:>18}: {shapes}")
class_names = info["sgan_digits"]["metadata"]["class_names"] if "sgan_digits" in info else None
if class_names:
    print("sgan_digits hears:", class_names[int(results["sgan_digits"]["label"][0])],
          "(the clip is", os.path.basename(os.path.dirname(find_audio_files("spoken_digits:test").paths[0])) + ")")"""),
    ("code", """fig, axes = plt.subplots(1, 2, figsize=(10, 3))
if "spec_gan_digits" in results:  # the SpecGAN's own log-mel output: the words "three" and "seven"
    axes[0].imshow(np.concatenate(list(results["spec_gan_digits"]["log_mel"]), axis=0).T, origin="lower",
                   aspect="auto", cmap="magma")
    axes[0].set_title("spec_gan_digits log_mel: three | seven")
    axes[0].set_xlabel("frame")
if class_names:
    axes[1].bar(class_names, results["sgan_digits"]["probabilities"][0])
    axes[1].set_title("sgan_digits probabilities for the clip")
    axes[1].tick_params(axis="x", rotation=45)
plt.tight_layout()
plt.show()"""),
    ("md", """What came out, as spectrograms of each model's `waveform` output (the first of a batch), and to listen to:"""),
    ("code", """analysis = LogMelSpectrogram(sample_rate=16000, frame_length=1024, frame_step=256, num_mel_bins=64)
shown = {"input clip": clip, "noisy input": noisy}
for name, outputs in results.items():
    if "waveform" in outputs:
        shown[name] = outputs["waveform"][0][:16000]
length = min(len(a) for a in shown.values())
plot_spectrograms(np.stack([analysis(a[None, :length]).numpy()[0] for a in shown.values()]), titles=list(shown),
                  frame_step=256, sample_rate=16000)
plt.show()
for title, audio in shown.items():
    print(title)
    display(Audio(audio, rate=16000))"""),
    ("md", """## 3. The TF Serving REST request

TF Serving's REST API takes `POST /v1/models/<name>:predict` with a JSON body. The *columnar* form names
the signature and gives each input as a nested list: `{"signature_name": "serving_default", "inputs": {...}}`.
The server turns each list into a `TensorProto` of the dtype the signature declares; here the same is done
with `tf.make_tensor_proto`, the shapes are checked against the signature, and the decoded request is run
to show that it gives the direct call's outputs."""),
    ("code", """def rest_body(inputs, signature="serving_default"):
    return json.dumps({"signature_name": signature, "inputs": {k: np.asarray(v).tolist() for k, v in inputs.items()}})


def as_server_reads_it(name, body):
    \"\"\"The request's inputs as TensorProtos of the signature's dtypes, checked against its shapes.\"\"\"
    request = json.loads(body)
    specs = loaded[name].signatures[request["signature_name"]].structured_input_signature[1]
    if set(request["inputs"]) != set(specs):
        raise ValueError(f"{name}: inputs {sorted(request['inputs'])}, the signature takes {sorted(specs)}")
    protos = {}
    for key, value in request["inputs"].items():
        proto = tf.make_tensor_proto(value, dtype=specs[key].dtype)
        if not specs[key].shape.is_compatible_with(tf.TensorShape([d.size for d in proto.tensor_shape.dim])):
            shape = [d.size for d in proto.tensor_shape.dim]
            raise ValueError(f"{name}: input {key!r} has shape {shape}, the signature takes {specs[key].shape}")
        protos[key] = proto
    return request["signature_name"], protos


bodies = {}
for name in loaded:
    bodies[name] = rest_body(requests[name])
    signature, protos = as_server_reads_it(name, bodies[name])
    decoded = loaded[name].signatures[signature](**{k: tf.constant(tf.make_ndarray(p)) for k, p in protos.items()})
    worst = max(float(np.max(np.abs(decoded[k].numpy().astype("float64") - results[name][k].astype("float64"))))
                for k in results[name])
    print(f"{name:>18}: {len(bodies[name]) / 1024:7.1f} KiB of JSON, inputs "
          + ", ".join(f"{k} {tf.as_dtype(p.dtype).name}{[d.size for d in p.tensor_shape.dim]}" for k, p in protos.items())
          + f"; largest difference from the direct call {worst:.2g}")
print()
print(bodies["spec_gan_digits"][:160] + " ..." if "spec_gan_digits" in bodies else "")"""),
    ("md", """The same check catches a wrong request before a server does, here a clip sent without its batch
dimension, which is not the `(batch, samples)` tensor the signature takes:"""),
    ("code", """name = "mask_denoiser" if "mask_denoiser" in loaded else next(iter(loaded))
key = next(iter(requests[name]))
try:
    as_server_reads_it(name, rest_body({key: np.asarray(requests[name][key])[0]}))
except ValueError as error:
    print("rejected:", error)"""),
    ("md", """Models that generate from nothing also have a `generate` signature: the randomness is drawn inside the
graph from `seed`, so a request is tiny and the same seed gives the same audio as the training run:"""),
    ("code", """if "spec_gan_digits" in loaded:
    body = rest_body({"num": 2, "seed": 7, "label": [3, 7]}, signature="generate")
    print(body)
    signature, protos = as_server_reads_it("spec_gan_digits", body)
    made = loaded["spec_gan_digits"].signatures[signature](**{k: tf.constant(tf.make_ndarray(p)) for k, p in protos.items()})
    again = loaded["spec_gan_digits"].signatures[signature](num=2, seed=tf.constant(7, tf.int64), label=[3, 7])
    print("same seed, same audio:", np.array_equal(made["waveform"].numpy(), again["waveform"].numpy()))"""),
    ("md", """## 4. One server for all of `saved_models/`

TF Serving serves several models from a `models.config` (a text protobuf) that names each model's folder;
it picks the highest version folder of each and loads new versions as they appear (the exports are written
under a temporary name and renamed, so it never sees half a model). The cell writes that file for every
shipped model and prints the command that serves them (Docker; REST on port 8501, gRPC on 8500):"""),
    ("code", """config = "model_config_list {\\n" + "".join(
    f"  config {{ name: \\"{name}\\" base_path: \\"/models/{name}\\" model_platform: \\"tensorflow\\" }}\\n"
    for name in loaded) + "}\\n"
with open("models.config", "w") as f:
    f.write(config)
print(config)
print(f\"\"\"docker run --rm -p 8500:8500 -p 8501:8501 \\\\
  -v "{SAVED}:/models" -v "$PWD/models.config:/models/models.config" \\\\
  tensorflow/serving --model_config_file=/models/models.config

curl -s -X POST localhost:8501/v1/models/sgan_digits:predict -d @request.json\"\"\")
with open("request.json", "w") as f:
    f.write(bodies.get("sgan_digits", next(iter(bodies.values()))))
print(f"request.json: {os.path.getsize('request.json') / 1024:.0f} KiB")"""),
    ("md", """A WaveNet export (none is shipped yet; `gan-audio export` makes one from a run) has a third signature,
`generate_xla`: the same fast generation loop, its 512-sample chunks compiled by XLA, with the same samples
for the same seed. TF Serving runs it only when started with `--xla_cpu_compilation_enabled=true`
(experimental there); `generate` runs everywhere. `benchmarks/wavenet_export_speed.py` times both on a
reloaded export."""),
]
