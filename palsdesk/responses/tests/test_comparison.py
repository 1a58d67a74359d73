"""Two versions compared word by word: what was added and removed, each said in words as well as marked."""

from palsdesk.responses import comparison
from palsdesk.responses.comparison import Change, Piece


def test_a_changed_word_is_shown_removed_then_added_within_its_paragraph():
    result = comparison.compare(["We looked at your care."], ["We looked closely at your care."])

    assert result.paragraphs == [
        [Piece(Change.SAME, "We looked"), Piece(Change.ADDED, "closely"), Piece(Change.SAME, "at your care.")]
    ]
    assert (result.words_added, result.words_removed, result.is_same) == (1, 0, False)


def test_a_new_paragraph_and_a_removed_one_are_paragraphs_of_their_own():
    old = ["Dear Ms Khan,", "An old paragraph goes.", "Yours."]
    new = ["Dear Ms Khan,", "Yours.", "A new paragraph comes."]

    result = comparison.compare(old, new)

    assert result.paragraphs == [
        [Piece(Change.SAME, "Dear Ms Khan,")],
        [Piece(Change.REMOVED, "An old paragraph goes.")],
        [Piece(Change.SAME, "Yours.")],
        [Piece(Change.ADDED, "A new paragraph comes.")],
    ]
    assert (result.words_added, result.words_removed) == (4, 4)


def test_the_same_words_are_the_same():
    assert comparison.compare(["A b c."], ["A  b\nc."]).is_same


def test_joining_two_paragraphs_shows_the_words_that_moved():
    result = comparison.compare(["One two.", "Three."], ["One two. Three."])

    assert not result.is_same
    assert result.paragraphs == [
        [Piece(Change.SAME, "One two."), Piece(Change.ADDED, "Three.")],
        [Piece(Change.REMOVED, "Three.")],
    ]


def test_a_long_letter_is_compared_quickly():
    old = [f"Paragraph {n} says something about the care on ward {n} and what we found." for n in range(300)]
    new = [text.replace("found", "learned") if n % 3 == 0 else text for n, text in enumerate(old)]

    result = comparison.compare(old, new)

    assert (result.words_added, result.words_removed) == (100, 100)


def test_the_html_marks_and_says_each_change_and_escapes_the_text():
    html = comparison.as_html(comparison.compare(["Keep <this> & that"], ["Keep <these> & that"]))

    assert html == (
        '<p>Keep <del class="app-diff__removed"><span class="nhsuk-u-visually-hidden">[removed: </span>&lt;this&gt;'
        '<span class="nhsuk-u-visually-hidden">]</span></del> <ins class="app-diff__added">'
        '<span class="nhsuk-u-visually-hidden">[added: </span>&lt;these&gt;<span class="nhsuk-u-visually-hidden">]'
        "</span></ins> &amp; that</p>"
    )


def test_a_letter_rewritten_from_top_to_bottom_shows_the_old_removed_and_the_new_added():
    old = [f"Old paragraph number {n}" for n in range(60)]
    new = [f"Entirely different words {n} here" for n in range(60)]

    result = comparison.compare(old, new)

    assert [paragraph[0].change for paragraph in result.paragraphs] == [Change.REMOVED] * 60 + [Change.ADDED] * 60
    assert (result.words_added, result.words_removed) == (300, 240)
