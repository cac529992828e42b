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


def _flat_choices(widget) -> list[tuple] | None:
    """The widget's choices as (value, label) pairs, or None when they hold groups
    (which fall back to Django's templates)."""
    choices = []
    for value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            return None
        choices.append(("" if value is None else value, label))
    return choices


class FilterCheckboxes(forms.CheckboxSelectMultiple):
    """A CheckboxSelectMultiple that writes Django's own markup in Python.

    A filter bar has about fifty checkboxes, and Django renders each with four nested
    templates after building a context dictionary per option: most of an uncached agenda
    page's filter bar. The markup is the same as django/forms/widgets/multiple_input.html
    and checkbox_option.html (the tests compare them); groups (optgroups) are not used by
    the filter bars and fall back to Django's templates.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = _flat_choices(self)
        widget_attrs = self.build_attrs(self.attrs, attrs)
        if choices is None or "checked" in widget_attrs:
            return super().render(name, value, attrs, renderer)
        ticked = set(self.format_value(value))
        element_id = widget_attrs.get("id")
        # Each option carries the widget's attributes, its own id (``<id>_<index>``) in
        # the id's place, and ``checked`` last when ticked (as create_option writes them).
        names = list(widget_attrs)
        split = names.index("id") if element_id else len(names)
        before = _attrs({k: widget_attrs[k] for k in names[:split]})
        after = _attrs({k: widget_attrs[k] for k in names[split + 1 :]})
        escaped_name = conditional_escape(name)
        options = []
        for index, (option_value, label) in enumerate(choices):
            option_id = self.id_for_label(element_id, str(index)) if element_id else ""
            id_attr = f' id="{conditional_escape(option_id)}"' if element_id else ""
            checked = " checked" if str(option_value) in ticked else ""
            field = (
                f'<input type="{self.input_type}" name="{escaped_name}"'
                f' value="{conditional_escape(option_value)}"{before}{id_attr}{after}{checked}>\n'
            )
            label_for = f' for="{conditional_escape(option_id)}"' if option_id else ""
            # The newlines are the template files' last line ends.
            label_html = f"<label{label_for}>{field} {conditional_escape(label)}</label>"
            options.append(f"<div>\n    {label_html}\n\n</div>")
        opening = "<div"
        if element_id:
            opening += format_html(' id="{}"', element_id)
        css = widget_attrs.get("class")
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
        choices = _flat_choices(self)
        if choices is None:
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        options = []
        has_selected = False
        for option_value, label in choices:
            # As optgroups: only the first option with the value is selected.
            selected = not has_selected and str(option_value) in chosen
            has_selected |= selected
            options.append(
                f'\n  <option value="{conditional_escape(str(option_value))}"'
                f"{' selected' if selected else ''}>{conditional_escape(label)}</option>\n"
            )
        widget_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(
            f'<select name="{conditional_escape(name)}"{_attrs(widget_attrs)}>'
            f"{''.join(options)}\n</select>"
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
