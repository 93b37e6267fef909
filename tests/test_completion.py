"""Shell completion, for real: bash, zsh and fish load the script `gimlet-tui completion SHELL` prints and complete."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gimlet_tui.cli import main
from helpers import git

BIN = str(Path(sys.executable).parent)  # where the installed `gimlet-tui` is

BASH_HARNESS = r"""
source "$SCRIPT"
line="$1"
read -ra COMP_WORDS <<< "$line"
[[ "$line" == *" " ]] && COMP_WORDS+=("")
COMP_LINE="$line"; COMP_POINT=${#line}; COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_TYPE=9
_python_argcomplete gimlet-tui "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""

# zsh completes only in an interactive shell's line editor: drive one in a pseudo-terminal (zpty), complete
# from a widget that says when it is done (typed-ahead keys would cut completion short), and print what
# the completion system adds (compadd -A collects the matches without inserting them).
ZSH_HARNESS = r"""
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT='' RPROMPT=''"
zpty -w z "autoload -U compinit && compinit -u -D"
zpty -w z 'source "$SCRIPT"'
zpty -w z 'compadd () { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; typeset -a __hits; builtin compadd -A __hits "$@"; (( $#__hits )) && print -rl -- "<hit>"${^__hits}; }'
zpty -w z '_capture () { zle complete-word; print -r -- "<do""ne>"; }; zle -N _capture; bindkey "^X" _capture'
zpty -w z "print '<rea''dy>'"
while zpty -r z line; do [[ $line == *'<ready>'* ]] && break; done
zpty -w -n z "$1"$'\C-x'
while zpty -r z line; do
  [[ $line == *'<hit>'* ]] && print -r -- "${${line#*<hit>}%$'\r'}"
  [[ $line == *'<done>'* ]] && break
done
zpty -d z
"""


@pytest.fixture
def repo(make_repo):
    b = make_repo()
    b.shas = [b.deploy("staging", "api") for _ in range(4)]
    git(b.path, "revert", "--no-edit", b.shas[-1])
    b.deploy("staging", "web")
    b.deploy("production", "api")
    return b


@functools.cache
def script_text(shell: str) -> str:
    """What `gimlet-tui completion SHELL` prints, from the installed command."""
    return subprocess.run([f"{BIN}/gimlet-tui", "completion", shell], capture_output=True, text=True, check=True).stdout


def script(tmp_path: Path, shell: str) -> Path:
    path = tmp_path / f"gimlet-tui.{shell}"
    path.write_text(script_text(shell))
    return path


def complete(shell: str, line: str, tmp_path: Path, env: dict[str, str] | None = None) -> list[str]:
    """What `shell` offers for `line` (the cursor at its end), through the script as a user installs it."""
    environ = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "SCRIPT": str(script(tmp_path, shell)),
        **(env or {}),
    }
    if shell == "bash":
        argv = ["bash", "--norc", "--noprofile", "-c", BASH_HARNESS, "harness", line]
    elif shell == "zsh":
        argv = ["zsh", "-f", "-c", ZSH_HARNESS, "harness", line]
        environ["TERM"] = "xterm"  # zsh's line editor, which completes, is off on a dumb terminal
    else:
        argv = ["fish", "--no-config", "-c", 'source "$SCRIPT"; complete -C "$argv[1]"', line]
    result = subprocess.run(argv, capture_output=True, text=True, env=environ, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    offered = [row.split("\t")[0].strip() for row in result.stdout.splitlines() if row.strip()]
    return list(dict.fromkeys(offered))  # zsh's _describe adds each match twice (once for the listing)


SHELLS = ["bash", "zsh", "fish"]


@pytest.mark.parametrize("shell", SHELLS)
def test_verbs_options_and_choices(shell, tmp_path):
    assert set(complete(shell, "gimlet-tui ", tmp_path)) >= {"release", "env", "app", "config", "demo", "completion"}
    assert complete(shell, "gimlet-tui rel", tmp_path) == ["release"]
    assert sorted(complete(shell, "gimlet-tui release ", tmp_path)) == ["list", "redeploy", "rollback"]
    assert "--since" in complete(shell, "gimlet-tui release list --s", tmp_path)
    assert sorted(complete(shell, "gimlet-tui release list -o ", tmp_path)) == ["json", "text", "wide", "yaml"]
    assert sorted(complete(shell, "gimlet-tui completion ", tmp_path)) == ["bash", "fish", "zsh"]


@pytest.mark.parametrize("shell", SHELLS)
def test_env_and_app_names_of_the_repository_on_the_line(shell, repo, tmp_path):
    r = str(repo.path)
    assert sorted(complete(shell, f"gimlet-tui release list --repo {r} -e ", tmp_path)) == ["production", "staging"]
    assert sorted(complete(shell, f"gimlet-tui --repo {r} -e staging release list -a ", tmp_path)) == ["api", "web"]
    assert complete(shell, f"gimlet-tui app list --repo {r} -e prod", tmp_path) == ["production"]
    from_variable = complete(shell, "gimlet-tui app list -e ", tmp_path, env={"GIMLET_TUI_REPO": r})
    assert sorted(from_variable) == ["production", "staging"]


@pytest.mark.parametrize("shell", SHELLS)
def test_release_shas_come_from_the_history_index(shell, repo, tmp_path, capsys):
    line = f"gimlet-tui release rollback --repo {repo.path} -e staging -a api --to "
    assert complete(shell, line, tmp_path) == []  # never read yet: no walk on a tab press
    assert main(["release", "list", "--repo", str(repo.path), "-e", "staging", "-a", "api"]) == 0
    capsys.readouterr()
    offered = complete(shell, line, tmp_path)
    # The targets a rollback accepts: not the rolled-back newest, not CURRENT.
    assert sorted(offered) == sorted(sha[:10] for sha in repo.shas[:2])


def test_descriptions_name_each_release(repo, tmp_path, capsys):
    main(["release", "list", "--repo", str(repo.path), "-e", "staging", "-a", "api"])
    capsys.readouterr()
    environ = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
    script_path = script(tmp_path, "fish")
    line = f"gimlet-tui release rollback --repo {repo.path} -e staging -a api -t "
    result = subprocess.run(
        ["fish", "--no-config", "-c", f'source {script_path}; complete -C "{line}"'],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )
    rows = dict(row.split("\t", 1) for row in result.stdout.splitlines())
    assert rows[repo.shas[1][:10]].endswith("00000002 change 2")


def test_a_remote_not_yet_mirrored_is_never_reached(tmp_path):
    url = "ssh://git@127.0.0.1:9/nowhere.git"  # port 9 (discard): nothing answers there
    assert complete("bash", f"gimlet-tui release list --repo {url} -e ", tmp_path) == []
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "gimlet-tui" / "repos"
    assert not cache.exists() or list(cache.iterdir()) == []


def test_a_mirrored_remote_is_completed_from_its_mirror(repo, tmp_path, capsys):
    bare = tmp_path / "served.git"
    git(tmp_path, "clone", "--bare", "-q", str(repo.path), str(bare))
    url = f"file://{bare}"
    line = f"gimlet-tui release list --repo {url} -e staging -a "
    assert complete("bash", line, tmp_path) == []  # not cloned yet: nothing, and no clone made
    assert main(["env", "list", "--repo", url]) == 0  # the first use clones it
    capsys.readouterr()
    assert sorted(complete("bash", line, tmp_path)) == ["api", "web"]


def test_a_broken_line_offers_nothing_and_prints_nothing(tmp_path):
    assert complete("bash", f"gimlet-tui release list --repo {tmp_path} -e ", tmp_path) == []
    assert complete("bash", "gimlet-tui release list --config /nonexistent.yaml -e ", tmp_path) == []


def test_normal_commands_do_not_load_argcomplete(repo):
    code = (
        "import sys, atexit\n"
        "atexit.register(lambda: print('argcomplete' in sys.modules, file=sys.stderr))\n"
        "from gimlet_tui.cli import main\n"
        f"main(['release', 'list', '--repo', {str(repo.path)!r}, '-e', 'staging', '-a', 'api'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr == "False\n" and "staging/api" in result.stdout
