"""Two versions of a draft response compared word by word, paragraph by paragraph: what was added and removed.

Pure: it takes each version's paragraphs (richtext.paragraphs) and gives pieces of text, each the same,
added or removed. The HTML form marks them with <ins> and <del>, and says "added" and "removed" in words
a screen reader reads out, since most do not announce those elements and colour is never the only sign.
"""

import difflib
import enum
import html
from dataclasses import dataclass


class Change(enum.StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class Piece:
    change: Change
    text: str


@dataclass(frozen=True)
class Comparison:
    paragraphs: list[list[Piece]]
    words_added: int
    words_removed: int
    # Also false when only the paragraph breaks moved.
    is_same: bool


# Two paragraphs at least this alike are one paragraph changed, compared word by word; less alike, one
# paragraph went and another came.
SAME_PARAGRAPH_RATIO = 0.5
# Pairing compares every old paragraph of a changed block with the new ones: past this many pairs (a letter
# rewritten from top to bottom), the block shows as the old paragraphs removed and the new ones added.
MAX_PAIRINGS = 2_500


def _words(paragraph: str) -> list[str]:
    return paragraph.split()


def _pieces(change: Change, words: list[str]) -> list[Piece]:
    return [Piece(change, " ".join(words))] if words else []


def _word_changes(old: list[str], new: list[str], counts: dict) -> list[Piece]:
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            pieces += _pieces(Change.SAME, new[new_start:new_end])
            continue
        pieces += _pieces(Change.REMOVED, old[old_start:old_end])
        pieces += _pieces(Change.ADDED, new[new_start:new_end])
        counts[Change.REMOVED] += old_end - old_start
        counts[Change.ADDED] += new_end - new_start
    return pieces


def _changed_block(old: list[list[str]], new: list[list[str]], counts: dict) -> list[list[Piece]]:
    """Paragraphs replaced by others: each old one paired, in order, with the next new one alike enough."""
    paragraphs: list[list[Piece]] = []
    if len(old) * len(new) > MAX_PAIRINGS:
        for change, block in ((Change.REMOVED, old), (Change.ADDED, new)):
            for words in block:
                paragraphs.append(_pieces(change, words))
                counts[change] += len(words)
        return paragraphs
    next_new = 0
    for old_words in old:
        match = next(
            (
                index
                for index in range(next_new, len(new))
                if difflib.SequenceMatcher(None, old_words, new[index], autojunk=False).ratio() >= SAME_PARAGRAPH_RATIO
            ),
            None,
        )
        if match is None:
            paragraphs.append(_pieces(Change.REMOVED, old_words))
            counts[Change.REMOVED] += len(old_words)
            continue
        for added in new[next_new:match]:
            paragraphs.append(_pieces(Change.ADDED, added))
            counts[Change.ADDED] += len(added)
        paragraphs.append(_word_changes(old_words, new[match], counts))
        next_new = match + 1
    for added in new[next_new:]:
        paragraphs.append(_pieces(Change.ADDED, added))
        counts[Change.ADDED] += len(added)
    return paragraphs


def compare(old: list[str], new: list[str]) -> Comparison:
    """The pieces of each paragraph, from the old version's paragraphs to the new one's.

    Paragraphs are lined up first, then a changed paragraph is compared word by word: a paragraph taken
    out shows as a paragraph of removed words, one put in as a paragraph of added words.
    """
    before = [_words(paragraph) for paragraph in old if paragraph.split()]
    after = [_words(paragraph) for paragraph in new if paragraph.split()]
    counts = {Change.ADDED: 0, Change.REMOVED: 0}
    paragraphs: list[list[Piece]] = []
    matcher = difflib.SequenceMatcher(None, [" ".join(p) for p in before], [" ".join(p) for p in after], autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            paragraphs += [_pieces(Change.SAME, words) for words in after[new_start:new_end]]
        else:
            paragraphs += _changed_block(before[old_start:old_end], after[new_start:new_end], counts)
    return Comparison(
        paragraphs=[paragraph for paragraph in paragraphs if paragraph],
        words_added=counts[Change.ADDED],
        words_removed=counts[Change.REMOVED],
        is_same=before == after,
    )


def as_html(comparison: Comparison) -> str:
    """The comparison as paragraphs, additions in <ins> and removals in <del>, each also said in words."""
    blocks = []
    for paragraph in comparison.paragraphs:
        pieces = []
        for piece in paragraph:
            text = html.escape(piece.text, quote=False)
            if piece.change == Change.ADDED:
                text = (
                    '<ins class="app-diff__added"><span class="nhsuk-u-visually-hidden">[added: </span>'
                    f'{text}<span class="nhsuk-u-visually-hidden">]</span></ins>'
                )
            elif piece.change == Change.REMOVED:
                text = (
                    '<del class="app-diff__removed"><span class="nhsuk-u-visually-hidden">[removed: </span>'
                    f'{text}<span class="nhsuk-u-visually-hidden">]</span></del>'
                )
            pieces.append(text)
        blocks.append(f"<p>{' '.join(pieces)}</p>")
    return "\n".join(blocks)
