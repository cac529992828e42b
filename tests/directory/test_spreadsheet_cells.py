"""The spreadsheet's multi-value cells: phones, weekly hours, addresses, numbers."""

import datetime
from decimal import Decimal

import pytest

from directory import spreadsheet_cells as cells


def t(hour, minute=0):
    return datetime.time(hour, minute)


def test_french_and_dutch_day_abbreviations_read_the_same_hours():
    french = cells.parse_hours("lun 9:00-12:00; mar 13:30-17:00")
    dutch = cells.parse_hours("ma 9:00-12:00; di 13:30-17:00")
    assert french == dutch == ((0, t(9), t(12)), (1, t(13, 30), t(17)))


def test_hours_accept_full_names_day_ranges_several_ranges_and_h_times():
    assert cells.parse_hours("Lundi 9h-12h, 14h30-16:00\nvr. 10.00-11.00") == (
        (0, t(9), t(12)),
        (0, t(14, 30), t(16)),
        (4, t(10), t(11)),
    )
    assert [slot[0] for slot in cells.parse_hours("lun-ven 9:00-17:00")] == [0, 1, 2, 3, 4]
    assert cells.parse_hours("") == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lux 9:00-12:00", "jour inconnu"),
        ("9:00-12:00", "écrivez le jour"),
        ("lun 9:00", "9:00-12:00"),
        ("lun 25:00-26:00", "heure illisible"),
        ("lun 9:75-12:00", "heure illisible"),
        ("lun 12:00-9:00", "fermeture vient après"),
        ("ven-lun 9:00-12:00", "du premier au dernier"),
        ("lun 9:00-12:00; lun 11:00-13:00", "se chevauchent"),
        ("lun 99999999999999999999:00-1:00", "heure illisible"),
        ("lun 9:00-12:00\x00", "heure illisible"),
        ("; ".join(["lun-dim 1:00-2:00"] * 7), "Plus de 42"),
    ],
)
def test_unreadable_hours_are_refused_with_the_reason(text, message):
    with pytest.raises(ValueError, match=message):
        cells.parse_hours(text)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_written_hours_read_back_the_same(language):
    slots = cells.parse_hours("lun 9:00-12:00, 14:00-16:30; sam 10:00-12:00")
    assert cells.parse_hours(cells.render_hours(slots, language)) == slots


def test_phones_with_their_kind_in_french_or_dutch():
    assert cells.parse_phones("02 274 14 33; 0800 14 960 (gratuit)\n0800 1 (Groen nummer)") == (
        ("02 274 14 33", "voice"),
        ("0800 14 960", "freephone"),
        ("0800 1", "freephone"),
    )
    assert cells.parse_phones("+32 2 274 14 33 (fax); 107") == (
        ("+32 2 274 14 33", "fax"),
        ("107", "voice"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("02 274 14 33, 02 274 14 34", "n'est pas un numéro"),
        ("appelez-nous", "n'est pas un numéro"),
        ("12", "n'est pas un numéro"),
        ("0" * 40, "n'est pas un numéro"),
        ("02 274 14 33 (pigeon)", "type inconnu"),
        ("02 274 14 33; 02 274 14 33", "en double"),
        (";".join(f"02 274 14 {n:02d}" for n in range(11)), "Plus de 10"),
    ],
)
def test_unreadable_phones_are_refused_with_the_reason(text, message):
    with pytest.raises(ValueError, match=message):
        cells.parse_phones(text)


def test_written_phones_read_back_the_same():
    phones = (("02 274 14 33", "voice"), ("0800 14 960", "freephone"), ("0470 1", "text"))
    for language in ("fr", "nl"):
        assert cells.parse_phones(cells.render_phones(phones, language)) == phones


def test_emails_are_lower_cased_once_each_and_checked():
    assert cells.parse_emails("A@x.be; b@x.be, a@X.be") == ("a@x.be", "b@x.be")
    with pytest.raises(ValueError, match="pas une adresse"):
        cells.parse_emails("a@x.be; pas-une-adresse")


@pytest.mark.parametrize("text", ["1e999999999", "6.5", "-3", "douze", "1234567"])
def test_a_small_number_is_a_plain_whole_number(text):
    with pytest.raises(ValueError):
        cells.parse_small_number(text)


def test_coordinates_take_a_point_or_a_comma_and_are_rounded_to_six_decimals():
    assert cells.parse_coordinate("50,8466") == Decimal("50.846600")
    assert cells.parse_coordinate("4.352812345") == Decimal("4.352812")
    assert cells.parse_coordinate("") is None
    for text in ("1e308", "50.8466N", "99999999999999999999", "nan"):
        with pytest.raises(ValueError):
            cells.parse_coordinate(text)


@pytest.mark.parametrize("parse", [cells.parse_phones, cells.parse_hours, cells.parse_emails])
def test_an_overlong_cell_or_entry_is_refused_before_it_is_read(parse):
    with pytest.raises(ValueError, match="trop long"):
        parse("1" + " " * 5_000_000 + "2")
    if parse is not cells.parse_emails:
        with pytest.raises(ValueError, match="trop long"):
            parse("lun 9" + " " * 300 + "x-1")
