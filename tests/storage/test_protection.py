"""Sealing text at rest: AES-256-GCM under a key id, values sealed earlier as Fernet tokens still
open, and anything altered, or sealed under an unknown key, is a clear error."""

from __future__ import annotations

import os

import pytest
from cryptography.fernet import Fernet

from bot.storage.protection import AES_GCM, KeyError_, Protector

OLD, NEW = Fernet.generate_key(), Fernet.generate_key()
TEXT = "Necesito ayuda, mi hija tiene fiebre 😟 +57 300 000 0001"


def protector(current: str = "k1", **keys: bytes) -> Protector:
    return Protector(os.urandom(32), keys or {"k1": OLD}, current)


def test_a_sealed_value_opens_to_the_same_text_and_hides_it() -> None:
    sealed = protector().seal(TEXT)
    assert sealed.startswith(b"k1:" + AES_GCM)
    assert TEXT.encode() not in sealed and b"fiebre" not in sealed
    assert protector(k1=OLD).open(sealed) == TEXT  # another process with the same key


def test_sealing_twice_gives_different_values() -> None:
    one = protector()
    assert one.seal(TEXT) != one.seal(TEXT)


def test_fernet_tokens_sealed_before_still_open() -> None:
    legacy = b"k1:" + Fernet(OLD).encrypt(TEXT.encode())
    assert protector().open(legacy) == TEXT


def test_after_a_rotation_values_under_the_old_key_open_and_new_ones_use_the_new_key() -> None:
    before = protector(k1=OLD)
    old_values = [before.seal(TEXT), b"k1:" + Fernet(OLD).encrypt(TEXT.encode())]
    after = protector("k2", k2=NEW, k1=OLD)
    assert [after.open(value) for value in old_values] == [TEXT, TEXT]
    assert after.seal(TEXT).startswith(b"k2:")


@pytest.mark.parametrize("position", [3, 4, 10, 20, -1])
def test_an_altered_value_is_refused(position: int) -> None:
    sealed = bytearray(protector().seal(TEXT))
    sealed[position] ^= 0x01
    with pytest.raises(KeyError_, match="cannot open this value"):
        protector().open(bytes(sealed))


def test_a_value_relabelled_with_another_key_id_is_refused() -> None:
    both = protector("k1", k1=OLD, k2=OLD)  # the same key under two ids: the id is authenticated too
    sealed = both.seal(TEXT)
    with pytest.raises(KeyError_, match="'k2' cannot open"):
        both.open(b"k2" + sealed[2:])


@pytest.mark.parametrize("value", [b"k9:" + AES_GCM + b"x" * 40, b"no separator"])
def test_an_unknown_key_id_is_named(value: bytes) -> None:
    with pytest.raises(KeyError_, match="no encryption key with id"):
        protector().open(value)


def test_erased_values_are_none() -> None:
    assert protector().open_or_none(b"") is None
