"""`--label`: class names before indices, and an error when a label reads as two different classes."""
import pytest

from gan_audio.generation import label_index


def test_a_folder_named_like_an_index_is_chosen_by_its_name():
    names = ["1", "2", "3"]
    assert label_index("3", names, True, "run") == 2  # the class named 3, not index 3 (out of range)
    with pytest.raises(ValueError, match=r"--label 2 is ambiguous for run: the class named '2' is index 1, "
                                         r"index 2 is the class '3'"):
        label_index("2", names, True, "run")
    assert label_index("4", ["4", "0"], True, "run") == 0  # index 4 does not exist: the name alone
    assert label_index("7", [str(d) for d in range(10)], True, "run") == 7  # name and index agree


def test_indices_and_names_without_clashes():
    assert label_index("dog", ["cat", "dog"], True, "run") == 1
    assert label_index("1", ["cat", "dog"], True, "run") == 1
    assert label_index(1, ["cat", "dog"], True, "run") == 1
    assert label_index(None, None, False, "run") is None
    with pytest.raises(ValueError, match="Unknown label 'cow' for run; known labels: cat, dog"):
        label_index("cow", ["cat", "dog"], True, "run")
    with pytest.raises(ValueError, match="is label-conditional: pass --label"):
        label_index(None, ["cat", "dog"], True, "run")
    with pytest.raises(ValueError, match="is not label-conditional"):
        label_index("cat", None, False, "run")
