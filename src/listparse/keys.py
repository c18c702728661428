"""Title keys: the spelling-blind form of a title that every stage compares titles by.

Parsing (finding a page's ItemList names among its lines), catalogues and
aliases files (looking titles up) and merging (grouping entries) all need
the same key, so it lives here rather than in any one of those stages.
"""

from __future__ import annotations

import re
import unicodedata

TOKEN_RE = re.compile(r"[^\W_]+")
# Roman numerals of two letters or more are numbers ("Turrican II" is "Turrican 2"); "i", "v", "x" may be words.
ROMAN_NUMERALS = {numeral: str(value) for value, numeral in enumerate(
    "_ i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split()) if len(numeral) >= 2}


def title_key(title: str) -> str:
    """The key two spellings of one title share ("Steins; Gate" and "Steins;Gate" → "steins gate")."""
    return " ".join(title_tokens(title))


def title_tokens(title: str, roman_as_digits: bool = True) -> list[str]:
    """The words of a title, case-folded, accents and apostrophes dropped, Roman numerals as digits."""
    folded = title.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    tokens = TOKEN_RE.findall(folded.replace("'", "").replace("’", ""))
    if not tokens:
        # A title of symbols alone ("÷", "×", an emoji) is its own key: its marks, word by word.
        tokens = folded.split()
    return list(map(ROMAN_NUMERALS.get, tokens, tokens)) if roman_as_digits else tokens
