from django.db import transaction
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import admin_views, services
from .models import CalendarSource
from .permissions import source_permission_policy
from .tasks import sync_calendar_source
from .viewsets import CalendarSourceViewSet

register_permission_policy(CalendarSource, source_permission_policy)
register_snippet(CalendarSourceViewSet)


@hooks.register("register_admin_urls")
def calendars_admin_urls():
    return [path("calendars/<int:pk>/sync/", admin_views.sync_now, name="calendars_sync")]


@hooks.register("register_snippet_listing_buttons")
def sync_button(snippet, user, next_url=None):
    if isinstance(snippet, CalendarSource) and snippet.is_active:
        yield ListingButton(
            _("Importer maintenant"),
            reverse("calendars_sync", args=[snippet.pk]),
            icon_name="rotate",
            priority=15,
            attrs={"data-controller": "w-action", "data-action": "w-action#post"},
        )


@hooks.register("after_create_snippet")
def source_created(request, instance):
    if isinstance(instance, CalendarSource) and instance.is_active:
        transaction.on_commit(lambda: sync_calendar_source.delay(instance.pk))


@hooks.register("after_edit_snippet")
def source_edited(request, instance):
    if isinstance(instance, CalendarSource):
        services.forget_validators(instance)
