"""One summary line instead of Wagtail's line per page ("Page created", "Page edited",
"Published") while the reference and demo loaders build the page tree."""

from __future__ import annotations

import logging
from collections import Counter
from contextlib import contextmanager

ACTIONS = {"Page created": "created", "Page edited": "edited", "Published": "published"}


class PageLogSummary(logging.Filter):
    """Drops Wagtail's per-page action records and counts them."""

    def __init__(self):
        super().__init__()
        self.counts: Counter[str] = Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for prefix, action in ACTIONS.items():
            if message.startswith(prefix):
                self.counts[action] += 1
                return False
        return True

    def summary(self) -> str:
        parts = [f"{self.counts[action]} {action}" for action in ACTIONS.values()]
        return "wagtail pages: " + ", ".join(parts)


@contextmanager
def summarised_page_log(write):
    """Within the block, Wagtail's page actions are counted, then ``write`` gets one line."""
    summary = PageLogSummary()
    logger = logging.getLogger("wagtail")
    logger.addFilter(summary)
    try:
        yield summary
    finally:
        logger.removeFilter(summary)
        if summary.counts:
            write(summary.summary())
