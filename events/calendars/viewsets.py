"""Wagtail admin for partners' calendars: a snippet scoped to the team's bassins, whose
edit page shows how the last fetch went."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel, TabbedInterface
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import DeleteView, EditView, SnippetViewSet

from bassins.models import Bassin
from events.permissions import user_bassins

from .fetching import FetchError, normalise_url
from .models import CalendarSource
from .permissions import can_manage_source, scope_sources


class CalendarSourcePermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if not super().user_has_permission_for_instance(user, action, instance):
            return False
        return instance.pk is None or can_manage_source(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return scope_sources(super().instances_user_has_any_permission_for(user, actions), user)


class _ScopedObjectMixin:
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can_manage_source(self.request.user, obj):
            raise PermissionDenied
        return obj


class ScopedEditView(_ScopedObjectMixin, EditView):
    pass


class ScopedDeleteView(_ScopedObjectMixin, DeleteView):
    pass


class CalendarSourceForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bassins = user_bassins(self.for_user) if self.for_user else None
        if bassins is not None and "bassins" in self.fields:
            self.fields["bassins"].queryset = Bassin.objects.filter(pk__in=[b.pk for b in bassins])
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
        bassins = user_bassins(self.for_user) if self.for_user else None
        if bassins is not None and not cleaned.get("bassins"):
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


class CalendarSourceViewSet(SnippetViewSet):
    model = CalendarSource
    icon = "calendar-alt"
    menu_label = _("Calendriers partenaires")
    menu_name = "calendar_sources"
    menu_order = 212
    add_to_admin_menu = True
    list_display = ["name", "kind", "last_status", "last_fetched_at", "last_summary"]
    list_filter = ["last_status", "is_trusted", "is_active", "bassins"]
    search_fields = ["name", "organisation", "url"]
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    edit_handler = TabbedInterface(
        [ObjectList(SOURCE_PANELS, heading=_("Source"))], base_form_class=CalendarSourceForm
    )

    def get_queryset(self, request):
        return scope_sources(CalendarSource.objects.select_related("kind"), request.user)
