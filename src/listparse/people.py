"""Names of people and characters in entry descriptions, and their spelling variants.

`find_names` runs at parse time (it needs the document's lines for
provenance); `unify_names` runs at merge time over all of one work's names:
spellings that share one word exactly and differ in the others by a typo
("Kosei Armia", "Kosei Arima", "Kousei Arima") become the spelling whose words
are best supported across the work's descriptions. Similarity alone never
joins two names: they must also share a word and belong to the same work.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Final

from rapidfuzz.distance import OSA

from .models import Located, Span
from .rendered import evidence_json, person_json

if TYPE_CHECKING:
    from .rendered import Rule

NAME_RUN_RE: Final = re.compile(
    r"""([A-Z](?<![\w'’-].)[a-z]++(?:-[A-Z]?[a-z]++)?+  # a capitalized word, maybe hyphenated, that starts one
                                                     # (the look back after its capital lets `re` skip to one)
         (?:[ \u00a0][A-Z][a-z]++(?:-[A-Z]?[a-z]++)?+){1,2})  # one or two more
        (?=['’]s\b|(?![\w'’-]))                       # possibly possessive: "Satoshi Kon's"
    """,
    re.VERBOSE,
)
# The words are possessive (`++`, `?+`): a letter or hyphen given back could never be followed by what the
# run needs next, a space or its end, so trying it is wasted work.
# NAME_RUN_RE for ASCII text, searched as bytes with every capital made "A" (see `name_runs`). Its `{1,2}`
# is written out as one word and an optional one: most capitals are followed by no second word, which the
# literal " A" tells sooner than `re`'s repeat does.
ASCII_NAME_RUN_RE: Final = re.compile(
    rb"""A(?<![\w'-].)[a-z]++(?:-A?[a-z]++)?+
         \ A[a-z]++(?:-A?[a-z]++)?+
         (?:\ A[a-z]++(?:-A?[a-z]++)?+)?
         (?='s\b|(?![\w'-]))
    """,
    re.VERBOSE,
)
CAPITALS_AS_A: Final = bytes.maketrans(string.ascii_uppercase.encode(), b"A" * 26)
CAPITALIZED_WORD_RE: Final = re.compile(r"[A-Z][a-z]+")
NOT_NAME_WORDS: Final = frozenset("""
    The A An This That These Those It Its He She They We I You Our Their His Her My Your In On At As But And Or
    If When While After Before Although However Despite Unfortunately Not Now One Two Three Many Some All Each
    Every Both From With Without For Fans Anime Set Given Japanese English American British Even Yet Still
    So Then There Here What Who Why How Where Also Just Only Once Since Until Though Because Even Each Most
    Season Episode Episodes Chapter Part Year Years Day Days Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday January February March April May June July August September October November December Studio
    Netflix Hulu Crunchyroll Funimation Amazon Prime Video Original Based Series Movie Film Manga Novel Light
    Sir Dame Lord Lady Mr Mrs Ms Miss Dr Doctor Professor Captain King Queen Prince Princess Saint Master
""".split()) | frozenset(
    # Determiners and pronouns of other languages the corpus is in: "Das Ganze", "Eine Auszeit" are no names.
    """
    Der Die Das Den Dem Des Ein Eine Einen Einem Einer Kein Keine Sein Seine Ihr Ihre Mein Meine Unser Unsere
    Dieser Diese Dieses Jeder Jede Jedes Wer Was Wie Wenn Auch Aber Und Oder Mit Nach Bei Auf Für Im Am Zum Zur
    El Los Las Una Uno Este Esta Estos Sus Os Um Uma Seu Sua Nas Les Une Cette Ces Gli
""".split())
# The last word of an organisation, a place or a thing, never of a person's name.
NOT_NAME_ENDINGS: Final = frozenset("""
    Entertainment Publishing Productions Pictures Studios Records Games Software Interactive Media Network
    Channel Central Club Company Corporation Inc Ltd Group Kingdom States Republic City Town County Island
    Islands Street Road Avenue School University College Academy Museum Hotel Restaurant Bar Cafe Shack
    Kitchen House Houses Center Centre Festival Awards Magazine Times News Guide Proposal Game Games Story Zone
    Show Series Edition Collection Online Festival Musicals Theatre Theater Stadium Airport Station
""".split())


class DocumentWords:
    """What one document tells about its capitalized runs: the words it also writes in lower case
    ("Spicy Mushroom" beside "spicy" and "mushroom" is a dish). Each word is looked up in the text when
    first asked about: a document is asked about a few dozen, and collecting all its words cost a tenth
    of its parse."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._answers: dict[str, bool] = {}

    def names_a_thing(self, words: list[str]) -> bool:
        # The longest word first: a word the text lacks is searched through all of it, and a longer one
        # lets `str.find` skip further at each step. Which word is asked first does not change the answer.
        answers = self._answers
        for word in sorted(words, key=len, reverse=True):
            folded = word.casefold()
            answer = answers.get(folded)
            if answer is None:
                answer = answers[folded] = lower_word_in(self.text, folded)
            if not answer:
                return False
        return True


def lower_word_in(text: str, word: str) -> bool:
    """Whether `text` writes `word` as a whole lower-case word, as `LOWER_WORD_RE` would find it: not
    after a word character, an apostrophe or a hyphen, and not followed by more of such a word.

    >>> [lower_word_in("a spicy dish, not spicy-hot", word) for word in ("spicy", "dish", "hot", "Dish")]
    [True, True, False, False]
    """
    if not LOWER_WORD_RE.fullmatch(word):
        return False
    start = text.find(word)
    while start >= 0:
        before = text[start - 1] if start else " "
        after = text[start + len(word):start + len(word) + 1]
        if not (before.isalnum() or before in WORD_JOINERS) and (not after or after not in LOWER_WORD_CHARACTERS):
            return True
        start = text.find(word, start + 1)
    return False


class TitlePhrases:
    """Every title of a document, to tell a name from a piece of one ("Centimeters Per Second" is the end
    of "5 Centimeters per Second"); made once per document, once every entry's title is known."""

    def __init__(self, titles: list[str]) -> None:
        # Each title's words casefolded, one space apart, with a space either side of it and one more
        # between titles: a phrase of words one space apart is found only within one title.
        phrases = "   ".join(map(" ".join, map(str.split, map(str.casefold, titles))))
        self.phrases = f" {phrases} " if titles else ""

    def without_pieces(self, names: list[Located]) -> list[Located]:
        """The names that are no piece of a title."""
        if not names:
            return []  # most entries name no one
        phrases = self.phrases
        return [name for name in names if f" {' '.join(name.value.casefold().split())} " not in phrases]


LOWER_WORD_RE: Final = re.compile(r"(?<![\w'’-])[a-zäöüß][a-zäöüß'’-]+")
WORD_JOINERS: Final = "_'’-"  # with letters and digits, what `\w` and the apostrophes and hyphen cover
LOWER_WORD_CHARACTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzäöüß'’-")


# A name's `Located`, as `Located(**values)` makes it, without the Python frame of `BaseModel.__init__`.
validate_located = Located.__pydantic_validator__.validate_python


def find_names(lines: list[tuple[int, int, str]], title: str, document: DocumentWords | None = None) -> list[Located]:
    """Runs of two or three capitalized words in (source line, offset, text) lines that name a person:
    not title words, nor an organisation, a place or a thing (see `DocumentWords`)."""
    title_words: set[str] | None = None  # made when a run first gets that far
    names = []
    for number, offset, text in lines:
        if not text:
            continue  # most of a block's lines are blank
        for run_start, run_end in name_runs(text):
            run = text[run_start:run_end]
            words = run.split()
            if len(words) == 2:  # most runs: a name, unless a word of it is no name's (nothing would be left)
                if words[0] in NOT_NAME_WORDS or words[1] in NOT_NAME_WORDS:
                    continue
                start = offset + run_start
            else:
                if _starts_sentence(text, run_start):
                    words.pop(0)  # "Delinquent Tomoya Okazaki…": a sentence's first word is rarely a name's
                while words and words[0] in NOT_NAME_WORDS:
                    words.pop(0)
                while words and words[-1] in NOT_NAME_WORDS:
                    words.pop()
                if len(words) < 2 or not NOT_NAME_WORDS.isdisjoint(words):
                    continue
                start = offset + run_start + run.index(words[0])
            if title_words is None:
                title_words = set(title.split())
            if title_words.issuperset(words):
                continue
            if words[-1] in NOT_NAME_ENDINGS or (document is not None and document.names_a_thing(words)):
                continue
            name = " ".join(words)
            names.append(validate_located({"value": name, "raw": name, "span": Span(number, start, start + len(name)),
                                           "origin": "description"}))
    return names


def name_runs(text: str) -> Iterator[tuple[int, int]]:
    """Where `NAME_RUN_RE` matches in `text`, as (start, end).

    An ASCII text is searched as bytes with its capitals all made "A": `re` tests a class such as [A-Z] on
    every character it passes, but skips to a single letter as `str.find` does, in a seventh of the
    instructions. Which capital a word starts with makes no difference to the match. So is most of a text
    that is not ASCII, once the characters it mostly holds are made ASCII ones that play the same part."""
    if not text.isascii():
        text = _ascii_stand_ins(text)
    if text.isascii():
        return map(re.Match.span, ASCII_NAME_RUN_RE.finditer(text.encode().translate(CAPITALS_AS_A)))
    return map(re.Match.span, NAME_RUN_RE.finditer(text))


def _ascii_stand_ins(text: str) -> str:
    """`text` with its curly apostrophes, no-break spaces, curly quotes and dashes made "'", " " and '"',
    which NAME_RUN_RE treats alike; its other characters as they are."""
    for character, stand_in in STAND_INS:
        if character in text:
            text = text.replace(character, stand_in)
    return text


STAND_INS: Final = (("’", "'"), ("\u00a0", " "), ("“", '"'), ("”", '"'), ("—", '"'), ("–", '"'))


def _starts_sentence(text: str, position: int) -> bool:
    """A sentence starts at `position`: the text starts there, or what is printed last before it ends a
    sentence, with a space between, or opens a quote or a bracket. Only the characters just before it are
    looked at (searching the whole text before every name made a line of many names quadratic)."""
    before = text[max(0, position - SENTENCE_REACH):position]
    printed = before.rstrip()
    if not printed:
        return before in ("", "\n")  # as `^$` finds it: a newline may end the text `$` sees
    return printed[-1] in SENTENCE_OPENERS or (printed[-1] in SENTENCE_ENDS and len(printed) < len(before))


SENTENCE_REACH: Final = 64
SENTENCE_ENDS: Final = ".!?:;"
SENTENCE_OPENERS: Final = "\"“("


def capitalized_words(text: str) -> list[str]:
    """The capitalized words of a description: what `unify_names` counts as support for a spelling."""
    return CAPITALIZED_WORD_RE.findall(text)


# One name seen in a work's entry, as `unify_names` takes it: (source, rank, name, name as printed, span as
# its JSON's `[line, start, end]` or None).
Sighting = tuple[str, int, str, str, list[int] | None]


def unify_names(sightings: list[Sighting], descriptions: list[str]) -> list[tuple[str, bytes]]:
    """One `Person` per name of a work, its spelling variants unified by the support of their words among
    the capitalized words of the work's `descriptions`: its name and its JSON, composed of its evidence
    rendered one piece at a time (`rendered.person_json`), so a work named in thousands of documents holds
    no model per sighting. In order of name."""
    spellings = sorted({name for _, _, name, _, _ in sightings})
    parent = {name: name for name in spellings}

    def find(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    words = [name.split() for name in spellings]
    for position, a in enumerate(spellings):
        for offset, b in enumerate(spellings[position + 1:], position + 1):
            if _variants(words[position], words[offset]):
                root_a, root_b = find(a), find(b)
                if root_a != root_b:
                    parent[max(root_a, root_b)] = min(root_a, root_b)
    families: dict[str, list[str]] = {}
    for name in spellings:
        families.setdefault(find(name), []).append(name)
    documents: dict[str, set[str]] = {}  # name → the documents it is seen in
    seen_in_family: dict[str, list[Sighting]] = {}  # family → its sightings, in order
    for sighting in sorted(sightings, key=_place):
        documents.setdefault(sighting[2], set()).add(sighting[0])
        seen_in_family.setdefault(find(sighting[2]), []).append(sighting)
    people = []
    support: Counter[str] | None = None  # counted when a name first has variants (most have none)
    for root, family in families.items():
        best = family[0]
        if len(family) > 1:
            if support is None:
                support = Counter(word for text in descriptions for word in capitalized_words(text))
            best = max(family, key=lambda name: (sum(support[word] for word in name.split()),
                                                 len(documents[name]), name))
        evidence = []
        respelled = set()
        for source, rank, name, raw, span in seen_in_family[root]:
            rules: tuple[Rule, ...] = ()
            if name != best:
                rules = (_respelling(name, best),)
                respelled.add(name)
            evidence.append(evidence_json(source, rank, span, raw, rules))
        changes = [_respelling(name, best) for name in sorted(respelled)]
        people.append((best, person_json(best, sorted(n for n in family if n != best), evidence, changes)))
    return sorted(people, key=itemgetter(0))


def _respelling(name: str, best: str) -> Rule:
    """The rule that a name printed `name` is the work's `best` spelling of it, as its JSON's dict."""
    return {"field": "people", "rule": "name_spelling_in_work", "before": name, "after": best}


def _place(sighting: Sighting) -> tuple[str, int, int]:
    """Where a sighting is: its document, then its line and offset (0, 0 without a span)."""
    span = sighting[4]
    return (sighting[0], span[0], span[1]) if span else (sighting[0], 0, 0)


def _variants(a: list[str], b: list[str]) -> bool:
    """Same length, one word shared exactly, every other word a one-letter slip of its partner."""
    if len(a) != len(b) or a == b:
        return False
    if not any(x == y for x, y in zip(a, b, strict=True)):
        return False
    for x, y in zip(a, b, strict=True):
        if x != y and (x[0] != y[0] or OSA.distance(x.lower(), y.lower()) > (2 if min(len(x), len(y)) >= 7 else 1)):
            return False
    return True
