"""Opening what a command points at: a training run, a SavedModel export, or the judge.

Whatever it is, the result is used through the serving contract only
(`endpoint_specs`, `run_endpoint`, `synthesize`, `serving_metadata`).
"""
import os

JUDGE = "judge"


def open_source(source):
    """`(target, class_names)` for a run folder, an export, or ``"judge"``.

    `target` is the run's Keras model, a `ServedModel`, or the shipped judge
    (a `WordClassifier`); `class_names` the label vocabulary (or None).
    """
    if source == JUDGE and not os.path.exists(source):
        from gan_audio.judge import load_judge

        judge = load_judge()
        return judge, judge.class_names
    if os.path.exists(os.path.join(source, "config.json")):
        from gan_audio.checkpoints import load_run

        model, config = load_run(source)
        return model, config.get("class_names") or model.serving_metadata().get("class_names")
    from gan_audio.export import load_saved_model

    served = load_saved_model(source)
    return served, served.metadata.get("class_names")
