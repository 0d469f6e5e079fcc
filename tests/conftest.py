"""Shared pytest set-up: quiet TensorFlow, deterministic seeds, a tiny real audio subset."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _seed_everything():
    keras.utils.set_random_seed(1234)
    yield


@pytest.fixture(scope="session")
def small_set(tmp_path_factory):
    """Two words, 16 clips each, copied as WAV at 22.05 kHz (a rate to resample)."""
    import soundfile as sf
    import soxr

    from gan_audio.data import find_audio_files

    root = tmp_path_factory.mktemp("words")
    for path in find_audio_files("spoken_digits").paths:
        word = os.path.basename(os.path.dirname(path))
        if word in ("one", "two") and len(os.listdir(root / word) if (root / word).exists() else []) < 16:
            audio, rate = sf.read(path, dtype="float32")
            (root / word).mkdir(exist_ok=True)
            sf.write(root / word / (os.path.basename(path)[:-5] + ".wav"), soxr.resample(audio, rate, 22050), 22050)
    return str(root)
