from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import admin_views, services
from .models import Event, EventStatus
from .permissions import EVENT_SCOPE
from .viewsets import EventKindViewSet, EventViewSet, event_permission_policy

register_permission_policy(Event, event_permission_policy)
register_snippet(EventViewSet)
register_snippet(EventKindViewSet)


@hooks.register("register_admin_urls")
def agenda_admin_urls():
    return [
        path("events/moderation/", admin_views.moderation_queue, name="events_moderation"),
        path("events/moderation/<int:pk>/approve/", admin_views.approve, name="events_approve"),
        path("events/moderation/<int:pk>/reject/", admin_views.reject, name="events_reject"),
        path("events/<int:pk>/dates/", admin_views.occurrences, name="events_occurrences"),
    ]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("events.moderate_event")

    def get_context(self, request):
        context = super().get_context(request)
        count = EVENT_SCOPE.filter(
            Event.objects.filter(status=EventStatus.PENDING), request.user
        ).count()
        if count:
            context["label"] = f"{self.label} ({count})"
        return context


@hooks.register("register_admin_menu_item")
def moderation_menu_item():
    return ModerationMenuItem(
        _("Propositions d'événements"),
        reverse("events_moderation"),
        icon_name="tasks",
        order=211,
    )


@hooks.register("register_snippet_listing_buttons")
def occurrence_button(snippet, user, next_url=None):
    if isinstance(snippet, Event) and snippet.is_recurring:
        yield ListingButton(
            _("Dates de la série"),
            reverse("events_occurrences", args=[snippet.pk]),
            icon_name="date",
            priority=15,
        )


def _after_save(request, instance):
    if isinstance(instance, Event):
        if not instance.bassins.exists() and not instance.is_regional:
            Event.objects.filter(pk=instance.pk).update(is_regional=True)
        services.save_event(instance, bump=False)


@hooks.register("after_create_snippet")
def event_created(request, instance):
    _after_save(request, instance)


@hooks.register("after_edit_snippet")
def event_edited(request, instance):
    if isinstance(instance, Event):
        services.bump_sequence(instance)
    _after_save(request, instance)
