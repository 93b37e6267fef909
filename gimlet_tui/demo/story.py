"""The demo repository: two envs, five apps, weeks of deploys by several people, a rollback, a deletion.

Its history is deterministic apart from being placed relative to now, so that relative times read
the way they would in a live repository ("just now", "2 hours ago", "3 weeks ago").
"""

from __future__ import annotations

import os
import random
import tempfile
import time
import uuid

from gimlet_tui.demo.writer import GitopsWriter
from gimlet_tui.gitops import GitopsRepo, Identity, execute_rollback, plan_rollback, read_history

PEOPLE = [
    ("Alice Kovacs", "alice@acme.dev", "alice"),
    ("Bence Nagy", "bence@acme.dev", "bence"),
    ("Chen Wei", "chen@acme.dev", "chenw"),
    ("Dara Okafor", "dara@acme.dev", "dara"),
]
APPS = {
    "api": ("acme/api", "ghcr.io/acme/api", 8080),
    "web": ("acme/web", "ghcr.io/acme/web", 3000),
    "worker": ("acme/worker", "ghcr.io/acme/worker", 9090),
    "billing": ("acme/billing", "ghcr.io/acme/billing", 8081),
    "reports": ("acme/reports", "ghcr.io/acme/reports", 8082),
}
MESSAGES = [
    "Bugfix: retry on 503 from payments",
    "Add cache for session lookups",
    "Speed up the orders query",
    "Login page redesign",
    "Bump base image to debian 12.6",
    "Feature flag for new checkout",
    "Fix timezone in invoices",
    "Reduce log noise in health checks",
    "Add /metrics endpoint",
    "Handle empty carts",
    "Upgrade Postgres driver",
    "Paginate the audit log",
]
DAY = 86400


def _manifests(app: str, image: str, tag: str, port: int, replicas: int) -> dict[str, str]:
    deployment = (
        "---\n# Source: onechart/templates/deployment.yaml\n"
        "apiVersion: apps/v1\nkind: Deployment\n"
        f"metadata:\n  name: {app}\n  labels:\n    app.kubernetes.io/name: {app}\n    helm.sh/chart: onechart-0.62.0\n"
        f"spec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {app}\n"
        f"  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: {app}\n"
        f"    spec:\n      containers:\n        - name: {app}\n          image: {image}:{tag}\n"
        f"          ports:\n            - containerPort: {port}\n"
        "          resources:\n            requests:\n              cpu: 200m\n              memory: 200Mi\n"
    )
    service = (
        "---\n# Source: onechart/templates/service.yaml\n"
        f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {app}\n"
        f"spec:\n  ports:\n    - port: 80\n      targetPort: {port}\n  selector:\n    app.kubernetes.io/name: {app}\n"
    )
    return {"deployment.yaml": deployment, "service.yaml": service}


def _version(rng: random.Random, i: int, repository: str, name: str, email: str, when: int) -> dict[str, object]:
    """The `version` of deploy number `i`: a source commit, and a PR and a tag among them."""
    sha = f"{rng.getrandbits(160):040x}"
    version: dict[str, object] = {
        "repositoryName": repository,
        "sha": sha,
        "created": when - rng.randint(300, 5000),
        "branch": "main",
        "authorName": name,
        "authorEmail": email,
        "committerName": name,
        "committerEmail": email,
        "message": rng.choice(MESSAGES),
        "url": f"https://github.com/{repository}/commit/{sha}",
    }
    if i == 20:
        version.update(
            event="pr",
            branch="feature/dark-mode",
            sourceBranch="feature/dark-mode",
            targetBranch="main",
            message="Dark mode (PR #41)",
        )
    if i == 33:
        version.update(event="tag", tag="v1.4.0", message="Release v1.4.0")
    return version


def write_demo(path: str, now: int | None = None) -> str:
    """Write the demo repository at `path` (which must not exist or be empty) and return its path."""
    if os.path.exists(path) and os.listdir(path):
        raise FileExistsError(f"{path} is not empty")
    now = int(time.time()) if now is None else now
    rng = random.Random(20211020)
    writer = GitopsWriter(path)
    start = now - 42 * DAY
    writer.commit(
        {
            "README.md": "# acme gitops\n\nDesired state of every app, written by Gimlet.\n",
            ".gimlet/staging.yaml": "app: api\nenv: staging\n",
        },
        "Initial commit",
        start,
        author=PEOPLE[0][:2],
    )
    deploys = 64
    times = [*sorted(rng.randint(start + 3600, now - 1800) for _ in range(deploys - 2)), now - 1500, now - 240]
    for i, when in enumerate(times):
        env = "staging" if i % 3 else "production"
        app = rng.choice(["api", "api", "web", "worker", "billing", "reports"])
        if i >= deploys - 2:
            env, app = "staging", "api"
        repository, image, port = APPS[app]
        name, email, login = rng.choice(PEOPLE)
        version = _version(rng, i, repository, name, email, when)
        trigger = "policy" if rng.random() < 0.5 else login
        files = _manifests(app, image, str(version["sha"])[:8], port, rng.choice([2, 2, 3, 4]))
        artifact = f"{repository}-{uuid.UUID(int=rng.getrandbits(128), version=4)}"
        writer.deploy(env, app, files, version, when, triggered_by=trigger, artifact_id=artifact)
        if i == 50:
            writer.delete("production", "reports", "dara", when + 60)
    repo = GitopsRepo.open(path)
    # The newest staging/api release went bad: roll back to the one before it.
    releases = [e for e in read_history(repo, "staging", "api", limit=3) if e.is_release]
    plan = plan_rollback(repo, "staging", "api", releases[1].sha)
    execute_rollback(repo, plan, Identity(*PEOPLE[3][:2]), when=(now - 120, 0), reason="invoices dated a day early")
    return path


def default_demo_path() -> str:
    """A fresh folder for the demo repository under the system's temporary directory."""
    return tempfile.mkdtemp(prefix="gimlet-tui-demo-")
