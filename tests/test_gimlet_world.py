"""The Gimlet world as it is: repositories Gimlet's CLI wrote (no release.json), infra repositories (one
env, no release.json), and Gimlet's own reading of our commits.

The repositories are written with the git command, in the shapes of public Gimlet gitops repositories
(rmortale/civo-gitops, dzsak/k8s-stack); Gimlet's rolled-back rule is implemented here from its source
(pkg/dashboard/gitops/helper.go, HasBeenReverted), independently of ours.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from gimlet_tui.cli import main
from gimlet_tui.gitops import GitopsRepo, read_history
from helpers import git, run_cli

CLI_AUTHOR = {"GIT_AUTHOR_NAME": "Gimlet CLI", "GIT_AUTHOR_EMAIL": "cli@gimlet.io"}


def write(
    repo: Path, files: dict[str, str | None], message: str, when: int, author: dict[str, str] = CLI_AUTHOR
) -> str:
    """Write (None: delete) files and commit them with the git command, at unix time `when`."""
    for name, content in files.items():
        path = repo / name
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    git(repo, "add", "-A")
    dates = {"GIT_AUTHOR_DATE": f"{when} +0000", "GIT_COMMITTER_DATE": f"{when} +0000"}
    committer = {"GIT_COMMITTER_NAME": author["GIT_AUTHOR_NAME"], "GIT_COMMITTER_EMAIL": author["GIT_AUTHOR_EMAIL"]}
    git(repo, "commit", "-q", "-m", message, env={**author, **committer, **dates})
    return git(repo, "rev-parse", "HEAD").strip()


def flux_files(env: str) -> dict[str, str]:
    return {
        f"{env}/flux/flux.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n",
        f"{env}/flux/gitops-repo.yaml": (
            "apiVersion: kustomize.toolkit.fluxcd.io/v1beta1\nkind: Kustomization\nmetadata:\n"
            f"  name: gitops-repo\n  namespace: flux-system\nspec:\n  path: ./{env}\n"
        ),
        f"{env}/flux/deploy-key.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: gitops-repo\n",
    }


def deployment(image: str) -> str:
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podtato-head\nspec:\n  template:\n    spec:\n"
        f"      containers:\n        - name: main\n          image: {image}\n"
    )


@pytest.fixture
def cli_written(tmp_path):
    """A repository as `gimlet manifest` / `gimlet gitops write` wrote it: manifests, no release.json anywhere."""
    repo = tmp_path / "civo-gitops"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    t = 1_612_000_000
    shas = {
        "bootstrap": write(
            repo, {"README.md": "# gitops\n", **flux_files("staging")}, "[Gimlet CLI bootstrap] staging", t
        )
    }
    shas["first"] = write(
        repo,
        {"staging/podtato-head/manifest.yaml": deployment("ghcr.io/podtato-head/podtatoserver:v0.1.0")},
        "[Gimlet CLI write] staging/podtato-head My first deploy with GitOps",
        t + 60,
    )
    shas["second"] = write(  # the old CLI added files without deleting the earlier ones
        repo,
        {
            "staging/podtato-head/deployment.yaml": deployment("ghcr.io/podtato-head/podtatoserver:v0.1.1"),
            "staging/podtato-head/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: podtato-head\n",
            "staging/.gimlet/vars": "LOG_LEVEL=debug\n",
        },
        "[Gimlet CLI write] staging/podtato-head deploying from gimlet environment",
        t + 120,
    )
    shas["production"] = write(repo, flux_files("production"), "[Gimlet CLI bootstrap] production", t + 180)
    return repo, shas


def test_apps_the_gimlet_cli_wrote_are_listed_and_can_be_rolled_back(cli_written, capsys):
    repo, shas = cli_written
    assert run_cli(capsys, "env", "list", "--repo", str(repo)) == (0, "production\nstaging\n", "")
    code, out, err = run_cli(capsys, "app", "list", "--repo", str(repo), "--env", "staging")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["podtato-head"]  # not flux, not .gimlet
    code, out, err = run_cli(
        capsys, "release", "list", "--repo", str(repo), "--env", "staging", "--app", "podtato-head", "-o", "json"
    )
    releases = json.loads(out)
    assert [(r["gitopsRef"], r["current"], r["app"], r["env"]) for r in releases] == [
        (shas["second"], True, "podtato-head", "staging"),
        (shas["first"], False, "podtato-head", "staging"),
    ]
    assert releases[0]["images"] == [  # the old CLI left the first manifest beside the new ones: both run
        "ghcr.io/podtato-head/podtatoserver:v0.1.1",
        "ghcr.io/podtato-head/podtatoserver:v0.1.0",
    ]
    code, out, err = run_cli(
        capsys, "release", "list", "--repo", str(repo), "--env", "staging", "--app", "podtato-head"
    )
    assert (
        "problem" not in out and "[Gimlet CLI write] staging/podtato-head My first deploy with GitOps Gimlet CLI" in out
    )
    argv = ["--repo", str(repo), "--env", "staging", "--app", "podtato-head", "--to", shas["first"][:10], "--yes"]
    code, out, err = run_cli(capsys, "release", "rollback", *argv)
    assert code == 0, err
    assert git(repo, "rev-parse", "HEAD:staging/podtato-head") == git(
        repo, "rev-parse", f"{shas['first']}:staging/podtato-head"
    )
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "rev-parse", "HEAD:staging/.gimlet") == git(repo, "rev-parse", f"{shas['second']}:staging/.gimlet")


async def test_the_tui_shows_apps_without_release_json(cli_written):
    from helpers import main_screen, make_app, rows, settle

    repo, shas = cli_written
    app = make_app(repo, options={"start_env": "staging"})
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert (screen.env, screen.app_name) == ("staging", "podtato-head")
        assert [row[1] for row in rows(app)] == [shas["second"][:10], shas["first"][:10]]
        detail = str(screen.query_one("#detail-text").render())
        assert "no release.json" in detail and "problem" not in detail


# -- Gimlet's own reading of our commits ---------------------------------------------------------


def gimlet_rolled_back(repo: Path, env: str, app: str) -> set[str]:
    """The releases Gimlet shows as ROLLED BACK, by its rule (helper.go HasBeenReverted), with the git command.

    A release is a commit on the app's path whose message lacks "This reverts commit"; it is rolled back
    when any commit on the path, committed at or after the release was authored, holds its full sha in
    its message.
    """
    log = git(repo, "log", "--format=%H%x1f%at%x1f%ct%x1f%B%x1e", "--", f"{env}/{app}")
    commits = []
    for record in log.split("\x1e"):
        if record.strip():
            sha, authored, committed, message = record.strip("\n").split("\x1f", 3)
            commits.append((sha, int(authored), int(committed), message))
    releases = [(sha, authored) for sha, authored, _, message in commits if "This reverts commit" not in message]
    return {
        sha
        for sha, authored in releases
        if any(sha in message for _, _, committed, message in commits if committed >= authored)
    }


def our_rolled_back(repo: Path, env: str, app: str) -> set[str]:
    return {e.sha for e in read_history(GitopsRepo.open(str(repo)), env, app) if e.is_release and e.rolled_back}


def test_gimlet_reads_our_rollbacks_as_we_do(make_repo, capsys):
    b = make_repo()
    api = [b.deploy("staging", "api") for _ in range(5)]
    b.deploy("staging", "web")
    path = str(b.path)
    for target in (api[2], api[0]):  # two rollbacks, the second past the first's reverts
        argv = ["--repo", path, "--env", "staging", "--app", "api", "--to", target, "--yes"]
        reason = f"back to {target}, which worked"  # a full sha in the reason is cut too
        code = main(["release", "rollback", *argv, "--reason", reason])
        assert code == 0, capsys.readouterr().err
    ours = our_rolled_back(b.path, "staging", "api")
    assert ours == set(api[1:])  # everything after api[0]; api[0] and the targets are not
    assert gimlet_rolled_back(b.path, "staging", "api") == ours
    messages = git(b.path, "log", "--format=%B", f"{api[-1]}..HEAD")
    full = set(re.findall(r"\b[0-9a-f]{40}\b", messages))
    assert full <= ours  # a full sha appears only in git's own "This reverts commit" line


def test_gimlet_rule_here_catches_a_full_sha_in_a_trailer(make_repo):
    """The rule above can fail: a later commit on the path that names a release's full sha marks it."""
    b = make_repo()
    first = b.deploy("staging", "api")
    b.deploy("staging", "api")
    b.commit({"staging/api/note.yaml": "x: 1\n"}, f"hand edit\n\nRollback-To: {first}")
    assert gimlet_rolled_back(b.path, "staging", "api") == {first}
    assert our_rolled_back(b.path, "staging", "api") == set()


# -- one env per repository, with no release.json --------------------------------------------------


def infra_repo(parent: Path, name: str, extra: dict[str, str] | None = None) -> Path:
    """A repo-per-env infra repository shaped like dzsak/k8s-stack (Gimlet's stack; no release.json)."""
    repo = parent / name
    git(parent, "init", "-q", "-b", "main", str(repo))
    files = {
        "stack.yaml": "stack:\n  repository: https://github.com/gimlet-io/gimlet-stack-reference.git\n",
        ".stack/ref": "v0.3.0\n",
        "flux/flux.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n",
        "flux/gitops-repo-dzsak-k8s-stack.yaml": "kind: Kustomization\nmetadata:\n  name: gitops-repo-dzsak-k8s-stack\n",
        "helm-releases/ingress-nginx.yaml": "kind: HelmRelease\nmetadata:\n  name: ingress-nginx\n",
        "manifests/cert-manager.yaml": "kind: Namespace\nmetadata:\n  name: cert-manager\n",
        "dependencies/.sourceignore": "*\n",
        **(extra or {}),
    }
    write(repo, files, "[Gimlet CLI] Bootstrapping", 1_640_000_000)
    return repo


def test_an_infra_repository_is_one_env_named_by_its_folder(tmp_path, capsys):
    repo = infra_repo(tmp_path, "k8s-stack")
    code, out, err = run_cli(capsys, "env", "list", "--repo", str(repo))
    assert (code, out) == (
        0,
        "k8s-stack  (one env per repository, named by the folder's name: it changes if the folder is renamed)\n",
    ), err
    code, out, err = run_cli(capsys, "app", "list", "--repo", str(repo), "--env", "k8s-stack")
    assert [line.split()[0] for line in out.splitlines()] == ["dependencies", "helm-releases", "manifests"]


def test_the_env_name_survives_a_rename_when_the_repository_names_it(tmp_path, capsys):
    token = "s3cret-gimlet-api-token"
    notifications = (
        "apiVersion: notification.toolkit.fluxcd.io/v1beta1\nkind: Provider\nmetadata:\n  name: gimlet\nspec:\n"
        f"  type: generic\n  address: https://gimlet.acme.dev/api/flux-events?access_token={token}&env=production\n"
    )
    repo = infra_repo(tmp_path, "k8s-stack", {"flux/notifications-dzsak-k8s-stack.yaml": notifications})
    expected = "production  (one env per repository, named by Flux notifications (flux/notifications-*.yaml))\n"
    assert run_cli(capsys, "env", "list", "--repo", str(repo)) == (0, expected, "")
    renamed = tmp_path / "clone-with-another-name"
    shutil.move(repo, renamed)
    code, out, err = run_cli(capsys, "env", "list", "--repo", str(renamed))
    assert (code, out) == (0, expected) and token not in out + err


def test_the_remote_name_convention_names_the_env(tmp_path, capsys):
    repo = infra_repo(tmp_path, "checkout")
    git(repo, "remote", "add", "origin", "git@github.com:acme/gitops-staging-apps.git")
    code, out, err = run_cli(capsys, "env", "list", "--repo", str(repo))
    assert out == "staging  (one env per repository, named by the remote's name (gitops-staging-apps))\n", err


def test_release_json_names_the_env_first(make_repo, capsys):
    from gimlet_tui.gitops import Layout

    b = make_repo(Layout.REPO_PER_ENV)
    b.deploy("staging", "api")
    code, out, err = run_cli(capsys, "env", "list", "--repo", str(b.path))
    assert out == "staging  (one env per repository, named by release.json)\n", err


def test_no_env_found_says_what_to_try(tmp_path, capsys):
    repo = infra_repo(tmp_path, "Not An Env Name")
    code, out, err = run_cli(capsys, "env", "list", "--repo", str(repo))
    assert (code, out) == (1, "")
    assert err.startswith(f"error: no env found in {repo} on main: it holds one env") and err.count("\n") == 1
    assert "name it in a workspace file" in err
    plain = tmp_path / "plain"
    git(tmp_path, "init", "-q", "-b", "main", str(plain))
    write(plain, {"docs/readme.md": "hello\n"}, "docs", 1_640_000_000)
    code, out, err = run_cli(capsys, "env", "list", "--repo", str(plain))
    assert code == 1 and "no top-level folder holds apps" in err and "--repo-per-env" in err


def test_repo_per_env_on_a_shared_repository_is_refused(cli_written, capsys):
    repo, _ = cli_written
    code, out, err = run_cli(capsys, "app", "list", "--repo", str(repo), "--repo-per-env", "--env", "staging")
    assert code == 1 and out == ""
    assert err == (
        f"error: {repo} is not a repository per env: production/, staging/ are env folders (with flux/ or a "
        "release.json naming the env), so it holds all envs; drop --repo-per-env (repoPerEnv in a workspace file)\n"
    )
    assert not os.path.exists(repo / ".git" / "index.lock")


# -- who, when and why; the repository's name -------------------------------------------------------


@pytest.fixture
def rolled_back(make_repo, capsys):
    """staging/api with its newest release rolled back by Ops, saying why."""
    b = make_repo()
    api = [b.deploy("staging", "api") for _ in range(3)]
    argv = ["--repo", str(b.path), "--env", "staging", "--app", "api", "--to", api[1], "--yes"]
    code = main(["release", "rollback", *argv, "--author", "Ops <ops@acme.dev>", "-m", "login broken for EU users"])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    return b, api


def test_release_list_says_who_rolled_back_when_and_why(rolled_back, capsys):
    b, api = rolled_back
    code, out, err = run_cli(capsys, "release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api")
    blocks = out.split("\n\n")
    assert "**ROLLED BACK**" in blocks[0] and blocks[0].endswith(
        "\n        rolled back by Ops, just now: login broken for EU users"
    )
    assert [block.count("rolled back by") for block in blocks] == [1, 0, 0]
    assert [len(block.splitlines()) for block in blocks] == [5, 4, 4]  # Gimlet's four lines, and ours under it
    code, out, err = run_cli(
        capsys, "release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api", "-o", "json"
    )
    releases = json.loads(out)
    revert = git(b.path, "log", "-1", "--format=%H %ct").split()
    assert {k: releases[0][k] for k in ("rolledBack", "rolledBackBy", "rolledBackAt", "rollbackReason")} == {
        "rolledBack": True,
        "rolledBackBy": "Ops",
        "rolledBackAt": int(revert[1]),
        "rollbackReason": "login broken for EU users",
    }
    assert releases[0]["rolledBackByCommit"] == revert[0]
    assert all("rolledBackBy" not in r and "rollbackReason" not in r for r in releases[1:])


def test_gitops_repo_is_the_remote_name_else_the_folder(rolled_back, capsys):
    b, api = rolled_back
    argv = ["release", "list", "--repo", str(b.path), "--env", "staging", "--app", "api", "-o", "json"]
    code, out, err = run_cli(capsys, *argv)
    assert {r["gitopsRepo"] for r in json.loads(out)} == {b.path.name}
    git(b.path, "remote", "add", "origin", "git@github.com:acme/gitops-staging-apps.git")
    code, out, err = run_cli(capsys, *argv)
    assert {r["gitopsRepo"] for r in json.loads(out)} == {"acme/gitops-staging-apps"}
    keys = list(json.loads(out)[0])
    assert keys.index("gitopsRef") < keys.index("gitopsRepo")  # in Gimlet's order, where release.json has it


async def test_the_tui_detail_pane_says_who_rolled_back_when_and_why(rolled_back):
    from helpers import main_screen, make_app, settle, timeline

    b, api = rolled_back
    app = make_app(b.path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        timeline(app).focus()
        await pilot.press("k", "k", "k")  # the newest entry: the rolled-back release
        await settle(pilot)
        assert timeline(app).selected.sha == api[2]
        detail = str(main_screen(app).query_one("#detail-text").render())
        assert "rolled back by Ops, " in detail and "login broken for EU users" in detail
