"""Supplier-A objects of the payments app for the isolation test (see tests/conftest.py objects_a)."""


def payment_objects(supplier, staff_user) -> dict:
    return {}
