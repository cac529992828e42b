"""Form widgets shared by the apps' filter bars."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False drops the attribute, True keeps its name.
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FilterCheckboxes(forms.CheckboxSelectMultiple):
    """A CheckboxSelectMultiple that writes Django's own markup in Python.

    A filter bar has about fifty checkboxes, and Django renders each with four nested
    templates: a third of an uncached agenda page's time. The markup is the same as
    django/forms/widgets/multiple_input.html and checkbox_option.html (the tests compare
    them), built with format_html; groups (optgroups) are not used by the filter bars and
    fall back to Django's templates.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group for group, _options, _index in groups):
            return super().render(name, value, attrs, renderer)
        options = []
        for _group, group_options, _index in groups:
            for option in group_options:
                option_attrs = option["attrs"]
                value_attr = (
                    ""
                    if option["value"] is None
                    else f' value="{conditional_escape(option["value"])}"'
                )
                field = (
                    f'<input type="{option["type"]}" name="{conditional_escape(option["name"])}"'
                    f"{value_attr}{_attrs(option_attrs)}>\n"
                )
                if option["wrap_label"]:
                    label_for = (
                        format_html(' for="{}"', option_attrs["id"])
                        if option_attrs.get("id")
                        else ""
                    )
                    field = (
                        f"<label{label_for}>{field} {conditional_escape(option['label'])}</label>"
                    )
                # The newlines are the template files' last line ends.
                options.append(f"<div>\n    {field}\n\n</div>")
        element_id = widget["attrs"].get("id")
        css = widget["attrs"].get("class")
        opening = "<div"
        if element_id:
            opening += format_html(' id="{}"', element_id)
        if css:
            opening += format_html(' class="{}"', css)
        return mark_safe(opening + ">" + "".join(options) + "\n</div>")


class FilterSelect(forms.Select):
    """A Select that writes Django's own markup in Python (as FilterCheckboxes): the
    filter bars' language list has about forty options, each one template include in
    Django's rendering. Same markup as django/forms/widgets/select.html and
    select_option.html (the tests compare them); groups fall back to Django's templates.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group for group, _options, _index in groups):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"'
            f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            for _group, group_options, _index in groups
            for option in group_options
        )
        return mark_safe(
            f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
            f"{options}\n</select>"
        )


class _InputInPython:
    """Django's django/forms/widgets/input.html (and attrs.html) written in Python: three
    nested templates per field otherwise, on every filter bar."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        value_attr = "" if value is None else f' value="{conditional_escape(str(value))}"'
        return mark_safe(
            f'<input type="{conditional_escape(widget["type"])}"'
            f' name="{conditional_escape(widget["name"])}"{value_attr}{_attrs(widget["attrs"])}>'
        )


class FilterTextInput(_InputInPython, forms.TextInput):
    """A TextInput with Django's markup written in Python (the tests compare them)."""


class FilterDateInput(_InputInPython, forms.DateInput):
    """A DateInput with Django's markup written in Python (the tests compare them)."""
