"""Exercise names in block letters: as big as the room allows, wrapped between words."""

from __future__ import annotations

from trainer.ui.widgets.big_word import FULL_ROWS, HALF_ROWS, big_word, fit_big_text


def test_a_name_takes_full_blocks_where_rows_allow_and_half_blocks_where_fewer_do():
    full = fit_big_text("Tempo squat", 200, FULL_ROWS)
    assert full is not None and full.size == "full" and len(full.rows) == FULL_ROWS
    assert set("".join(full.rows)) <= {"█", " "}
    half = fit_big_text("Tempo squat", 200, FULL_ROWS - 1)
    assert half is not None and half.size == "half" and len(half.rows) == HALF_ROWS
    assert fit_big_text("Tempo squat", 200, HALF_ROWS - 1) is None  # plain, then


def test_a_long_name_wraps_between_words_and_every_row_fits():
    big = fit_big_text("Calf wall stretch, straight knee", 104, 20)
    assert big is not None and big.size == "full"
    lines = (len(big.rows) + 1) // (FULL_ROWS + 1)
    assert lines == 2  # CALF WALL STRETCH, / STRAIGHT KNEE
    assert all(len(row) <= 104 for row in big.rows)
    first, last = big.rows[0], big.rows[-1]  # each line centred as one block
    assert len(first) - len(first.lstrip()) < len(last) - len(last.lstrip())
    assert fit_big_text("Calf wall stretch, straight knee", 40, 40) is None  # a word too wide


def test_letters_without_a_glyph_leave_the_name_plain_and_accents_are_drawn():
    assert fit_big_text("Squat ✓", 200, 20) is None
    assert fit_big_text("Élan", 200, 20) == fit_big_text("Elan", 200, 20)


def test_the_side_badge_letters_are_unchanged():
    assert big_word("left").splitlines()[0] == "█     █████ █████ █████"
