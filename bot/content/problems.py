"""Problems found in routes_content/: one Problem per finding, and the error that carries them.

ContentError (ValueError)     loading failed; ``problems`` lists every error found
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding of the loader or the checker, located at a file and line."""

    severity: Severity
    code: str
    file: Path
    line: int | None
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def describe(self, root: Path | None = None) -> str:
        """``file:line: severity [code] message``, the file relative to ``root`` when possible."""
        shown = self.file
        if root is not None and self.file.is_relative_to(root):
            shown = self.file.relative_to(root)
        where = f"{shown}:{self.line}" if self.line is not None else str(shown)
        return f"{where}: {self.severity} [{self.code}] {self.message}"


class ContentError(ValueError):
    """Content could not be loaded; the message names file, line and field of each error."""

    def __init__(self, problems: list[Problem], root: Path | None = None) -> None:
        self.problems = problems
        super().__init__("\n".join(problem.describe(root) for problem in problems))


def error(code: str, file: Path, line: int | None, message: str) -> Problem:
    """An error-level Problem."""
    return Problem("error", code, file, line, message)


def warning(code: str, file: Path, line: int | None, message: str) -> Problem:
    """A warning-level Problem."""
    return Problem("warning", code, file, line, message)
