"""core.snapshots: a shared version in the cache and each process's snapshot of it."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from core.snapshots import ProcessSnapshot, SharedVersion


@pytest.fixture
def version():
    shared = SharedVersion("test:snapshots:version")
    cache.delete(shared.key)
    return shared


def test_a_flushed_cache_starts_a_new_era_and_a_bump_replaces_the_token(version):
    first = version.current()
    assert first is not None and version.current() == first  # kept in the cache
    version.bump()
    assert version.current() != first
    cache.delete(version.key)
    assert version.current() not in (None, first)


def test_a_snapshot_is_built_once_per_version_and_told(version, transactional_db):
    built, told = [], []
    snapshot = ProcessSnapshot(version, lambda v: built.append(v) or object(), on_build=told.append)
    first = snapshot.get()
    assert snapshot.get() is first and len(built) == 1 and told == [first]
    assert snapshot.is_current(first)
    version.bump()
    second = snapshot.get()
    assert second is not first and len(built) == 2 and told == [first, second]
    assert not snapshot.is_current(first) and snapshot.is_current(second)


def test_no_snapshot_inside_a_transaction_or_when_off(version, db):
    assert connection.in_atomic_block
    assert ProcessSnapshot(version, lambda v: object()).get() is None


def test_off_by_its_switch(version, transactional_db):
    assert ProcessSnapshot(version, lambda v: object(), enabled=lambda: False).get() is None


def test_bump_on_commit_bumps_again_once_committed(version, transactional_db):
    first = version.current()
    with transaction.atomic():
        version.bump_on_commit()
        inside = version.current()
        assert inside != first
    assert version.current() not in (first, inside)
