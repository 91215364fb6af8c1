"""Select widgets rendered in Python: the same HTML as Django's templates, without a template per option.

Django renders each <option> through its own template include (about 0.1 ms each): a filter form with the country
list (250 options) spent ~25 ms of a list page on it. These widgets produce the exact string the templates
`django/forms/widgets/select.html` and `select_option.html` give (tests/core/test_widgets.py compares them).
The classes keep Django's names because crispy forms adds the widget's lowercased class name as a CSS class.
"""

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """Render attributes as django/forms/widgets/attrs.html does."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def _select_html(widget: dict) -> str:
    html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{conditional_escape(localize(group_name))}">')
        for option in group_choices:
            html.append(
                f'\n  <option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(localize(option['label']))}</option>\n"
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html).strip()


class _PythonRendered:
    """Render the select in Python when it uses Django's own templates (a custom template keeps its template)."""

    def _render(self, template_name, context, renderer=None):
        if template_name == forms.Select.template_name and self.option_template_name == (
            forms.Select.option_template_name
        ):
            return mark_safe(_select_html(context["widget"]))
        return super()._render(template_name, context, renderer)


class Select(_PythonRendered, forms.Select):
    """A <select> rendered in Python (long choice lists: countries)."""


class SelectMultiple(_PythonRendered, forms.SelectMultiple):
    """A <select multiple> rendered in Python."""
