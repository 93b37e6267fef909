"""The core's edge: pygit2 and OS errors become `GitFailure`, with one line that says what failed.

Every public function of the core is wrapped with `at_edge` (generators too, so an error met while
a history is being read is translated as well). Inside the core, modules call each other directly
and may catch pygit2 errors where they mean something (an ambiguous sha, a missing branch).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

import pygit2

from gimlet_tui.gitops.errors import GitFailure

F = TypeVar("F", bound=Callable[..., Any])


def describe(error: BaseException) -> str:
    """One line for a pygit2 or OS error: what failed and where, never a traceback."""
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror or type(error).__name__}{where}"
    text = " ".join(str(error).split()) or type(error).__name__
    return text


def translated(error: pygit2.GitError | OSError) -> GitFailure:
    """The core's error for a pygit2 or OS error."""
    return GitFailure(describe(error))


def at_edge(function: F) -> F:
    """Wrap a public core function so that pygit2 and OS errors leave it as `GitFailure`."""
    if inspect.isgeneratorfunction(function):

        @functools.wraps(function)
        def generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from function(*args, **kwargs)
            except (pygit2.GitError, OSError) as error:
                raise translated(error) from error

        return cast(F, generator)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (pygit2.GitError, OSError) as error:
            raise translated(error) from error

    return cast(F, wrapper)
