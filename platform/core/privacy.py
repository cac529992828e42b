"""Personal data: retention rules, the right of access and erasure, and masked logs.

Each app declares what it holds about people in its ``privacy.py`` module (discovered
like ``admin.py``, see ``CoreConfig.ready``):

- ``RetentionRule``: personal data kept no longer than a period set in the settings;
  ``apply_retention`` runs one rule (a Celery beat entry per rule, ``core.tasks``).
- ``PersonalDataSource``: how to find, and erase, what is held about one e-mail
  address (``manage.py personal_data --email X [--erase]``).

Log records never carry an address: ``MaskEmailsFilter`` masks every address in every
record of the console handler, and code that logs an address on purpose masks it with
``mask_email`` first.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class RetentionRule:
    """Personal data erased (or anonymised) once older than a configured period.

    ``purge(cutoff)`` erases what became older than ``cutoff`` and returns how many
    rows it changed. The period is ``settings.<setting>`` in ``unit`` ("days" or
    "months").
    """

    name: str
    setting: str
    unit: str
    purge: Callable[[datetime.datetime], int]
    description: str

    @property
    def period(self) -> int:
        return getattr(settings, self.setting)

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        if self.unit == "months":
            return subtract_months(now, self.period)
        return now - datetime.timedelta(days=self.period)


@dataclass(frozen=True)
class PersonalDataSource:
    """Where personal data of one address may be held.

    ``find(email)`` returns one human-readable line per record held; ``erase(email)``
    erases (deletes or blanks) them and returns how many records it changed.
    """

    name: str
    find: Callable[[str], list[str]]
    erase: Callable[[str], int]


_rules: dict[str, RetentionRule] = {}
_sources: dict[str, PersonalDataSource] = {}


def register_retention(*rules: RetentionRule) -> None:
    for rule in rules:
        _rules[rule.name] = rule


def register_source(*sources: PersonalDataSource) -> None:
    for source in sources:
        _sources[source.name] = source


def retention_rules() -> list[RetentionRule]:
    return sorted(_rules.values(), key=lambda rule: rule.name)


def personal_data_sources() -> list[PersonalDataSource]:
    return sorted(_sources.values(), key=lambda source: source.name)


def subtract_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    for day in range(min(moment.day, 31), 0, -1):
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


def apply_retention(name: str, now: datetime.datetime | None = None) -> int:
    """Run retention rule ``name``; returns how many rows it erased or anonymised."""
    rule = _rules[name]
    return rule.purge(rule.cutoff(now or timezone.now()))


def personal_data_about(email: str) -> dict[str, list[str]]:
    """Everything held about ``email``, per source (sources holding nothing left out)."""
    found = {source.name: source.find(email) for source in personal_data_sources()}
    return {name: lines for name, lines in found.items() if lines}


def erase_personal_data(email: str) -> dict[str, int]:
    """Erase everything held about ``email``; returns the records changed per source."""
    erased = {source.name: source.erase(email) for source in personal_data_sources()}
    return {name: count for name, count in erased.items() if count}


# --- addresses in logs --------------------------------------------------------------

EMAIL_PATTERN = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")


def mask_email(address: str) -> str:
    """``marie.dupont@example.org`` -> ``m***@example.org`` (the domain helps diagnose)."""
    local, _, domain = (address or "").rpartition("@")
    if not local:
        return "***"
    return f"{local[0]}***@{domain}"


def mask_emails(text: str) -> str:
    """Every address in ``text`` masked (SMTP replies quote the recipient)."""
    return EMAIL_PATTERN.sub(lambda match: mask_email(match.group(0)), text)


class MaskEmailsFilter(logging.Filter):
    """Masks e-mail addresses in a record's message and traceback (LOGGING filter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_emails(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_emails(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_emails(record.exc_text)
        return True
