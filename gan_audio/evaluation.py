"""`gan-audio evaluate`: what the judge says of a model, beside what it says of real data.

For a model that generates audio (a `generate` endpoint), N clips are drawn
(cycling through the labels for a label-conditional model) and the judge
(`gan_audio.judge`) scores them against N real clips:

- classifier score: ``exp(E KL(p(y|x) || p(y)))`` on the judge's
  probabilities (10 for ten confident, balanced words; 1 for noise);
- Fréchet distance between the judge's embeddings of the clips and of
  real clips (real reference: one half of the real clips against the other);
- conditional accuracy: how often the judge hears the requested word;
- judge confidence: the mean top probability.

For a classifier (``waveform`` → ``probabilities``; the semi-supervised GAN
is both) it reports the accuracy on the labelled data (the judge's own
accuracy beside it).

No model is scored on the clips it trained on: the clips a run (its
``config.json``) or an export (its ``training_data`` metadata) was trained
on are left out of `data`; by default `data` is the held-out split of the
run's own data (`gan_audio.held_out.held_out_data`: ``spoken_digits:train`` → ``spoken_digits:test``,
``real_speech`` → ``real_speech:test``), else ``spoken_digits``. A classifier
with no clip left raises one error saying so. Audio crosses between the model's sample rate and the
judge's (16 kHz) by soxr resampling, both ways.
"""
import json
import os

import numpy as np
import soxr

from gan_audio import metrics
from gan_audio.classification import classifies, predict_waveforms
from gan_audio.data import find_audio_files
from gan_audio.held_out import held_out_data, real_clips, trained_on, unseen_files
from gan_audio.serving import GENERATE
from gan_audio.serving_tasks import tasks_of
from gan_audio.sources import open_source

RESULT_FILE = "evaluation.json"


def at_rate(waveforms, rate, new_rate):
    """``(N, S)`` clips at `rate` Hz resampled to `new_rate` (soxr HQ, each clip alike), float32."""
    waveforms = np.asarray(waveforms, np.float32)
    if int(rate) == int(new_rate):
        return waveforms
    return np.ascontiguousarray(soxr.resample(waveforms.T, int(rate), int(new_rate), quality="HQ").T, np.float32)


def _generated(target, class_names, num, seed, batch_size=50):
    """`(waveforms, requested labels or None)` from the `generate` endpoint, at the model's rate."""
    conditional = "label" in target.endpoint_specs(GENERATE)
    num_classes = target.serving_metadata().get("num_classes")
    labels = np.arange(num) % num_classes if conditional else None
    chunks = []
    for start in range(0, num, batch_size):
        count = min(batch_size, num - start)
        request = {"labels": labels[start:start + count]} if conditional else {}
        chunks.append(target.synthesize(count, seed=seed + start, **request)["waveform"])
    return np.concatenate(chunks), labels


def _scores(probabilities, embeddings, reference_embeddings):
    return {"classifier score": metrics.classifier_score(probabilities),
            "Fréchet distance (judge embeddings)": metrics.frechet_distance(embeddings, reference_embeddings),
            "judge confidence": float(np.mean(np.max(probabilities, axis=1)))}


def evaluate(source, data=None, num=200, seed=0, return_data=False):
    """Scores `source` (a run, an export) with the judge; returns ``{metric: {"model", "real data"}}``
    (with `return_data`, and a sentence saying which real clips were used). `data` None: `held_out_data`.

    A generator trained on every clip of `data` is compared with those clips (said in the sentence);
    a classifier is never scored on them (ValueError)."""
    target, class_names = open_source(source)
    data = data or held_out_data(source)
    exclude = trained_on(source)
    unseen = len(unseen_files(data, exclude))
    if not unseen and not classifies(target):
        exclude = None
    rows = evaluate_target(target, class_names, data=data, num=num, seed=seed, source=source, exclude=exclude)
    total = len(find_audio_files(data))
    if exclude is None and not unseen:
        note = f"Real data: {data} ({total} clips), every one of them used to train {source}."
    elif exclude is None:
        note = f"Real data: {data} ({total} clips; {source} does not record its training clips)."
    else:
        note = f"Real data: the {unseen} clips of {data} (of {total}) that {source} was not trained on."
    return (rows, note) if return_data else rows


def evaluate_target(target, class_names, data="spoken_digits", num=200, seed=0, source="the model", judge=None,
                    exclude=None):
    """`evaluate` for a model in memory (or a `ServedModel`) with its label vocabulary; the clips of
    `exclude` (absolute paths the model trained on) are never scored."""
    from gan_audio.judge import load_judge

    judge = judge or load_judge()
    x, y, data_classes = real_clips(data, 2 * num, seed=seed, sample_rate=judge.sample_rate, exclude=exclude)
    real_probabilities, real_embeddings = predict_waveforms(judge, x)
    half = len(x) // 2
    reference = {**_scores(real_probabilities[:half], real_embeddings[:half], real_embeddings[half:])}
    rows = {}
    rate = target.serving_metadata().get("sample_rate") or judge.sample_rate
    tasks = tasks_of(target)  # what the model declares it does decides what is scored
    if "generate" in tasks:
        waveforms, requested = _generated(target, class_names, num, seed)
        probabilities, embeddings = predict_waveforms(judge, at_rate(waveforms, rate, judge.sample_rate))
        model = _scores(probabilities, embeddings, real_embeddings[half:])
        if requested is not None and class_names and set(class_names) <= set(judge.class_names):
            wanted = np.array([judge.class_names.index(class_names[i]) for i in requested])
            model["conditional accuracy"] = metrics.conditional_accuracy(probabilities, wanted)
        rows = {name: {"model": value, "real data": reference.get(name)} for name, value in model.items()}
        if "conditional accuracy" in rows and y is not None:
            truth = np.array([judge.class_names.index(data_classes[i]) for i in y[:half]])
            rows["conditional accuracy"]["real data"] = metrics.accuracy(real_probabilities[:half], truth)
    if "classify" in tasks:
        if y is None or not class_names:
            raise ValueError(f"Evaluating the classifier {source} needs labelled data (one sub-folder per class).")
        unknown = sorted(set(data_classes) - set(class_names) - set(judge.class_names))
        if set(data_classes) - set(class_names) or unknown:
            raise ValueError(f"The data's classes {sorted(set(data_classes) - set(class_names))} are not among "
                             f"{source}'s classes {class_names} (or the judge's).")
        probabilities, _ = predict_waveforms(target, at_rate(x, judge.sample_rate, rate))
        truth = np.array([class_names.index(data_classes[i]) for i in y])
        judge_truth = np.array([judge.class_names.index(data_classes[i]) for i in y])
        rows["accuracy"] = {"model": metrics.accuracy(probabilities, truth),
                            "real data": metrics.accuracy(real_probabilities, judge_truth)}
    if not rows:
        raise ValueError(f"{source} does {', '.join(tasks) or 'nothing declared'}: `evaluate` scores the generate "
                         "and classify tasks with the judge (denoisers: benchmarks/denoise.py; vocoders: "
                         "benchmarks/vocoder.py).")
    return rows


def format_table(rows, source):
    """A markdown table: each metric for the model, for real data, and their ratio."""
    lines = [f"| {source} | model | real data | model / real |", "|---|---:|---:|---:|"]
    for name, values in rows.items():
        model, real = values["model"], values["real data"]
        ratio = "-" if not real else f"{model / real:.2f}"
        lines.append(f"| {name} | {model:.3f} | {'-' if real is None else f'{real:.3f}'} | {ratio} |")
    return "\n".join(lines)


def write_result(rows, source, settings):
    """Writes `evaluation.json` beside the run or in the export's version folder."""
    folder = source if os.path.isdir(source) else os.getcwd()
    if os.path.isdir(source) and not os.path.exists(os.path.join(source, "config.json")):
        from gan_audio.export import resolve_version

        folder = resolve_version(source)
    path = os.path.join(folder, RESULT_FILE)
    with open(path, "w") as f:
        json.dump({"source": source, **settings, "metrics": rows}, f, indent=2)
    return path
