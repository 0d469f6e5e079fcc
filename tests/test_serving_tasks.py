"""What a model does, declared once (`serving_tasks`), written into its export and read back; exports older
than the declaration are inferred in one place (gan_audio.serving_tasks.inferred_tasks)."""
import json
import re
import os

import pytest

from gan_audio.export import export_saved_model, load_saved_model
from gan_audio.registry import FAMILIES, get_family
from gan_audio.serving_tasks import TASKS, inferred_tasks, require_task, tasks_of

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPECTED = {"dense-gan": ("generate",), "spec-gan": ("generate",), "gcdg": ("generate",), "sgan": ("classify",),
            "classifier": ("classify",), "vocoder": ("vocode",), "wavenet": ("generate", "likelihood"),
            "wavenet-denoiser": ("denoise",), "mask-denoiser": ("denoise",)}


def tiny(family):
    return get_family(family).model_class.from_preset("tiny")


def test_every_family_declares_its_tasks():
    assert sorted(EXPECTED) == sorted(FAMILIES)
    for family, tasks in EXPECTED.items():
        assert get_family(family).model_class.serving_tasks == tasks, family


@pytest.mark.parametrize("family", sorted(EXPECTED))
def test_the_inference_for_old_exports_agrees_with_each_declaration(family):
    model = tiny(family)
    assert set(tasks_of(model)) <= set(TASKS)
    assert inferred_tasks(model) == tasks_of(model) == EXPECTED[family]


def test_an_export_carries_its_tasks_and_is_read_without_inferring(tmp_path, monkeypatch):
    export = export_saved_model(tiny("vocoder"), str(tmp_path / "voc"))
    assert json.load(open(os.path.join(export, "gan_audio.json")))["metadata"]["tasks"] == ["vocode"]
    from gan_audio import serving_tasks

    def no_inference(target):
        raise AssertionError("inferred the tasks of an export that declares them")

    monkeypatch.setattr(serving_tasks, "inferred_tasks", no_inference)
    served = load_saved_model(export)
    assert tasks_of(served) == ("vocode",)
    with pytest.raises(ValueError, match="is not a denoiser: it is a vocoder") as error:
        require_task(served, "denoise", "voc")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("name, tasks", [("spec_gan_digits", ("generate",)), ("vocoder_small", ("vocode",)),
                                         ("mask_denoiser", ("denoise",)), ("wavenet_denoiser", ("denoise",)),
                                         ("sgan_digits", ("classify",)), ("gcdg_babble", ("generate",))])
def test_shipped_exports_written_before_tasks_existed_are_inferred(name, tasks):
    served = load_saved_model(os.path.join(REPO, "saved_models", name))
    assert "tasks" not in served.serving_metadata() or tuple(served.serving_metadata()["tasks"]) == tasks
    assert tasks_of(served) == tasks


def test_a_task_outside_the_list_is_refused():
    class Odd:
        serving_tasks = ("sing",)

    with pytest.raises(ValueError, match=r"declares the tasks \['sing'\]"):
        tasks_of(Odd())
    with pytest.raises(ValueError, match="unknown task"):
        require_task(tiny("vocoder"), "sing")


def test_the_registry_lists_each_familys_declared_tasks_and_every_input_it_takes():
    for name, family in FAMILIES.items():
        model_class = family.model_class
        assert family.tasks == model_class.serving_tasks, name
        model = model_class.from_preset("tiny")
        named = set(re.findall(r"[a-z_]+", family.consumes))
        assert set(model.serving_inputs()) <= named, (name, sorted(set(model.serving_inputs()) - named))
        generation = set(model.generation_inputs() or {})
        assert generation <= named | set(family.generate_options), (name, sorted(generation - named))
    mel = get_family("wavenet").model_class.from_preset("tiny", local_conditioning=True, num_mel_bins=8)
    assert "mel" in mel.generation_inputs() and "mel" in re.findall(r"[a-z_]+", FAMILIES["wavenet"].consumes)


def test_seconds_become_the_input_a_model_declares_as_its_length():
    import tensorflow as tf

    from gan_audio.serving import generation_request

    specs = {"num": tf.TensorSpec((), tf.int32), "seed": tf.TensorSpec((), tf.int64),
             "length": tf.TensorSpec((), tf.int32)}
    declared = {"sample_rate": 8000, "length_input": "length"}
    assert generation_request(specs, declared, 2, seconds=0.5)["length"] == 4000
    with pytest.raises(ValueError, match="takes no 'seconds'"):  # not by its name: by the declaration
        generation_request({**specs, "num_samples": specs["length"]}, {"sample_rate": 8000}, 2, seconds=0.5)


def test_an_old_wavenet_export_without_its_length_input_still_takes_seconds(tmp_path):
    path = export_saved_model(tiny("wavenet"), str(tmp_path / "wavenet"))
    info_path = os.path.join(path, "gan_audio.json")
    info = json.load(open(info_path))
    assert info["metadata"].pop("length_input") == "num_samples"
    json.dump(info, open(info_path, "w"))
    served = load_saved_model(path)
    assert served.metadata["length_input"] == "num_samples"  # inferred in one place (export._inferred_metadata)
    assert served.synthesize(1, seed=0, seconds=0.01)["waveform"].shape == (1, round(0.01 * served.sample_rate))
