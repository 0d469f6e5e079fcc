"""A family written only for the test suite (`tests/test_new_family.py`): one folder and one registry line."""
