"""The caseworkers' web console at /console: sign-in, queue, cases, supervision, audit."""

from bot.console.accounts import Account, AccountError, Accounts
from bot.console.directory import ServiceChoice, directory_of
from bot.console.routes import ConsoleConfig, build_console

__all__ = [
    "Account",
    "AccountError",
    "Accounts",
    "ConsoleConfig",
    "ServiceChoice",
    "build_console",
    "directory_of",
]
