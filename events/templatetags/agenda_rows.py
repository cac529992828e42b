"""``{% occurrence_row occ %}``: one agenda row (components/event_row.html), rendered once.

An agenda page lists up to 40 rows and a month grid several hundred; rendering the row
template for each is most of an uncached page's time. The HTML depends only on the
occurrence, the template (event_row.html or the month's list item), the layout, the test
id and the language, so it is kept on the
OccurrenceView: the views of the agenda index live as long as their agenda version, so
each row is rendered once per version, language and layout; a view built by SQL (inside a
transaction) is rendered on each request as before.
"""

from django import template
from django.template.loader import render_to_string
from django.utils import translation

register = template.Library()


@register.simple_tag
def occurrence_row(
    occ, layout: str = "day", testid: str = "", template: str = "components/event_row.html"
):
    key = (template, layout, testid, translation.get_language())
    html = occ.fragments.get(key)
    if html is None:
        context = {"occ": occ, "layout": layout, "testid": testid}
        html = occ.fragments[key] = render_to_string(template, context)
    return html
