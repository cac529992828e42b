"""Wagtail admin for partners' calendars: a snippet scoped to the team's bassins, whose
edit page shows how the last fetch went."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel, TabbedInterface
from wagtail.snippets.views.snippets import SnippetViewSet

from bassins.rights import bassin_rights
from bassins.viewsets import BassinScopedViewSetMixin

from .fetching import FetchError, normalise_url
from .models import CalendarSource
from .permissions import SOURCE_SCOPE


class CalendarSourceForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "url" in self.fields:
            # webcal:// is what "subscribe" buttons give; URLField would refuse it.
            self.fields["url"] = forms.CharField(
                label=self.fields["url"].label,
                help_text=self.fields["url"].help_text,
                max_length=1000,
            )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        try:
            normalise_url(url)
        except FetchError as error:
            raise forms.ValidationError(
                _("Adresse invalide : seules http, https et webcal sont lues.")
            ) from error
        return url

    def clean(self):
        cleaned = super().clean()
        rights = bassin_rights(self.for_user) if self.for_user else None
        if rights and not rights.regional and not cleaned.get("bassins"):
            self.add_error("bassins", _("Choisissez au moins un de vos bassins."))
        return cleaned


class ImportStatusPanel(Panel):
    """Read-only: the last fetch's status, error and counts."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "calendars/admin/import_status.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["source"] = self.instance
            return context


SOURCE_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("name"),
            FieldPanel("organisation"),
            FieldPanel("url"),
            FieldPanel("is_active"),
        ],
        heading=_("Calendrier"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("kind"),
            FieldPanel("bassins", widget=forms.CheckboxSelectMultiple),
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            FieldPanel("audience"),
            FieldPanel("language"),
            FieldPanel("is_trusted"),
        ],
        heading=_("Ses événements dans l'agenda"),
    ),
    ImportStatusPanel(heading=_("Dernier import")),
]


class CalendarSourceViewSet(BassinScopedViewSetMixin, SnippetViewSet):
    model = CalendarSource
    icon = "calendar-alt"
    menu_label = _("Calendriers partenaires")
    menu_name = "calendar_sources"
    menu_order = 212
    add_to_admin_menu = True
    list_display = ["name", "kind", "last_status", "last_fetched_at", "last_summary"]
    list_filter = ["last_status", "is_trusted", "is_active", "bassins"]
    search_fields = ["name", "organisation", "url"]
    bassin_scope = SOURCE_SCOPE
    bassin_form_field = "bassins"
    edit_handler = TabbedInterface(
        [ObjectList(SOURCE_PANELS, heading=_("Source"))], base_form_class=CalendarSourceForm
    )

    def get_queryset(self, request):
        return CalendarSource.objects.select_related("kind")
