"""The directory version: a token replaced by every change of the directory's data.

Each process's search index (``directory.search_index``) is valid for one version.
``directory.signals`` bumps it on every save and delete of a directory row or link;
the bulk writers (``search.rebuild_search_index`` after an import) bump it themselves.
"""

from __future__ import annotations

from core.snapshots import SharedVersion

DIRECTORY_VERSION = SharedVersion("directory:version")


def bump_directory_version(**_signal_kwargs) -> None:
    """Call after (or inside the transaction of) any write of directory data."""
    DIRECTORY_VERSION.bump_on_commit()
