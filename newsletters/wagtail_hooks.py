"""Admin: send reports, subscribers, and the dashboard panel of drafts to edit."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from bassins.rights import BassinScope
from bassins.viewsets import BassinScopedPermissionPolicy, BassinScopedViewSetMixin

from . import admin_views
from .dashboard import month_overview
from .models import DeliveryStatus, Mailing, Subscriber
from .queries import drafts_awaiting


def _count(status):
    return Count("deliveries", filter=Q(deliveries__status=status))


class MailingIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("issue")
            .annotate(
                sent_count=_count(DeliveryStatus.SENT),
                pending_count=_count(DeliveryStatus.PENDING) + _count(DeliveryStatus.CLAIMED),
                failed_count=_count(DeliveryStatus.FAILED),
                bounced_count=_count(DeliveryStatus.BOUNCED),
            )
        )


MAILING_SCOPE = BassinScope(("issue__bassin",))
register_permission_policy(Mailing, BassinScopedPermissionPolicy(Mailing, MAILING_SCOPE))


class MailingViewSet(BassinScopedViewSetMixin, ModelViewSet):
    """The send report: sent, failed, pending, bounced per mailing. A bassin team sees
    the mailings of its own bassin's issues; digests are regional."""

    model = Mailing
    bassin_scope = MAILING_SCOPE
    bassin_form_field = None
    icon = "mail"
    menu_label = _("Envois")
    add_to_admin_menu = False
    list_display = [
        "__str__",
        "kind",
        "status",
        "created_at",
        "finished_at",
        Column("sent_count", label=_("Envoyés")),
        Column("pending_count", label=_("À envoyer")),
        Column("failed_count", label=_("Échecs")),
        Column("bounced_count", label=_("Rebonds")),
    ]
    list_filter = ["kind", "status"]
    inspect_view_enabled = True
    form_fields = ["status"]

    index_view_class = MailingIndexView


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Abonné·es")
    add_to_admin_menu = False
    list_display = [
        "email",
        Column("language", label=_("Langue")),
        "status",
        Column("confirmed_at", label=_("Confirmé le")),
        "suppressed_at",
    ]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    form_fields = ["email", "language", "status", "bassins", "digest_bassins", "suppressed_at"]


class NewsletterViewSetGroup(ModelViewSetGroup):
    menu_label = _("Info Prévention Santé")
    menu_icon = "mail"
    items = (MailingViewSet("newsletter_mailings"), SubscriberViewSet("newsletter_subscribers"))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return NewsletterViewSetGroup()


class DraftsPanel(Component):
    name = "newsletter_drafts"
    order = 110
    template_name = "newsletters/admin/drafts_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        overview = month_overview(timezone.localdate())
        this_month = overview["month"]
        return {
            "overview": overview,
            "drafts": [d for d in drafts_awaiting(self.user) if d.month != this_month],
            "can_edit_calendar": self.user.has_perm("newsletters.change_thememonth"),
        }


@hooks.register("construct_homepage_panels")
def add_drafts_panel(request, panels):
    panels.append(DraftsPanel(request.user))


@hooks.register("register_admin_urls")
def theme_calendar_urls():
    return [
        path(
            "info-prevention/calendrier/",
            admin_views.theme_calendar,
            name="newsletters_theme_calendar",
        ),
        path(
            "info-prevention/calendrier/<int:year>/",
            admin_views.theme_calendar,
            name="newsletters_theme_calendar_year",
        ),
    ]
