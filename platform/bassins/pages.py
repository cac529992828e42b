"""The page tree: a home per locale, a bassin page per bassin and locale, and the
standard content pages. Idempotent: pages that exist are left as editors made them."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import Bassin, BassinPage, ContentPage, HomePage
from .permissions import ensure_team_groups

HOME = {
    "fr": {
        "title": "Maillage — les bassins d'aide et de soins de Bruxelles",
        "slug": "accueil",
        "intro": "<p>Qui fait quoi près de chez vous, ce qui se passe dans votre bassin, "
        "quelle ligne appeler : l'agenda partagé et le répertoire des cinq bassins "
        "d'aide et de soins bruxellois.</p>",
    },
    "nl": {
        "title": "Maillage — de Brusselse zorgzones",
        "slug": "onthaal",
        "intro": "<p>Wie doet wat bij u in de buurt, wat er in uw zorgzone gebeurt, welke lijn u "
        "belt: de gedeelde agenda en de sociale kaart van de vijf Brusselse zorgzones.</p>",
    },
}

BASSIN_INTRO = {
    "fr": "<p>Le bassin d'aide et de soins {name} réunit les professionnel·les du social et de "
    "la santé de son territoire pour mieux se connaître, se coordonner et orienter.</p>",
    "nl": "<p>De zorgzone {name} brengt de welzijns- en gezondheidsprofessionals van haar "
    "grondgebied samen om elkaar te leren kennen, samen te werken en door te verwijzen.</p>",
}

CONTENT_PAGES = [
    {
        "slug": "a-propos",
        "slug_nl": "over-ons",
        "fr": (
            "À propos",
            "Maillage est la plateforme d'agenda partagé et d'interconnaissance "
            "des cinq bassins d'aide et de soins de la Région bruxelloise, soutenue par "
            "Brusano.",
        ),
        "nl": (
            "Over ons",
            "Maillage is het platform voor de gedeelde agenda en het elkaar "
            "leren kennen van de vijf Brusselse zorgzones, ondersteund door Brusano.",
        ),
    },
    {
        "slug": "mentions-legales",
        "slug_nl": "wettelijke-vermeldingen",
        "fr": (
            "Mentions légales",
            "Éditeur : Brusano asbl, Bruxelles. Les contenus des "
            "bassins sont publiés sous la responsabilité de leurs équipes.",
        ),
        "nl": (
            "Wettelijke vermeldingen",
            "Uitgever: Brusano vzw, Brussel. De inhoud van de "
            "zorgzones valt onder de verantwoordelijkheid van hun teams.",
        ),
    },
    {
        "slug": "vie-privee",
        "slug_nl": "privacy",
        "fr": (
            "Vie privée",
            "Nous ne collectons que les données nécessaires à vos "
            "inscriptions (réservations, lettres d'information). Elles ne sont jamais "
            "cédées et sont effacées quand elles ne servent plus ; chaque e-mail contient un "
            "lien pour les modifier ou les supprimer.",
        ),
        "nl": (
            "Privacy",
            "We verzamelen enkel de gegevens die nodig zijn voor uw inschrijvingen "
            "(reservaties, nieuwsbrieven). Ze worden nooit doorgegeven en worden gewist "
            "wanneer ze niet meer nodig zijn; elke e-mail bevat een link om ze te wijzigen "
            "of te verwijderen.",
        ),
    },
]


# Dutch pages carry Dutch slugs (/nl/noord/); French-slug URLs under /nl/ answer a
# permanent redirect (maillage.localized_urls).
BASSIN_SLUGS_NL = {
    "nord": "noord",
    "nord-est": "noordoost",
    "centre-ouest": "centrum-west",
    "sud": "zuid",
    "sud-est": "zuidoost",
}


def bassin_page_slug(slug: str, language: str) -> str:
    """The slug of a bassin's page in a language."""
    return BASSIN_SLUGS_NL.get(slug, slug) if language == "nl" else slug


def content_page_slug(slug: str, language: str) -> str:
    """The slug of a standard content page (about, legal notice, privacy) in a language."""
    if language == "nl":
        for spec in CONTENT_PAGES:
            if spec["slug"] == slug:
                return spec["slug_nl"]
    return slug


def dutch_page_slugs() -> dict[str, str]:
    """French slug -> Dutch slug of the pages ensure_site_pages makes."""
    return BASSIN_SLUGS_NL | {spec["slug"]: spec["slug_nl"] for spec in CONTENT_PAGES}


def _rename(page: Page, slug: str) -> bool:
    """Give an existing page its localized slug (pages made before slugs were translated)."""
    if page.slug == slug:
        return False
    page.slug = slug
    page.save_revision().publish()
    return True


def bassin_page_path(slug: str, language: str) -> str:
    """Path of a bassin's hub page in a language, without a query."""
    return f"/{language}/{bassin_page_slug(slug, language)}/"


def _locales() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("fr", "nl")}


def _child(parent: Page, model, locale: Locale, slug: str, **fields) -> tuple[Page, bool]:
    existing = model.objects.child_of(parent).filter(locale=locale, slug=slug).first()
    if existing:
        return existing, False
    page = model(slug=slug, locale=locale, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


@transaction.atomic
def ensure_site_pages(log=print) -> int:
    locales = _locales()
    changes = 0
    root = Page.get_first_root_node()
    if root is None:  # Wagtail's migration made one; a flushed database has none
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locales["fr"]))
        changes += 1

    homes: dict[str, HomePage] = {}
    translation_key = None
    for code in ("fr", "nl"):
        data = HOME[code]
        existing = HomePage.objects.filter(locale=locales[code]).first()
        if existing:
            homes[code] = existing
        else:
            extra = {"translation_key": translation_key} if translation_key else {}
            homes[code], _ = _child(
                root,
                HomePage,
                locales[code],
                data["slug"],
                title=data["title"],
                intro=data["intro"],
                **extra,
            )
            changes += 1
        translation_key = homes["fr"].translation_key

    # Wagtail's default "Welcome" page is replaced by our home.
    default_site = Site.objects.filter(is_default_site=True).first()
    if default_site is None:
        Site.objects.create(
            hostname="localhost", root_page=homes["fr"], is_default_site=True, site_name="Maillage"
        )
        changes += 1
    elif default_site.root_page_id != homes["fr"].pk:
        old_root = default_site.root_page
        default_site.root_page = homes["fr"]
        default_site.site_name = "Maillage"
        default_site.save()
        if old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
        changes += 1

    for bassin in Bassin.objects.all():
        fr_page = None
        for code in ("fr", "nl"):
            existing = BassinPage.objects.filter(bassin=bassin, locale=locales[code]).first()
            if existing:
                fr_page = fr_page or existing
                changes += _rename(existing, bassin_page_slug(bassin.slug, code))
                continue
            extra = {"translation_key": fr_page.translation_key} if fr_page else {}
            page, _ = _child(
                homes[code],
                BassinPage,
                locales[code],
                bassin_page_slug(bassin.slug, code),
                title=f"Bassin {bassin.tr('name', code)}"
                if code == "fr"
                else f"Zorgzone {bassin.tr('name', code)}",
                bassin=bassin,
                intro=BASSIN_INTRO[code].format(name=bassin.tr("name", code)),
                **extra,
            )
            fr_page = fr_page or page
            changes += 1

    for spec in CONTENT_PAGES:
        fr_page = None
        for code in ("fr", "nl"):
            slug = spec["slug"] if code == "fr" else spec["slug_nl"]
            existing = (
                ContentPage.objects.child_of(homes[code])
                .filter(slug__in=[spec["slug"], slug])
                .first()
            )
            if existing:
                fr_page = fr_page or existing
                changes += _rename(existing, slug)
                continue
            title, text = spec[code]
            extra = {"translation_key": fr_page.translation_key} if fr_page else {}
            page, _ = _child(
                homes[code],
                ContentPage,
                locales[code],
                slug,
                title=title,
                body=[("paragraph", f"<p>{text}</p>")],
                **extra,
            )
            fr_page = fr_page or page
            changes += 1

    changes += ensure_team_groups()
    return changes
