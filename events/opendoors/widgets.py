"""The week's default slot formats edited as rows of fields, not as raw JSON.

The model keeps its JSON list (``[{"label_fr", "label_nl", "start", "end"}]``); this
widget shows one row per format plus empty rows to add some, and hands the form field
(Django's ``forms.JSONField``, from the model field) the JSON text it expects. A row
with no label is dropped; times come from ``<input type="time">`` (HH:MM).
"""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

EXTRA_ROWS = 3
KEYS = ("label_fr", "label_nl", "start", "end")


class SlotFormatsWidget(forms.Widget):
    # Widgets are rendered by Django's form renderer, which reads the apps' template
    # folders (not the project's templates/): the template lives in the app.
    template_name = "opendoors/widgets/slot_formats.html"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value or "[]")
            except ValueError:
                value = []
        return [dict(item) for item in (value or []) if isinstance(item, dict)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = self.format_value(value) + [{} for _ in range(EXTRA_ROWS)]
        context["widget"]["rows"] = [
            {key: {"name": f"{name}-{index}-{key}", "value": row.get(key, "")} for key in KEYS}
            | {"index": index}
            for index, row in enumerate(rows)
        ]
        context["widget"]["labels"] = {
            "label_fr": _("Libellé (FR)"),
            "label_nl": _("Libellé (NL)"),
            "start": _("Début"),
            "end": _("Fin"),
        }
        return context

    def value_from_datadict(self, data, files, name):
        rows = []
        index = 0
        while f"{name}-{index}-label_fr" in data:
            row = {key: (data.get(f"{name}-{index}-{key}") or "").strip() for key in KEYS}
            index += 1
            if not row["label_fr"] and not row["label_nl"]:
                continue
            rows.append(row)
        if index == 0 and name in data:  # a client posting the JSON itself
            return data[name]
        return json.dumps(rows)

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-0-label_fr" not in data and name not in data
