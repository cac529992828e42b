"""Wagtail admin for the agenda: events and kinds as snippets.

Events are snippets, not pages: an event belongs to several bassins (or none, region
wide), is listed and filtered by date rather than by tree position, and most are
created by code (open-door weeks, proposals). Bassin teams only see and edit events of
their own bassin(s), in every view (list, edit, delete, history, usage, copy):
``bassins.viewsets.BassinScopedViewSetMixin`` on the ``bassins`` of the event.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from bassins.rights import bassin_rights
from bassins.viewsets import BassinScopedPermissionPolicy, BassinScopedViewSetMixin, YesNoColumn
from core.windows import BoundedDatesFormMixin

from .expansion import UnusableRule, check_rule
from .models import Event, EventKind
from .permissions import EVENT_SCOPE

event_permission_policy = BassinScopedPermissionPolicy(Event, EVENT_SCOPE)


class EventAdminForm(BoundedDatesFormMixin, WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rights = bassin_rights(self.for_user) if self.for_user else None
        if rights and not rights.regional and "bassins" in self.fields:
            self.fields["bassins"].queryset = rights.bassins()
        if "registration_scope" in self.fields:
            # Only meaningful with registration on Maillage: left out, it stays as it is.
            self.fields["registration_scope"].required = False
        if "recurrence" in self.fields:
            self.fields["recurrence"].widget = forms.Textarea(attrs={"rows": 3})
            self.fields["recurrence"].help_text = _(
                "Règle iCalendar, une par ligne, heures locales de Bruxelles. Exemples : "
                "« RRULE:FREQ=MONTHLY;BYDAY=2TU » (2e mardi du mois), "
                "« RRULE:FREQ=WEEKLY;COUNT=6 », « EXDATE:20270413T000000 » (ce jour-là "
                "est exclu), « RDATE:20270420T000000 » (date en plus). Vide : pas de répétition."
            )

    def _post_clean(self):
        # The instance now holds the typed dates and rule: refuse a rule the agenda could
        # neither store nor expand here, before Wagtail saves the event.
        super()._post_clean()
        times = ("start_date", "end_date", "start_time", "end_time", "recurrence")
        if "recurrence" not in self.fields or any(name in self.errors for name in times):
            return
        try:
            check_rule(self.instance)
        except UnusableRule as error:
            self.add_error(
                "recurrence",
                _("Cette règle ne peut pas être utilisée : %(reason)s") % {"reason": error},
            )

    def clean_registration_scope(self):
        return self.cleaned_data.get("registration_scope") or self.instance.registration_scope

    def clean(self):
        cleaned = super().clean()
        rights = bassin_rights(self.for_user) if self.for_user else None
        if rights and not rights.regional and not cleaned.get("bassins"):
            self.add_error("bassins", _("Choisissez au moins un de vos bassins."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin précède la date de début."))
        if not cleaned.get("all_day"):
            if cleaned.get("start_time") is None:
                self.add_error("start_time", _("Heure requise (ou cochez « toute la journée »)."))
            if cleaned.get("end_time") is None:
                self.add_error("end_time", _("Heure requise (ou cochez « toute la journée »)."))
            elif (
                start == end
                and cleaned.get("start_time")
                and (cleaned["end_time"] <= cleaned["start_time"])
            ):
                self.add_error("end_time", _("L'heure de fin doit suivre l'heure de début."))
        return cleaned


EVENT_PANELS = [
    MultiFieldPanel(
        [FieldPanel("title_fr"), FieldPanel("title_nl"), FieldPanel("kind"), FieldPanel("status")],
        heading=_("Événement"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
            FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
            FieldPanel("all_day"),
            FieldPanel("recurrence"),
            HelpPanel(
                _(
                    "Pour annuler ou déplacer une seule date d'une série, utilisez "
                    "« Dates de la série » dans la liste des événements."
                )
            ),
        ],
        heading=_("Quand (heure de Bruxelles)"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("bassins", widget=forms.CheckboxSelectMultiple),
            FieldPanel("is_regional"),
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            FieldPanel("audience"),
            FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
        ],
        heading=_("Pour qui"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("venue_name"), FieldPanel("venue_name_nl")]),
            FieldPanel("venue_address"),
            FieldRowPanel([FieldPanel("postal_code"), FieldPanel("commune")]),
            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            FieldPanel("accessibility_fr"),
            FieldPanel("accessibility_nl"),
            FieldPanel("online_url"),
        ],
        heading=_("Où"),
    ),
    MultiFieldPanel(
        [FieldPanel("description_fr"), FieldPanel("description_nl"), FieldPanel("image")],
        heading=_("Description"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("organiser"), FieldPanel("organiser_nl")]),
            FieldPanel("contact_email"),
            FieldPanel("contact_phone"),
            FieldPanel("registration"),
            FieldPanel("registration_url"),
            FieldPanel("registration_scope", widget=forms.RadioSelect),
            FieldPanel("capacity"),
        ],
        heading=_("Organisation et inscription"),
    ),
]


class EventViewSet(BassinScopedViewSetMixin, SnippetViewSet):
    model = Event
    icon = "date"
    menu_label = _("Événements")
    menu_name = "events"
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "__str__",
        "start_date",
        "kind",
        "status",
        Column("sequence", label=_("Modifications publiées")),
    ]
    list_filter = ["status", "kind", "bassins", "is_demo"]
    search_fields = [
        "title_fr",
        "title_nl",
        "venue_name",
        "venue_name_nl",
        "organiser",
        "organiser_nl",
    ]
    ordering = ["-start_date"]
    bassin_scope = EVENT_SCOPE
    bassin_form_field = "bassins"
    edit_handler = TabbedInterface(
        [ObjectList(EVENT_PANELS, heading=_("Contenu"))], base_form_class=EventAdminForm
    )

    def get_queryset(self, request):
        return Event.objects.select_related("kind")


class EventKindViewSet(SnippetViewSet):
    model = EventKind
    icon = "tag"
    menu_label = _("Types d'événement")
    add_to_settings_menu = True
    list_display = [
        "name_fr",
        "name_nl",
        "slug",
        YesNoColumn("is_proposable", label=_("Proposable par les organisations")),
    ]
    panels = [
        FieldPanel("slug"),
        FieldPanel("name_fr"),
        FieldPanel("name_nl"),
        FieldPanel("is_proposable"),
        FieldPanel("sort_order"),
    ]
