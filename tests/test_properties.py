"""Property-based: random histories, any target; the rollback restores exactly the app, or changes nothing."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gimlet_tui.gitops import (
    EntryKind,
    GitopsError,
    GitopsRepo,
    Layout,
    after_rollback,
    execute_rollback,
    iter_history,
    plan_rollback,
    read_history,
)
from helpers import Builder, git, repo_state

APP = "staging/api"
step = st.one_of(
    st.tuples(st.just("deploy"), st.sampled_from(["api", "api", "web"]), st.sampled_from(["a", "b", "c", None])),
    st.tuples(st.just("delete"), st.sampled_from(["api", "web"]), st.none()),
    st.tuples(
        st.just("edit"),
        st.sampled_from(["staging/api/extra.yaml", "staging/web/extra.yaml", "values.yaml"]),
        st.sampled_from(["x", "y", None]),
    ),
    st.tuples(st.just("rollback"), st.integers(0, 30), st.none()),
)


def build(path: Path, steps) -> Builder:
    b = Builder(path, Layout.SHARED)
    b.commit({"README.md": "# gitops\n"}, "Initial commit")
    b.deploy("staging", "api")
    for kind, what, detail in steps:
        if kind == "deploy":
            b.deploy("staging", what, content=detail)
        elif kind == "delete" and git(path, "ls-tree", "HEAD", f"staging/{what}"):
            b.delete("staging", what)
        elif kind == "edit":
            b.commit({what: None if detail is None else f"v: {detail}\n"}, f"edit {what}")
        elif kind == "rollback":
            repo = GitopsRepo.open(str(path))
            releases = [e for e in read_history(repo, "staging", "api") if e.is_release]
            if releases:
                with contextlib.suppress(GitopsError):
                    execute_rollback(repo, plan_rollback(repo, "staging", "api", releases[what % len(releases)].sha))
    return b


def outside_app(path: Path, spec: str) -> str:
    listing = git(path, "ls-tree", "-r", spec)
    return "\n".join(
        line
        for line in listing.splitlines()
        if not line.split("\t")[1].startswith((APP + "/", "staging/flux/kustomization-api.yaml"))
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(step, max_size=12), pick=st.integers(0, 100))
def test_rollback_invariants(steps, pick):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "repo"
        build(path, steps)
        repo = GitopsRepo.open(str(path))
        entries = read_history(repo, "staging", "api")
        assert [e.sha for e in entries] == git(path, "log", "--first-parent", "--format=%H", "--", APP).split()
        target = entries[pick % len(entries)]
        before = repo_state(path)
        head = before["head"].strip()
        try:
            plan = plan_rollback(repo, "staging", "api", target.sha)
        except GitopsError:
            assert repo_state(path) == before
            assert target.current or target.rolled_back or target.kind is not EntryKind.RELEASE
            return
        assert target.kind is EntryKind.RELEASE and not target.current and not target.rolled_back
        rolled_before = {e.sha for e in entries if e.rolled_back}
        result = execute_rollback(repo, plan)
        # what a face shows at once, from the engine's answer alone, is what a new walk finds
        assert after_rollback(entries, result) == list(iter_history(repo, "staging", "api", use_cache=False))
        assert git(path, "rev-parse", f"HEAD:{APP}") == git(path, "rev-parse", f"{target.sha}:{APP}")
        assert outside_app(path, "HEAD") == outside_app(path, head)
        assert git(path, "status", "--porcelain", "--untracked-files=all") == ""
        after = {e.sha: e for e in read_history(GitopsRepo.open(str(path)), "staging", "api")}
        assert after[target.sha].current
        reverted = {p.entry.sha for p in plan.reverts}
        un_marked = {t for p in plan.reverts if p.entry.kind is EntryKind.REVERT for t in p.entry.reverts}
        expected = (rolled_before | reverted) - un_marked
        assert {s for s, e in after.items() if e.rolled_back} == expected
