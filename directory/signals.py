"""Keep the search columns of services current: every save, every change of their
terms, every change of their organisation; bump the directory version on every change
of its rows and links; and forget the cached synonym groups when
one is saved or deleted, and the cached facet labels when a bassin, commune, theme,
public, language or modality is. Connected in ``DirectoryConfig.ready``."""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.utils import timezone

from .models import Organisation, Service, SynonymGroup
from .queries import FACET_LABEL_MODELS, forget_facet_labels
from .search import fill_search_columns, forget_synonyms, index_saved_service, reindex_services
from .version import bump_directory_version

TERM_RELATIONS = (
    Service.themes.through,
    Service.publics.through,
    Service.languages.through,
    Service.modalities.through,
    Service.area_bassins.through,
    Service.area_communes.through,
)


AVAILABILITY_FIELDS = ("availability", "availability_wait_weeks", "availability_date")


def _availability(service) -> tuple:
    return tuple(service.__dict__.get(name) for name in AVAILABILITY_FIELDS)


def service_loaded(sender, instance, **kwargs) -> None:
    instance._loaded_availability = _availability(instance)


def service_saving(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        fill_search_columns(instance)
        _date_changed_availability(instance)


def _date_changed_availability(service) -> None:
    """Whoever changes the availability (admin, one-click link, import) without giving
    its date sets it today; an availability is never shown with an older date."""
    loaded = getattr(service, "_loaded_availability", (None, None, None))
    current = _availability(service)
    new_and_undated = service._state.adding and current[2] is None and current[0] != "unknown"
    if new_and_undated or (current[:2] != loaded[:2] and current[2] == loaded[2]):
        service.availability_date = timezone.localdate()
    service._loaded_availability = _availability(service)


def service_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        index_saved_service(instance)


def service_terms_changed(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Service):
        reindex_services([instance])


def organisation_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if not created and not raw:
        reindex_services(instance.services.select_related("organisation"))


def synonyms_changed(sender, instance, raw=False, **kwargs) -> None:
    forget_synonyms()


def facet_labels_changed(sender, instance, raw=False, **kwargs) -> None:
    forget_facet_labels()


def directory_changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        bump_directory_version()


def connect() -> None:
    # Every row and link of the directory: the search index and what it keeps are
    # valid for one version of it (``directory.version``).
    for model in apps.get_app_config("directory").get_models(include_auto_created=True):
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(
                directory_changed,
                sender=model,
                dispatch_uid=f"directory-version-{model._meta.label_lower}-{signal}",
            )
    post_init.connect(service_loaded, sender=Service, dispatch_uid="directory-service-loaded")
    pre_save.connect(service_saving, sender=Service, dispatch_uid="directory-service-saving")
    post_save.connect(service_saved, sender=Service, dispatch_uid="directory-service-saved")
    for through in TERM_RELATIONS:
        m2m_changed.connect(
            service_terms_changed,
            sender=through,
            dispatch_uid=f"directory-terms-{through._meta.model_name}",
        )
    post_save.connect(
        organisation_saved, sender=Organisation, dispatch_uid="directory-organisation-saved"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            synonyms_changed, sender=SynonymGroup, dispatch_uid=f"directory-synonyms-{signal}"
        )
    for model, _key in FACET_LABEL_MODELS.values():
        for signal in (post_save, post_delete):
            signal.connect(
                facet_labels_changed,
                sender=model,
                dispatch_uid=f"directory-facet-labels-{model._meta.label_lower}-{signal}",
            )
