"""Header and footer data for every page: the five bassins and their helpdesks."""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from core.batched_reads import batched, cached_read

from .models import Bassin

NAV_BASSINS_KEY = batched("maillage:nav-bassins")


def _bassins():
    bassins = cached_read(NAV_BASSINS_KEY)
    if bassins is None:
        bassins = list(Bassin.objects.all())
        cache.set(NAV_BASSINS_KEY, bassins, 300)
    return bassins


def site_navigation(request):
    return {"nav_bassins": SimpleLazyObject(_bassins)}
