"""The small condition language of flow files: ``children > 0 and income != "enough"``.

Grammar (keywords are lower case; names are question or score ids)::

    expr    := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | compare
    compare := atom [("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in") atom]
    atom    := NAME | NUMBER | "text" | yes | no | [atom, ...] | (expr)

A bare name is true when its answer is yes or a number above zero. Any comparison with a
question that was not asked, or answered "I prefer not to say", is false (so ``!=`` is false
too): rules never guess what a person did not tell us.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

AnswerValue = str | int | bool | None
Literal = str | int | bool | tuple[str | int | bool, ...]

_TOKEN = re.compile(
    r"\s*(?:(?P<number>-?\d+)|(?P<text>\"[^\"]*\"|'[^']*')|(?P<op>==|!=|<=|>=|<|>|\[|\]|\(|\)|,)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*))"
)
_OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in")
_KEYWORDS = frozenset({"and", "or", "not", "in", "yes", "no", "true", "false"})


class ConditionError(ValueError):
    """A condition that does not parse; the message says what was expected."""


@dataclass(frozen=True)
class Name:
    """A reference to a question's answer or a score."""

    id: str


@dataclass(frozen=True)
class Constant:
    """A literal: number, text, yes/no or a list of them."""

    value: Literal


@dataclass(frozen=True)
class Compare:
    """``left op right``; ``op`` is one of ``_OPERATORS``."""

    left: Name | Constant
    op: str
    right: Name | Constant


@dataclass(frozen=True)
class Truthy:
    """A bare name used as a condition."""

    name: Name


@dataclass(frozen=True)
class Not:
    operand: Condition


@dataclass(frozen=True)
class Both:
    """All parts are true (``and``)."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Either:
    """Any part is true (``or``)."""

    parts: tuple[Condition, ...]


Condition = Compare | Truthy | Not | Both | Either


def parse_condition(source: str) -> Condition:
    """Parse one condition; raises ConditionError naming what was expected."""
    parser = _Parser(_tokens(source))
    condition = parser.expression()
    if not parser.at_end():
        raise ConditionError(f"unexpected {parser.peek()!r}")
    return condition


def names_in(condition: Condition) -> frozenset[str]:
    """Every question or score id the condition reads."""
    if isinstance(condition, Truthy):
        return frozenset({condition.name.id})
    if isinstance(condition, Compare):
        return frozenset(side.id for side in (condition.left, condition.right) if isinstance(side, Name))
    if isinstance(condition, Not):
        return names_in(condition.operand)
    return frozenset().union(*(names_in(part) for part in condition.parts))


def comparisons(condition: Condition) -> tuple[tuple[str, Literal], ...]:
    """(name, constant) for each comparison of a name with a constant (to pick test values)."""
    if isinstance(condition, Compare):
        left, right = condition.left, condition.right
        if isinstance(left, Name) and isinstance(right, Constant):
            return ((left.id, right.value),)
        if isinstance(right, Name) and isinstance(left, Constant):
            return ((right.id, left.value),)
        return ()
    if isinstance(condition, Not):
        return comparisons(condition.operand)
    if isinstance(condition, Truthy):
        return ()
    return tuple(pair for part in condition.parts for pair in comparisons(part))


def evaluate(condition: Condition, values: Mapping[str, AnswerValue]) -> bool:
    """Whether the condition holds for these answers (absent ids count as not asked)."""
    if isinstance(condition, Truthy):
        value = values.get(condition.name.id)
        return value is True or (type(value) is int and value > 0)
    if isinstance(condition, Compare):
        return _compare(_value(condition.left, values), condition.op, _value(condition.right, values))
    if isinstance(condition, Not):
        return not evaluate(condition.operand, values)
    if isinstance(condition, Both):
        return all(evaluate(part, values) for part in condition.parts)
    return any(evaluate(part, values) for part in condition.parts)


def _value(side: Name | Constant, values: Mapping[str, AnswerValue]) -> Literal | None:
    return values.get(side.id) if isinstance(side, Name) else side.value


def _compare(left: Literal | None, op: str, right: Literal | None) -> bool:
    if left is None or right is None:
        return False
    if op in ("in", "not in"):
        if not isinstance(right, tuple):
            return False
        return (left in right) == (op == "in")
    if op == "==":
        return _same(left, right)
    if op == "!=":
        return not _same(left, right)
    if type(left) is not int or type(right) is not int:
        return False  # order only between numbers
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def _same(left: Literal, right: Literal) -> bool:
    return type(left) is type(right) and left == right


def _tokens(source: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    source = source.strip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise ConditionError(f"cannot read {source[position:]!r}")
        tokens.append(match.group().strip())
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the token list."""

    def __init__(self, tokens: list[str]) -> None:
        self._tokens = tokens
        self._index = 0

    def at_end(self) -> bool:
        return self._index >= len(self._tokens)

    def peek(self) -> str:
        return self._tokens[self._index] if not self.at_end() else "end of condition"

    def _take(self) -> str:
        token = self.peek()
        if self.at_end():
            raise ConditionError("the condition ends too early")
        self._index += 1
        return token

    def _accept(self, token: str) -> bool:
        if not self.at_end() and self._tokens[self._index] == token:
            self._index += 1
            return True
        return False

    def expression(self) -> Condition:
        parts = [self._conjunction()]
        while self._accept("or"):
            parts.append(self._conjunction())
        return parts[0] if len(parts) == 1 else Either(tuple(parts))

    def _conjunction(self) -> Condition:
        parts = [self._unary()]
        while self._accept("and"):
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else Both(tuple(parts))

    def _unary(self) -> Condition:
        if self._accept("not"):
            return Not(self._unary())
        if self._accept("("):
            inner = self.expression()
            if not self._accept(")"):
                raise ConditionError(f"expected ')' but found {self.peek()!r}")
            return inner
        return self._comparison()

    def _comparison(self) -> Condition:
        left = self._atom()
        op = self._operator()
        if op is None:
            if not isinstance(left, Name):
                raise ConditionError(f"a constant alone is not a condition: {left.value!r}")
            return Truthy(left)
        return Compare(left, op, self._atom())

    def _operator(self) -> str | None:
        if self._accept("not"):
            if not self._accept("in"):
                raise ConditionError(f"expected 'in' after 'not' but found {self.peek()!r}")
            return "not in"
        token = self.peek()
        if token in _OPERATORS:
            self._index += 1
            return token
        return None

    def _atom(self) -> Name | Constant:
        token = self._take()
        if token == "[":
            return Constant(self._list())
        literal = _literal(token)
        if literal is not None:
            return Constant(literal)
        if token in _KEYWORDS or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", token):
            raise ConditionError(f"expected a question id or a value but found {token!r}")
        return Name(token)

    def _list(self) -> tuple[str | int | bool, ...]:
        items: list[str | int | bool] = []
        while not self._accept("]"):
            if items and not self._accept(","):
                raise ConditionError(f"expected ',' or ']' but found {self.peek()!r}")
            literal = _literal(self._take())
            if literal is None:
                raise ConditionError("lists hold only values (quoted text, numbers, yes, no)")
            items.append(literal)
        return tuple(items)


def _literal(token: str) -> str | int | bool | None:
    if token in ("yes", "true"):
        return True
    if token in ("no", "false"):
        return False
    if re.fullmatch(r"-?\d+", token):
        return int(token)
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        return token[1:-1]
    return None
