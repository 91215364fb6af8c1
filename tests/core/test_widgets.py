"""The selects rendered in Python give exactly the HTML of Django's templates."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from core.widgets import Select, SelectMultiple
from suppliers.filters import SupplierFilter
from suppliers.models import Supplier

from ..factories import ProductCategoryFactory, UserFactory

CHOICES = [
    ("", "---------"),
    ("a&b", 'Quotes " and <tags>'),
    (3, 4000),
    ("Group", [("g1", "First"), ("g2", mark_safe("<b>safe</b>"))]),
]


def _template_html(widget_class, name, value, attrs):
    widget = widget_class(choices=CHOICES, attrs=attrs)
    return widget._render(widget.template_name, widget.get_context(name, value, None), None)


@pytest.mark.parametrize(
    ("python_class", "django_class", "value"),
    [
        (Select, forms.Select, "a&b"),
        (Select, forms.Select, None),
        (SelectMultiple, forms.SelectMultiple, ["g1", 3]),
    ],
)
def test_python_select_renders_exactly_as_the_template(python_class, django_class, value):
    attrs = {"class": 'form-select x"y', "required": True, "disabled": False, "data-n": 5}
    ours = python_class(choices=CHOICES, attrs=attrs).render("field", value)
    assert str(ours) == str(django_class(choices=CHOICES, attrs=attrs).render("field", value))
    assert "<option" in ours


@pytest.mark.django_db
def test_supplier_filter_form_renders_as_with_django_selects(rf):
    ProductCategoryFactory(name="Textiles & <dyes>")
    UserFactory(role="procurement", full_name="Owner O'Neil")
    data = {"country": "VN", "stage": ["active", "vetting"], "segment": "strategic"}
    form = SupplierFilter(data, queryset=Supplier.objects.all()).form
    for name in ("stage", "country", "segment", "category", "owner"):
        field = form[name]
        django_widget = (
            forms.SelectMultiple if isinstance(field.field.widget, SelectMultiple) else forms.Select
        )(attrs=field.field.widget.attrs, choices=field.field.widget.choices)
        assert str(field.as_widget()) == str(field.as_widget(widget=django_widget)), name
