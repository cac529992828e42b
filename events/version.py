"""The agenda version: a token (a time in ns) replaced by every change of the agenda.

Kept in the Django cache (Redis in production, shared by every process and host). The
cached feeds and pages (``events.serving``) and each process's agenda index
(``events.agenda_index``) are valid for one version; ``events.signals`` replaces it on
every change of an event, kind, occurrence or their bassin/theme/language links.

Within one request the version is read once (a page reads it for its cache key, then for
each of its agenda reads): the request's pages and index then agree on one version, and a
change this thread makes (``bump_agenda_version``) is seen at once. Outside a request
(tasks, commands, the warm-up thread) every call reads the cache. All of it is
``core.snapshots.SharedVersion``, shared with the directory's version.
"""

from __future__ import annotations

from core.snapshots import SharedVersion

VERSION_KEY = "events:feed-version"
AGENDA_VERSION = SharedVersion(VERSION_KEY)

# The names the agenda uses (core.snapshots.SharedVersion does the work).
feed_version = AGENDA_VERSION.current
new_era = AGENDA_VERSION.new_era
bump_agenda_version = AGENDA_VERSION.bump
start_request = AGENDA_VERSION.start_request
end_request = AGENDA_VERSION.end_request
