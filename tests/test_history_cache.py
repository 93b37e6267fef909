"""The history cache: never a different answer from the walk, whatever happened to the branch or the file."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3

import pytest

from gimlet_tui.gitops import GitopsRepo, execute_rollback, iter_history, plan_rollback, read_history
from gimlet_tui.gitops import history_cache as cache
from gimlet_tui.gitops.release_json import LazyDocument
from helpers import compared, git


def walked(path, env="staging", app="api"):
    return list(iter_history(GitopsRepo.open(str(path)), env, app, use_cache=False))


def indexed(path, env="staging", app="api", limit=None):
    return read_history(GitopsRepo.open(str(path)), env, app, limit=limit)


def assert_same(path, env="staging", app="api"):
    expected = walked(path, env, app)
    assert indexed(path, env, app) == expected
    assert [e.sha for e in expected] == git(path, "log", "--first-parent", "--format=%H", "--", f"{env}/{app}").split()
    return expected


def test_warm_answers_come_from_the_cache(make_repo, walks):
    b = make_repo()
    for _ in range(5):
        b.deploy("staging", "api")
        b.deploy("staging", "web")
    first = indexed(b.path)
    # pygit2 alone compares every commit (ten deploys and the root); git names the five of api
    assert (
        compared(walks) == (11 if walks.engine == "pygit2" else 5)
        and cache.cache_path(GitopsRepo.open(str(b.path))).exists()
    )
    walks.clear()
    assert indexed(b.path) == first and compared(walks) == 0


def test_new_commits_walk_only_the_new_commits(make_repo, walks):
    b = make_repo()
    for _ in range(20):
        b.deploy("staging", "api")
    indexed(b.path)
    stored_head = git(b.path, "rev-parse", "HEAD").strip()
    b.deploy("staging", "web")
    new_head = b.deploy("staging", "api")
    walks.clear()
    entries = indexed(b.path)
    # the new commits (pygit2: both; git: only the one of api), then the stored head is recognised and the rest comes from the cache
    assert (
        compared(walks) == (2 if walks.engine == "pygit2" else 1)
        and walks[0].reached_stop
        and walks[0].stop == stored_head
    )
    assert entries[0].sha == new_head
    assert entries == walked(b.path) and len(entries) == 21


def test_rollback_and_revert_states_stay_right(make_repo):
    b = make_repo()
    target = b.deploy("staging", "api")
    for _ in range(3):
        b.deploy("staging", "api")
    assert_same(b.path)
    repo = GitopsRepo.open(str(b.path))
    execute_rollback(repo, plan_rollback(repo, "staging", "api", target))
    entries = assert_same(b.path)
    assert [e.sha for e in entries if e.current] == [target]
    git(b.path, "revert", "--no-edit", "HEAD")  # undo one revert: a release comes back
    assert_same(b.path)


def test_force_push_rewrites_history(make_repo):
    b = make_repo()
    for _ in range(5):
        b.deploy("staging", "api")
    assert_same(b.path)
    git(b.path, "reset", "-q", "--hard", "HEAD~3")
    b.deploy("staging", "api", content="rewritten")
    b.deploy("staging", "web")
    assert_same(b.path)


def test_reset_to_an_older_head(make_repo):
    b = make_repo()
    for _ in range(5):
        b.deploy("staging", "api")
    assert_same(b.path)
    git(b.path, "reset", "-q", "--hard", "HEAD~2")
    assert len(assert_same(b.path)) == 3
    git(b.path, "reset", "-q", "--hard", "HEAD@{1}")  # and forward again
    assert len(assert_same(b.path)) == 5


def test_a_limited_walk_is_stored_and_resumed(make_repo, walks):
    b = make_repo()
    for _ in range(30):
        b.deploy("staging", "api")
    assert len(indexed(b.path, limit=5)) == 5
    assert compared(walks) == 5  # five releases, newest first: the walk stopped there
    walks.clear()
    assert len(indexed(b.path, limit=3)) == 3 and compared(walks) == 0  # from the cache alone
    assert_same(b.path)
    walks.clear()
    indexed(b.path)
    assert compared(walks) == 0


@pytest.mark.parametrize("damage", ["truncate", "garbage", "foreign", "empty"])
def test_a_damaged_or_foreign_file_is_rebuilt(make_repo, damage):
    b = make_repo()
    other = make_repo()
    for _ in range(4):
        b.deploy("staging", "api")
        other.deploy("staging", "api")
    expected = assert_same(b.path)
    assert_same(other.path)
    path = cache.cache_path(GitopsRepo.open(str(b.path)))
    if damage == "truncate":
        data = path.read_bytes()
        cache.discard(path)
        path.write_bytes(data[: len(data) // 2 or 100])
    elif damage == "garbage":
        cache.discard(path)
        path.write_bytes(b"not a database at all" * 100)
    elif damage == "foreign":
        cache.discard(path)
        shutil.copy(cache.cache_path(GitopsRepo.open(str(other.path))), path)
    else:
        cache.discard(path)
        path.write_bytes(b"")
    assert indexed(b.path) == expected
    assert indexed(b.path) == expected


def test_corruption_during_a_read_falls_back_to_the_walk(make_repo, monkeypatch):
    b = make_repo()
    for _ in range(6):
        b.deploy("staging", "api")
    expected = assert_same(b.path)
    real = cache.change_from_row
    calls = []

    def failing(row):
        calls.append(1)
        if len(calls) == 3:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real(row)

    monkeypatch.setattr(cache, "change_from_row", failing)
    assert indexed(b.path) == expected


def _writer(path, cache, rounds):
    os.environ["XDG_CACHE_HOME"] = cache
    for _ in range(rounds):
        read_history(GitopsRepo.open(path), "staging", "api")


def test_concurrent_writers(make_repo):
    b = make_repo()
    for _ in range(40):
        b.deploy("staging", "api")
        b.deploy("staging", "web")
    cache = os.environ["XDG_CACHE_HOME"]
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(b.path), cache, 5)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for _ in range(5):
        b.deploy("staging", "api")
        assert_same(b.path)
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert_same(b.path)


def test_disabled_by_environment(make_repo, monkeypatch):
    b = make_repo()
    b.deploy("staging", "api")
    monkeypatch.setenv("GIMLET_TUI_NO_INDEX", "1")
    indexed(b.path)
    assert not cache.cache_path(GitopsRepo.open(str(b.path))).exists()


@pytest.mark.parametrize(
    "content",
    [
        b'{"app":"api","version":null,"surprise":[1],"triggeredBy":7}\n',
        b'{"app":"api","version":{"sha":"abc","created":"12","event":"tag","tag":"v1"},"x":{"y":[1,2]}}',
        b"{not json",
        b"[1, 2]",
        b"\xff\xfe",
        '{"app":"api"}'.encode("utf-16"),  # json.loads would read UTF-16 bytes; a release.json is UTF-8
        b'\xef\xbb\xbf{"app":"api"}',
        b'{"app":"api","version":"oops"}',
        b"[" * 100_000,
    ],
)
def test_a_release_read_from_the_cache_is_the_release_parsed_from_git(make_repo, content):
    b = make_repo()
    b.deploy("staging", "api")
    b.deploy("staging", "api", release=content)
    walked_entries = walked(b.path)
    indexed(b.path)  # stores
    warm = indexed(b.path)  # answered from the cache: parsed fields stored, the document read lazily
    assert warm == walked_entries
    assert all(isinstance(e.release.document, LazyDocument) for e in warm)
    assert [dict(e.release.document) for e in warm] == [dict(e.release.document) for e in walked_entries]
    assert [e.release.problem for e in warm] == [e.release.problem for e in walked_entries]


WRONG_ROWS = {
    "text for a time": "UPDATE changes SET committed_at = 'yesterday' WHERE pos = (SELECT MAX(pos) FROM changes)",
    "a huge time": "UPDATE changes SET committed_at = 1e300 WHERE pos = 1",
    "bad JSON": "UPDATE changes SET facts = '[null, [[' WHERE pos = 1",
    "JSON and more": "UPDATE changes SET facts = facts || ' x' WHERE pos = 1",
    "facts of another shape": "UPDATE changes SET facts = '[1, 2, 3]' WHERE pos = 1",
    "JSON of another shape": "UPDATE changes SET facts = json_set(facts, '$[1][0]', json('[[1, 2]]')) WHERE pos = 1",
    "short sha": "UPDATE changes SET sha = 'abc' WHERE pos = 1",
    "upper-case sha": "UPDATE changes SET sha = upper(sha) WHERE pos = 1",
    "removed flag": "UPDATE changes SET removed = 7 WHERE pos = 1",
    "release as text": "UPDATE changes SET release_data = 'text' WHERE release_data IS NOT NULL",
    "release fields not JSON": "UPDATE changes SET facts = '[[\"api\"' WHERE pos = 1",
    "release fields of another shape": "UPDATE changes SET facts = json_set(facts, '$[0]', json('[1, 2]')) WHERE pos = 1",
    "release version of another length": "UPDATE changes SET facts = json_set(facts, '$[0][6]', json('[1]')) WHERE pos = 1",
    "release created as text": "UPDATE changes SET facts = json_set(facts, '$[0][6][2]', 'x') WHERE pos = 1",
    "author as bytes": "UPDATE changes SET author_name = x'00ff' WHERE pos = 1",
    "head not hex": "UPDATE apps SET head = 'not a sha'",
    "tail not a commit": "UPDATE apps SET tail = '{blob}', complete = 0",
    "tail unknown": "UPDATE apps SET tail = '0123456789012345678901234567890123456789', complete = 0",
    "no tail, not complete": "UPDATE apps SET tail = NULL, complete = 0",
    "completeness": "UPDATE apps SET complete = 'yes'",
}


@pytest.mark.parametrize("wrong", sorted(WRONG_ROWS))
def test_rows_sqlite_accepts_but_are_wrong_rebuild_the_index(make_repo, wrong):
    """SQLite stores a text where an integer belongs: every row is checked as it is read."""
    b = make_repo()
    for _ in range(4):
        b.deploy("staging", "api")
    b.deploy("staging", "web")
    expected = assert_same(b.path)
    blob = git(b.path, "rev-parse", "HEAD:README.md").strip()
    with sqlite3.connect(cache.cache_path(GitopsRepo.open(str(b.path)))) as connection:
        assert connection.execute(WRONG_ROWS[wrong].replace("{blob}", blob)).rowcount >= 1
    assert indexed(b.path) == expected
    assert indexed(b.path) == expected and indexed(b.path, limit=2) == expected[:2]
