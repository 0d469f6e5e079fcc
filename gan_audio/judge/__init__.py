"""The judge: a `WordClassifier` trained on all of `spoken_digits`, shipped with the package.

It scores every generator of the zoo (`gan_audio.evaluation`): its
probabilities give the classifier score and conditional accuracy, its
penultimate layer the embeddings of the Fréchet distance. `judge.json`
records how it was trained (the command of `scripts/train_judge.py`) and
what it measured on voices it had not heard; `judge.weights.h5` holds the
weights (regenerate both with that script).

Example:
    >>> from gan_audio.judge import load_judge
    >>> judge = load_judge()
    >>> judge.class_names[:3]
    ['eight', 'five', 'four']
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG_FILE = os.path.join(HERE, "judge.json")
WEIGHTS_FILE = os.path.join(HERE, "judge.weights.h5")


def judge_info():
    """`judge.json`: the classifier config, training command and measured accuracies."""
    if not os.path.exists(CONFIG_FILE):
        raise FileNotFoundError(f"No judge in {HERE}: run `python scripts/train_judge.py` to make it.")
    with open(CONFIG_FILE) as f:
        return json.load(f)


def load_judge():
    """The shipped judge, a built `WordClassifier` with its trained weights."""
    from gan_audio.models import WordClassifier

    info = judge_info()
    model = WordClassifier.from_config(info["config"])
    model.load_weights(WEIGHTS_FILE)
    return model
