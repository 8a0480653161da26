"""One e-mail address per field: the contact of an agency and the sender of reminders.

An address field that the standard library would read as a list (``a@x.example,spy``,
``a@x.example; b@y.example``, a display name with a second address in it) sends a
reminder, with one agency's figures and possibly its list of names, to a second
recipient. So a field holds exactly one plain ``local@domain`` address: no display
name, no comma, semicolon, whitespace or control character, a dot in the domain; and
``email.utils.getaddresses`` must read exactly that one address back from it.
"""

from __future__ import annotations

import re
from email.utils import getaddresses

# dot-atom local part (RFC 5322, without quoted strings); domain of LDH labels
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+")
MAX_LENGTH = 254
_MESSAGE = "not an e-mail address: write exactly one address, as local@domain.example"


class InvalidAddress(ValueError):
    """Not exactly one e-mail address (the message quotes no part of the value)."""


def single_address(value: str | None) -> str | None:
    """``value`` trimmed if it is exactly one e-mail address; None if empty.

    Raises :class:`InvalidAddress` otherwise.
    """
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > MAX_LENGTH or not _ADDRESS.fullmatch(text):
        raise InvalidAddress(_MESSAGE)
    parsed = getaddresses([text])
    if parsed != [("", text)]:
        raise InvalidAddress(_MESSAGE)
    return text
