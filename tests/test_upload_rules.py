"""Every upload goes through the one checked path (suppliers/uploads.py), and a new file field cannot skip it.

These tests walk the project: every model FileField stores under a server-chosen name (UploadTo), is validated
by FileContentValidator and lives on the protected storage; every form and serializer file field validates
its file (its own validator, or the model field's, which a ModelForm and a ModelSerializer run).
"""

import importlib
import pkgutil

from django import forms
from django.apps import apps
from django.db.models import FileField
from rest_framework import serializers

from core.uploads import FileContentValidator, ProtectedFileSystemStorage, UploadTo

PROJECT_APPS = (
    "accounts",
    "suppliers",
    "orders",
    "audits",
    "communications",
    "payments",
    "partnership",
    "scorecards",
    "portal",
)


def project_file_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for model_field in model._meta.get_fields():
            if isinstance(model_field, FileField):  # ImageField is a FileField too
                yield model, model_field


def is_history(model) -> bool:
    return model._meta.model_name.startswith("historical")


def checked(validators) -> bool:
    return any(isinstance(validator, FileContentValidator) for validator in validators)


def test_every_model_file_field_uses_the_checked_path():
    fields = list(project_file_fields())
    assert len(fields) >= 9
    for model, model_field in fields:
        where = f"{model._meta.label}.{model_field.name}"
        assert isinstance(model_field.upload_to, UploadTo), where
        assert checked(model_field.validators), where
        assert isinstance(model_field.storage, ProtectedFileSystemStorage), where


def test_each_upload_folder_belongs_to_one_field_so_downloads_find_their_owner():
    folders = [
        model_field.upload_to.folder for model, model_field in project_file_fields() if not is_history(model)
    ]
    assert len(folders) == len(set(folders)), folders


def import_project_modules():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.iter_modules(package.__path__):
            if module.name not in ("migrations", "management", "tests"):
                importlib.import_module(f"{app}.{module.name}")


def subclasses(base):
    found, stack = set(), [base]
    while stack:
        for cls in stack.pop().__subclasses__():
            if cls not in found:
                found.add(cls)
                stack.append(cls)
    return {cls for cls in found if cls.__module__.split(".")[0] in PROJECT_APPS}


def model_file_field(model, name):
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return None
    return model_field if isinstance(model_field, FileField) else None


def test_every_form_file_field_validates_its_file():
    import_project_modules()
    seen = 0
    for form_class in subclasses(forms.BaseForm):
        model = getattr(getattr(form_class, "_meta", None), "model", None)
        for name, form_field in form_class.base_fields.items():
            if not isinstance(form_field, forms.FileField):
                continue
            seen += 1
            from_model = model is not None and model_file_field(model, name)
            # A ModelForm runs the model field's validators in full_clean; any other form field needs its own.
            assert checked(form_field.validators) or (from_model and checked(from_model.validators)), (
                f"{form_class.__module__}.{form_class.__name__}.{name}"
            )
    assert seen >= 10


def test_every_serializer_file_field_validates_its_file():
    import_project_modules()
    seen = 0
    for serializer_class in subclasses(serializers.BaseSerializer):
        declared = getattr(serializer_class, "_declared_fields", {})
        meta = getattr(serializer_class, "Meta", None)
        model = getattr(meta, "model", None)
        for name, serializer_field in declared.items():
            if isinstance(serializer_field, serializers.FileField):
                seen += 1
                assert checked(serializer_field.validators), f"{serializer_class.__name__}.{name}"
        for name in getattr(meta, "fields", ()) if model is not None and meta.fields != "__all__" else ():
            if name not in declared and model_file_field(model, name):
                # A ModelSerializer copies the model field's validators onto the field it builds.
                seen += 1
                assert checked(model_file_field(model, name).validators), (
                    f"{serializer_class.__name__}.{name}"
                )
    assert seen >= 3
