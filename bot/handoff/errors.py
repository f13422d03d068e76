"""Why a queue action was refused.

CaseError
 ├── CaseNotFound   no such case, or not this actor's business (the console answers 404)
 ├── NotAllowed     the role or the claim does not allow it (403)
 ├── CaseConflict   the case changed meanwhile: claimed by someone else, already closed (409)
 └── InvalidInput   an empty or over-long text, an unknown team, outcome or caseworker (422)
"""

from __future__ import annotations


class CaseError(Exception):
    """A queue action that cannot be done; the message is safe to show to the caseworker."""


class CaseNotFound(CaseError):
    """No such case for this actor."""


class NotAllowed(CaseError):
    """The actor may see the case but not do this."""


class CaseConflict(CaseError):
    """The case is no longer in the state the action needs."""


class InvalidInput(CaseError):
    """What the caseworker typed or chose cannot be used."""
