"""The confidentiality check blocks what identifies a person and warns on what might."""

import datetime

import pytest

from exchanges.confidentiality import check_text, is_national_number

from .confidentiality_corpus import BLOCKED, CLEAN, WARNED

TODAY = datetime.date(2026, 11, 29)


def kinds(text):
    return tuple(f.kind for f in check_text(text, today=TODAY).findings)


@pytest.mark.parametrize("text,expected", BLOCKED)
def test_texts_that_identify_a_person_are_blocked(text, expected):
    result = check_text(text, today=TODAY)
    assert result.is_blocked
    assert kinds(text) == expected


@pytest.mark.parametrize("text,expected", WARNED)
def test_texts_that_might_identify_a_person_are_warned_not_blocked(text, expected):
    result = check_text(text, today=TODAY)
    assert not result.is_blocked
    assert kinds(text) == expected


@pytest.mark.parametrize("text", CLEAN)
def test_general_texts_pass_untouched(text):
    assert check_text(text, today=TODAY).is_clean, kinds(text)


def test_national_number_checksum_before_and_from_2000():
    assert is_national_number("85073003328")
    assert not is_national_number("85073003329")
    # 97 - (2_050315123 mod 97) = 67: valid only by the 2000+ rule
    assert is_national_number("05031512367")
    assert not is_national_number("0503151236")


def test_every_finding_says_why_in_the_reader_language():
    from django.utils import translation

    finding = check_text("NN 85073003328", today=TODAY).findings[0]
    with translation.override("nl"):
        assert "rijksregister" in finding.message.lower()
