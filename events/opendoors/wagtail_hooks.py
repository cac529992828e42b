"""Admin for the Semaines Portes Ouvertes: weeks (CRUD), moderation queue, bookings."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from bassins.rights import BassinScope
from bassins.viewsets import BassinScopedPermissionPolicy, BassinScopedViewSetMixin, YesNoColumn

from . import admin_views
from .models import OpenDoorWeek
from .widgets import SlotFormatsWidget

register_permission_policy(
    OpenDoorWeek, BassinScopedPermissionPolicy(OpenDoorWeek, BassinScope(("bassin",)))
)


class OpenDoorWeekViewSet(BassinScopedViewSetMixin, ModelViewSet):
    """A bassin team creates, edits and deletes the weeks of its own bassin(s) only."""

    model = OpenDoorWeek
    icon = "date"
    menu_label = _("Semaines")
    add_to_admin_menu = False
    url_prefix = "portes-ouvertes/semaines"
    list_display = [
        "__str__",
        "start_date",
        "end_date",
        Column("booking_opens", label=_("Réservations dès le")),
        YesNoColumn("is_published", label=_("Publiée")),
    ]
    list_filter = ["bassin", "year"]
    panels = [
        FieldRowPanel([FieldPanel("bassin"), FieldPanel("year"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("name_fr"), FieldPanel("name_nl")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("description_fr"),
        FieldPanel("description_nl"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
                ),
                FieldRowPanel([FieldPanel("booking_opens"), FieldPanel("booking_closes")]),
            ],
            heading=_("Fenêtres d'inscription et de réservation"),
        ),
        FieldPanel("slot_formats", widget=SlotFormatsWidget()),  # rows, not raw JSON
        FieldPanel("team"),
        FieldPanel("is_published"),
    ]


week_viewset = OpenDoorWeekViewSet("opendoor_weeks")


@hooks.register("register_admin_viewset")
def register_week_viewset():
    return week_viewset


admin_urlpatterns = [
    path("moderation/", admin_views.moderation_queue, name="moderation_queue"),
    path("moderation/<int:pk>/", admin_views.moderate, name="moderate"),
    path("semaine/<int:pk>/reservations/", admin_views.week_bookings, name="week_bookings"),
]


agenda_admin_urlpatterns = [
    path("", admin_views.registration_events, name="registration_events"),
    path("<int:pk>/", admin_views.event_attendees, name="event_attendees"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("portes-ouvertes/", include((admin_urlpatterns, "opendoors_admin"))),
        path("inscriptions/", include((agenda_admin_urlpatterns, "registrations_admin"))),
    ]


class EventPermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.EVENT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_registrations_menu():
    return EventPermissionMenuItem(
        _("Inscriptions"),
        reverse("registrations_admin:registration_events"),
        icon_name="group",
        order=215,
    )


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_menu():
    submenu = Menu(
        items=[
            PermissionMenuItem(
                _("Modération"), reverse("opendoors_admin:moderation_queue"), icon_name="tasks"
            ),
            MenuItem(_("Semaines"), reverse(week_viewset.get_url_name("index")), icon_name="date"),
        ]
    )
    return SubmenuMenuItem(_("Portes ouvertes"), submenu, icon_name="home", order=250)
