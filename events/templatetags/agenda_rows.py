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
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

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


@register.simple_tag
def month_week_cells(week) -> str:
    """The ``<td>`` cells of one week of the month grid (events/month.html).

    A month has 42 cells of several template nodes each: a third of an uncached month
    page. This writes the markup the template loop wrote, whitespace included (the tests
    compare it with that loop); ``week`` holds ``(day, in_month, dates, day_url)``.
    """
    cells = []
    for day, in_month, dates, day_url in week:
        cell = (
            f'\n      <td class="{"" if in_month else "month-other"}">\n'
            f'        <span class="month-day">{conditional_escape(date_format(day, "j"))}</span>\n'
            "        "
        )
        if dates:
            rows = "".join(
                f"\n          {conditional_escape(_compact_row(occ))}\n        "
                for occ in dates.shown
            )
            cell += f"<ul>{rows}</ul>\n        "
            if dates.more:
                more = ngettext("+ %(more)s autre", "+ %(more)s autres", dates.more) % {
                    "more": conditional_escape(dates.more)
                }
                cell += (
                    f'<a class="month-more" href="{conditional_escape(day_url)}"'
                    ' data-testid="month-more"><span class="visually-hidden">'
                    f"{conditional_escape(date_format(day, 'l j F'))}, </span>{more}</a>"
                )
            cell += "\n        "
        cells.append(cell + "\n      </td>\n    ")
    return mark_safe("".join(cells))


@register.simple_tag
def month_list_days(weeks) -> str:
    """The month as a list of days for narrow screens (events/month.html): each day of
    the month with dates, its first dates and a link to the day's whole list.

    Written in Python for the reason of ``month_week_cells`` (the template loop was a
    fifth of an uncached month page); the same markup, whitespace included (the tests
    compare it with that loop).
    """
    days = []
    for week in weeks:
        for day, in_month, dates, day_url in week:
            if not (in_month and dates):
                continue
            rows = "".join(f"\n      {_list_row(occ)}\n    " for occ in dates.shown)
            more = ""
            if dates.more:
                label = ngettext(
                    "Voir la date du jour", "Voir les %(total)s dates du jour", dates.count
                ) % {"total": conditional_escape(dates.count)}
                link = f'<a href="{conditional_escape(day_url)}">{label}</a>'
                more = f'<p class="month-more">{link}</p>'
            days.append(
                '\n  <li class="month-list-day">\n'
                f'    <h3 class="month-list-title">{conditional_escape(date_format(day, "l j F"))}'
                f"</h3>\n    <ul>{rows}</ul>\n    {more}\n  </li>\n  "
            )
    return mark_safe("".join(days))


# The month grid's rows: their {% occurrence_row %} arguments (the warm-up renders the
# same ones ahead: ``events.warmup.ROWS``).
MONTH_CELL = {"layout": "compact", "testid": "month-event"}


def _compact_row(occ) -> str:
    return occurrence_row(occ, **MONTH_CELL)


# The month's list of days' rows (the warm-up renders the same ones ahead).
MONTH_LIST_ITEM = {"template": "events/_month_list_item.html"}


def _list_row(occ) -> str:
    return conditional_escape(occurrence_row(occ, **MONTH_LIST_ITEM))
