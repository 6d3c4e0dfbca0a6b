import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendhub.core.identifiers import (
    UPN_LETTERS, IdentifierError, format_nhs_number, nhs_check_digit, normalise_nhs_number, normalise_upn,
    upn_check_letter,
)


@pytest.mark.parametrize("value", ["943 476 5919", "9434765919", "943-476-5919", "401 023 2137"])
def test_valid_nhs_numbers(value):
    assert normalise_nhs_number(value) == value.replace(" ", "").replace("-", "")


@pytest.mark.parametrize(
    ("value", "message"),
    [("943 476 5918", "not valid"), ("94347659", "10 digits"), ("94347659AB", "10 digits"), ("", "Enter"),
     ("1234567890", "not valid")],  # 123456789 gives check 10: no such number exists
)
def test_invalid_nhs_numbers(value, message):
    with pytest.raises(IdentifierError, match=message):
        normalise_nhs_number(value)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nhs_check_digit_round_trip_and_single_digit_errors_are_caught(first_nine):
    check = nhs_check_digit(first_nine)
    if check is None:
        for last in "0123456789":
            with pytest.raises(IdentifierError):
                normalise_nhs_number(first_nine + last)
        return
    number = first_nine + str(check)
    assert normalise_nhs_number(format_nhs_number(number)) == number
    for position in range(10):
        for digit in "0123456789":
            if digit != number[position]:
                with pytest.raises(IdentifierError):
                    normalise_nhs_number(number[:position] + digit + number[position + 1:])


@pytest.mark.parametrize("value", ["B801200005001", "b801200005001", " B801200005001 "])
def test_valid_upns(value):
    assert normalise_upn(value) == "B801200005001"


def test_temporary_upn_with_a_final_letter():
    body = "80120000500A"
    assert normalise_upn(upn_check_letter(body) + body) == upn_check_letter(body) + body


@pytest.mark.parametrize(
    ("value", "message"),
    [("A801200005001", "check letter"), ("B80120000500", "13 characters"), ("1801200005001", "13 characters"),
     ("B8012000050I1", "13 characters"), ("I801200005001", "must not use"), ("", "Enter")],
)
def test_invalid_upns(value, message):
    with pytest.raises(IdentifierError, match=message):
        normalise_upn(value)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.sampled_from("0123456789" + UPN_LETTERS))
def test_upn_check_letter_catches_any_wrong_check_letter(body, last):
    upn_body = body + last
    good = upn_check_letter(upn_body)
    assert normalise_upn(good + upn_body) == good + upn_body
    for letter in UPN_LETTERS.replace(good, ""):
        with pytest.raises(IdentifierError):
            normalise_upn(letter + upn_body)
