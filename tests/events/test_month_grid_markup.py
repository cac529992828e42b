"""The month grid's cells written in Python (agenda_rows.month_week_cells) are the markup
the template loop of events/month.html wrote, in French and in Dutch."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

TEMPLATE_LOOP = (
    "{% load i18n agenda_rows %}"
    "{% for day, in_month, dates, day_url in week %}\n"
    '      <td class="{% if not in_month %}month-other{% endif %}">\n'
    '        <span class="month-day">{{ day|date:"j" }}</span>\n'
    "        {% if dates %}<ul>{% for occ in dates.shown %}\n"
    '          {% occurrence_row occ layout="compact" testid="month-event" %}\n'
    "        {% endfor %}</ul>\n"
    '        {% if dates.more %}<a class="month-more" href="{{ day_url }}"'
    ' data-testid="month-more">'
    '<span class="visually-hidden">{{ day|date:"l j F" }}, </span>'
    "{% blocktrans count more=dates.more %}+ {{ more }} autre{% plural %}+ {{ more }} autres"
    "{% endblocktrans %}</a>{% endif %}\n"
    "        {% endif %}\n"
    "      </td>\n"
    "    {% endfor %}"
)


def _row(text: str, language: str):
    key = ("components/event_row.html", "compact", "month-event", language)
    return SimpleNamespace(fragments={key: f"<li>{text}</li>"})


def _week(language: str):
    monday = datetime.date(2026, 8, 24)
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    return [
        (days[0], False, None, None),
        (days[1], True, SimpleNamespace(shown=[_row("a", language)], more=0), "/d?x=1&y=2"),
        (days[2], True, SimpleNamespace(shown=[_row("b", language)] * 3, more=1), "/d?a=1&b=2"),
        (days[3], True, SimpleNamespace(shown=[_row("c", language)] * 3, more=12), '/d?q="x"'),
        (days[4], True, None, "/d"),
        (days[5], True, SimpleNamespace(shown=[], more=0), "/d"),
        (days[6], True, None, None),
    ]


def rendered(template_loop: str, tag: str, context: dict) -> tuple[str, str]:
    """The template loop's markup and our tag's, for the same context."""
    engine = engines["django"]
    expected = engine.from_string(template_loop).render(context)
    ours = engine.from_string("{% load agenda_rows %}" + tag).render(context)
    return expected, ours


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_week_cells_are_the_markup_of_the_template_loop(language):
    with translation.override(language):
        context = {"week": _week(language)}
        expected, ours = rendered(TEMPLATE_LOOP, "{% month_week_cells week %}", context)
    assert ours == expected
    assert "month-more" in ours and ("autres" in ours or "andere" in ours)


LIST_TEMPLATE_LOOP = (
    "{% load i18n agenda_rows %}"
    "{% for week in weeks %}{% for day, in_month, dates, day_url in week %}"
    "{% if in_month and dates %}\n"
    '  <li class="month-list-day">\n'
    '    <h3 class="month-list-title">{{ day|date:"l j F" }}</h3>\n'
    "    <ul>{% for occ in dates.shown %}\n"
    '      {% occurrence_row occ template="events/_month_list_item.html" %}\n'
    "    {% endfor %}</ul>\n"
    '    {% if dates.more %}<p class="month-more"><a href="{{ day_url }}">'
    "{% blocktrans count total=dates.count %}Voir la date du jour{% plural %}"
    "Voir les {{ total }} dates du jour{% endblocktrans %}</a></p>{% endif %}\n"
    "  </li>\n"
    "  {% endif %}{% endfor %}{% endfor %}"
)


def _list_row(text: str, language: str):
    key = ("events/_month_list_item.html", "day", "", language)
    return SimpleNamespace(fragments={key: mark_safe(f"<li>{text} &amp; co</li>")})


def _list_weeks(language: str):
    monday = datetime.date(2026, 8, 24)
    days = [monday + datetime.timedelta(days=n) for n in range(14)]
    row = _list_row("a", language)
    return [
        [
            (days[0], False, SimpleNamespace(shown=[row], more=0, count=1), "/d?x=1"),
            (days[1], True, SimpleNamespace(shown=[row], more=0, count=1), "/d?x=1&y=2"),
            (days[2], True, SimpleNamespace(shown=[row] * 3, more=1, count=4), "/d?a=1&b=2"),
            (days[3], True, SimpleNamespace(shown=[row] * 3, more=12, count=15), '/d?q="x"'),
            (days[4], True, None, "/d"),
            (days[5], True, SimpleNamespace(shown=[], more=0, count=0), "/d"),
            (days[6], True, None, None),
        ],
        [(day, True, SimpleNamespace(shown=[row], more=1, count=2), "/e") for day in days[7:]],
    ]


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_month_list_of_days_is_the_markup_of_the_template_loop(language):
    with translation.override(language):
        context = {"weeks": _list_weeks(language)}
        expected, ours = rendered(LIST_TEMPLATE_LOOP, "{% month_list_days weeks %}", context)
    assert ours == expected
    assert ours.count('<li class="month-list-day">') == 11
    assert "<li>a &amp; co</li>" in ours and 'href="/d?q=&quot;x&quot;"' in ours
