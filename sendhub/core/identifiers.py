"""NHS numbers and Unique Pupil Numbers, checked by their published check-digit rules.

Pure Python: no Django import, so imports, the API and the CLI all use the same checks.
"""

import re

# Letters used for the UPN check letter and a temporary UPN's last character (no I, O or S).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


class IdentifierError(ValueError):
    """The identifier is not valid; the message says why in plain English."""


def normalise_nhs_number(value: str) -> str:
    """Accept '943 476 5919' or '943-476-5919'; return the 10 digits or raise IdentifierError."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not digits:
        raise IdentifierError("Enter an NHS number")
    if not digits.isdigit() or len(digits) != 10:
        raise IdentifierError("NHS number must be 10 digits, like 943 476 5919")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise IdentifierError("NHS number is not valid: check each digit, the last one does not match")
    return digits


def nhs_check_digit(first_nine: str) -> int | None:
    """Modulus 11 with weights 10 down to 2; None when the remainder makes the number unusable."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def format_nhs_number(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def normalise_upn(value: str) -> str:
    """Accept a permanent or temporary UPN in any case; return it upper-case or raise IdentifierError."""
    upn = re.sub(r"\s", "", value or "").upper()
    if not upn:
        raise IdentifierError("Enter a unique pupil number (UPN)")
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn):
        raise IdentifierError(
            "UPN must be 13 characters: a letter, 11 digits, then a digit or letter, like B801200005001"
        )
    if upn[0] not in UPN_LETTERS or (upn[12].isalpha() and upn[12] not in UPN_LETTERS):
        raise IdentifierError("UPN must not use the letters I, O or S")
    if upn_check_letter(upn[1:]) != upn[0]:
        raise IdentifierError("UPN is not valid: the check letter at the start does not match the rest")
    return upn


def upn_check_letter(last_twelve: str) -> str:
    """DfE rule: characters 2-13 weighted 2-13, modulo 23; a temporary UPN's letter counts by UPN_LETTERS."""
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        total += weight * (UPN_LETTERS.index(char) if char.isalpha() else int(char))
    return UPN_LETTERS[total % 23]
