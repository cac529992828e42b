"""Message bodies (links, mentions, line breaks) and the cards of linked records."""

from django import template
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe

from .. import queries

register = template.Library()


@register.filter
def message_body(text: str) -> str:
    """Escaped text with links made clickable, @mentions marked, line breaks kept."""
    html = urlize(escape(text), nofollow=True, autoescape=False)
    html = queries.MENTION.sub(r'<strong class="mention">@\1</strong>', html)
    return mark_safe(html.replace("\n", "<br>"))


@register.inclusion_tag("exchanges/_cards.html")
def linked_cards(message):
    """The message's cards: those set for a whole page (``queries.with_cards``), else
    read for this message alone."""
    cards = getattr(message, "cards", None)
    return {"cards": cards if cards is not None else queries.linked_cards(message.body)}
