"""Write a Gimlet-layout benchmark repository with `git fast-import`, deterministically, and cache it.

100,000 deploy commits over 4 envs x 50 apps: each rewrites the app's folder (deployment.yaml,
release.json), the env-level release.json, and 1 in 100 is a revert of the app's previous deploy.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

ENVS = ["staging", "production", "qa", "dev"]
APPS = [f"app-{i:02d}" for i in range(50)]
START = 1_600_000_000
CACHE = Path(__file__).resolve().parent / ".cache"


def _data(out, payload: bytes) -> None:
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def _release(env: str, app: str, n: int, when: int) -> bytes:
    sha = f"{n:08x}" + "0" * 32
    document = {
        "app": app,
        "env": env,
        "artifactId": f"acme/{app}-{n:08d}",
        "triggeredBy": "policy",
        "version": {
            "repositoryName": f"acme/{app}",
            "sha": sha,
            "created": when,
            "branch": "main",
            "authorName": "Dev",
            "authorEmail": "dev@acme.dev",
            "message": f"change {n}",
            "url": f"https://github.com/acme/{app}/commit/{sha}",
        },
        "gitopsRef": "",
        "gitopsRepo": "",
    }
    return (json.dumps(document, separators=(",", ":")) + "\n").encode()


def _deployment(app: str, n: int) -> bytes:
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}\nspec:\n  replicas: 2\n"
        f"  template:\n    spec:\n      containers:\n        - name: {app}\n          image: ghcr.io/acme/{app}:{n:08x}\n"
    ).encode()


def generate(path: Path, commits: int, seed: int = 7) -> None:
    """Create a non-bare repository at `path` holding `commits` deploy commits (plus a root commit)."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(
        ["git", "-C", str(path), "fast-import", "--quiet", f"--cat-blob-fd={write_fd}"],
        stdin=subprocess.PIPE,
        pass_fds=(write_fd,),
    )
    os.close(write_fd)
    answers = os.fdopen(read_fd, "rb")
    out = process.stdin
    gimlet = b"Gimlet <gimlet@gimlet.io>"
    when = START
    out.write(b"commit refs/heads/main\nmark :1\n")
    out.write(b"author %s %d +0000\ncommitter %s %d +0000\n" % (gimlet, when, gimlet, when))
    _data(out, b"Initial commit")
    out.write(b"M 100644 inline README.md\n")
    _data(out, b"# benchmark gitops\n")
    history: dict[tuple[str, str], list[tuple[int, int, bytes]]] = {}  # (env, app) -> live deploys (mark, n, release)
    for i in range(commits):
        mark = i + 2
        when += rng.randint(1, 120)
        env, app = rng.choice(ENVS), rng.choice(APPS)
        deploys = history.setdefault((env, app), [])
        revert = len(deploys) >= 2 and rng.random() < 0.01
        if revert:
            reverted_mark, _, _ = deploys.pop()
            out.write(b"get-mark :%d\n" % reverted_mark)
            out.flush()
            reverted_sha = answers.readline().strip().decode()
            _, n, release = deploys[-1]  # a true revert: the previous deploy's files, byte for byte
            message = f'Revert "[Gimlet] {env}/{app} automated deploy"\n\nThis reverts commit {reverted_sha}.\n'
        else:
            n = i
            release = _release(env, app, n, when)
            deploys.append((mark, n, release))
            message = f"[Gimlet] {env}/{app} automated deploy"
        out.write(b"commit refs/heads/main\nmark :%d\n" % mark)
        out.write(b"author %s %d +0000\ncommitter %s %d +0000\n" % (gimlet, when, gimlet, when))
        _data(out, message.encode())
        if i == 0:
            out.write(b"from :1\n")
        for name, payload in (
            (f"{env}/{app}/deployment.yaml", _deployment(app, n)),
            (f"{env}/{app}/release.json", release),
        ):
            out.write(b"M 100644 inline %s\n" % name.encode())
            _data(out, payload)
        if not revert:
            out.write(b"M 100644 inline %s/release.json\n" % env.encode())
            _data(out, release)
    out.close()
    if process.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", str(path), "checkout", "-q", "-f", "main"], check=True)


def cached_repo(commits: int) -> Path:
    """The benchmark repository with `commits` commits, generated once and kept in bench/.cache."""
    path = CACHE / f"gitops-{commits}"
    done = path / ".git" / "gimlet-bench-complete-2"  # bump when the generator changes
    if not done.exists():
        if path.exists():
            subprocess.run(["rm", "-rf", str(path)], check=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        generate(path, commits)
        done.write_text("ok\n")
    return path


if __name__ == "__main__":
    print(cached_repo(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
