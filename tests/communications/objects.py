"""Supplier-A objects of the communications app for the isolation test (see tests/conftest.py objects_a)."""


def communication_objects(supplier, staff_user) -> dict:
    return {}
