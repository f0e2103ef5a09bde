"""Values from templates are untrusted text: make them safe for a terminal and for XML.

A logical id, a path or a reason can hold control characters: an ANSI escape would drive the
reader's terminal, a newline would forge a report line, and most C0 characters are not allowed in
XML 1.0 at all (a JUnit report holding one does not parse). Each is written as a visible escape.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a reader sees
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# everything XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets), plus the controls XML allows but
# a reader's terminal would act on (ESC and friends are C0, already covered)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """One line of text for a terminal or a log: every control character escaped (\\x1b, \\n...)."""
    return _UNPRINTABLE.sub(_escape, str(text))


def xml_text(text: object) -> str:
    """Text XML 1.0 can hold (tabs and newlines kept), the rest escaped."""
    return _NOT_XML.sub(_escape, str(text))
