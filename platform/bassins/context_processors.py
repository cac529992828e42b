"""Header and footer data for every page: the five bassins and their helpdesks."""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from .models import Bassin


def _bassins():
    bassins = cache.get("maillage:nav-bassins")
    if bassins is None:
        bassins = list(Bassin.objects.all())
        cache.set("maillage:nav-bassins", bassins, 300)
    return bassins


def site_navigation(request):
    return {"nav_bassins": SimpleLazyObject(_bassins)}
