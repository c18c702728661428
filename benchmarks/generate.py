"""Generate a deterministic, realistic corpus of "top N" listicles for benchmarking listparse.

    python benchmarks/generate.py OUT_DIR [--docs 1000] [--seed 1] [--jobs 2]

Standard library only. The same (docs, seed) always gives byte-identical files.

What it writes under OUT_DIR:

* about 40% plain text (`.txt`), 30% Markdown (`.md`) and 30% saved HTML
  (`.html`) documents, in shards of 1,000 files (`000/`, `001/`, …);
* every listicle shape listparse reads: `1.` / `1)` / `#1` / `No. 1` /
  bare countdown `10  Title` lines, Markdown `## 3. Title` headings, ordered
  lists and `**1. Title**` bold lines, HTML `<h2>` / `<h3><span class="num">`
  entries, `<ol>` lists (some `reversed`) and `<p><strong>1. Title</strong><br>`;
  ascending lists and countdowns;
* page noise: headlines with numbers, bylines, `<head>` metadata and JSON-LD,
  cookie banners, navigation, sidebars, related-posts boxes, footers, tables
  of contents, numbered "related articles" lists;
* metadata under entries (`Year Released 2018  Number of Episodes 13  Where to
  Stream Netflix`, `Director: …`, `Pages: 320`, trailing `(2018)`, …);
* 5–30 entries per document (mean about 21), 1–3 sentence descriptions and
  intro/outro prose so that each document is about 5–20 KB;
* titles from a synthesized pool of about 2.5 × docs distinct works (four
  kinds: anime series, films, books, games), drawn with Zipf-like reuse (half
  the draws from a Zipf head, half uniform) so works recur across documents;
  recurring works are printed under variant spellings: casing (ALL CAPS,
  Every Word Capitalized, sentence case), a dropped or doubled letter,
  "X: Subtitle" vs "X", curly vs straight quotes, HTML entities.

`manifest.json` (ignored by listparse, which only reads .txt/.md/.html)
records for every document its format, shape and the pool ids of its
entries, so a benchmark can check how many entries the parser found.
"""

from __future__ import annotations

import argparse
import bisect
import html
import itertools
import json
import multiprocessing
import os
import random
import re
import sys
import time
from pathlib import Path

# --------------------------------------------------------------------------- word lists

ADJECTIVES = """
Silent Broken Crimson Hollow Endless Golden Forgotten Burning Frozen Wandering Hidden Shattered
Distant Quiet Fallen Electric Velvet Paper Iron Glass Scarlet Violet Silver Midnight Emerald
Bitter Gentle Savage Lonely Radiant Sunken Wicked Tender Restless Lost Secret Sacred Ancient
Crooked Drowned Empty Fading Fearless Fragile Gilded Haunted Invisible Jagged Lucky Merciless
Neon Obsidian Pale Phantom Quiet Ragged Rusted Shallow Sleepless Starless Stolen Strange Sweet
Twisted Unbroken Vanishing Wild Wounded Amber Azure Blind Bright Brave Clockwork Cobalt Cursed
Dark Dusty Eternal Faithful Feral Fierce Gray Grim Hungry Ivory Last Little Loud Mad Mellow
Mighty Misty Molten Nameless Northern Painted Perfect Proud Rainy Reckless Rising Rotten Royal
Salted Scattered Seventh Shining Sinking Slow Southern Spectral Stray Summer Sunlit Tangled
Thin Tidal Twilight Unseen Urban Vast Western Winter Wooden Young Lunar Solar Hushed Dreaming
Borrowed Bleeding Careless Copper Diamond Drifting Eastern Echoing Fabled Flickering Gossamer
""".split()

NOUNS = """
Garden Storm River Crown Shadow Mirror Harbor Lantern Orchard Kingdom Machine Letter Promise
Ocean Forest Empire Engine Citadel Compass Cathedral Desert Island Mountain Valley Village
Tower Bridge Station Signal Circus Carnival Dragon Phoenix Wolf Raven Sparrow Fox Tiger Whale
Serpent Knight Witch Saint Thief Hunter Pilot Soldier Doctor Detective Orphan Stranger Ghost
Angel Monster Giant Queen King Prince Princess Emperor Sailor Dancer Painter Poet Singer
Archive Atlas Ballad Blade Bloom Canvas Chapter Cipher Comet Crystal Daybreak Dream Echo Ember
Feather Fever Flame Frontier Galaxy Gate Glacier Harvest Horizon Hourglass Journey Labyrinth
Legend Lullaby Meadow Memory Meteor Monsoon Nebula Nightfall Oracle Paradise Parade Pilgrim
Planet Prism Prophecy Puzzle Rain Requiem Riddle Rose Ruin Sanctuary Season Secret Sky
Snowfall Sonata Song Spiral Star Summit Sunrise Symphony Tale Tempest Thunder Tide Tomb
Trail Treasure Twilight Universe Voyage Wave Whisper Wilderness Wind Winter Wish Wonder
Alchemist Anthem Avalanche Beacon Blossom Cascade Chronicle Cloud Crossroads Current Dawn
Eclipse Estate Fable Festival Fortress Fountain Glory Hollow Hymn Inferno Jungle Lagoon
Lighthouse Marsh Mask Melody Mist Moon Myth Odyssey Palace Pendulum Quarry Rebellion Reckoning
Refuge Remnant Rhapsody Sermon Shore Silence Skyline Solstice Specter Storyteller Sword Throne
Tapestry Thistle Torch Tundra Vessel Vow Warden Waltz Wasteland Wildfire Zephyr Carousel Magnet
""".split()

PLACES = """
Avalon Babylon Brightwater Camelot Cordova Dunmore Eldoria Fairhaven Glenmoor Halcyon Ironvale
Juniper Kestrel Lowmoor Marrowind Northgate Oakridge Pemberton Quillan Ravenmoor Saltmarsh
Thornbury Umbria Valdria Westerly Yarrow Zanzibar Ashford Bellhaven Coldharbor Drakemoor
Everglen Foxhollow Greywater Hollowmere Islington Kingsbridge Larkspur Merrow Nettlefield
Osterley Primrose Redwater Stonehaven Tidewell Underhill Vesper Whitby Arcadia Elysium
""".split()

FIRST_NAMES = """
Akira Hana Kenji Yuki Sora Ren Mei Haruto Aiko Daichi Emma Liam Olivia Noah Ava Lucas Mia
Ethan Sofia Mateo Chloe Oscar Ingrid Tobias Freya Marco Elena Jonas Clara Felix Nadia Omar
Priya Rahul Ines Tomas Lena Viktor Ruth Samuel Grace Hugo Alice Leon Maya Arjun Zara Kofi
Amara Diego Lucia Pavel Anya Henrik Astrid Rosa Theo Iris Malik Selin Yara Nikolai
""".split()

LAST_NAMES = """
Tanaka Suzuki Watanabe Nakamura Kobayashi Yamamoto Mori Ishida Fujimoto Okada Whitfield Osei
Ashdown Niemi Moreau Rossi Bauer Novak Lindqvist Fischer Kowalski Haddad Okafor Mendes Silva
Petrov Larsen Brennan Sullivan Castillo Romero Hartmann Vasquez Takahashi Kimura Sato Murphy
Delgado Fontaine Ibrahim Ueda Aoki Morita Hoffmann Ferreira Carver Holloway Pryce Whitaker
Ellison Garrow Kaur Mbeki Quint Rhee Sorensen Valko Winslow Yilmaz Zeller Abe Hayashi
""".split()

STUDIOS = """
Kyoto_Animation|Madhouse|Bones|Wit_Studio|MAPPA|Production_I.G|Sunrise|A-1_Pictures|P.A._Works
|Shaft|Trigger|Ufotable|CloverWorks|Lerche|White_Fox|Studio_Pierrot|David_Production|Silver_Link
""".replace("\n", "").replace("_", " ").split("|")
STREAMING = ["Netflix", "Crunchyroll", "Hulu", "Funimation", "HIDIVE", "Prime Video", "Disney+", "HBO Max",
             "Apple TV+", "Peacock", "Tubi", "Mubi"]
GAME_PLATFORMS = ["PC", "PlayStation 4", "PlayStation 5", "Xbox One", "Xbox Series X", "Nintendo Switch",
                  "iOS", "Android"]
DEVELOPERS = ["Moonlit Works", "Red Lantern Games", "Quiet Harbor Studio", "Northgate Interactive",
              "Paper Tiger Games", "Ironvale Entertainment", "Tidewell Studio", "Glasshouse Games",
              "Ember Forge", "Little Comet Games"]
PUBLISHERS = ["Penguin", "Tor Books", "Orbit", "Faber & Faber", "Vintage", "Gollancz", "Picador",
              "HarperCollins", "Bloomsbury", "Riverhead"]
GENRES = {
    "anime": ["Drama", "Romance", "Slice of Life", "Fantasy", "Sci-Fi", "Psychological", "Mystery",
              "Action", "Comedy", "Supernatural"],
    "film": ["Drama", "Thriller", "Horror", "Science fiction", "Crime", "Romance", "War", "Animation",
             "Comedy", "Western"],
    "book": ["Literary fiction", "Fantasy", "Science fiction", "Historical fiction", "Mystery", "Memoir",
             "Horror", "Romance", "Thriller"],
    "game": ["RPG", "Action-adventure", "Platformer", "Strategy", "Puzzle", "Roguelike", "Survival horror",
             "Simulation", "Metroidvania"],
}
SOURCE_MEDIA = ["Manga", "Light Novel", "Visual Novel", "Web Novel", "Novel"]

KIND_SHARE = [("anime", 0.40), ("film", 0.25), ("book", 0.20), ("game", 0.15)]
KIND_WORDS = {"anime": ["Anime Series", "Anime", "Anime Shows"], "film": ["Movies", "Films"],
              "book": ["Novels", "Books"], "game": ["Video Games", "Games", "Indie Games"]}
HEADLINE_ADJ = ["Best", "Saddest", "Greatest", "Most Underrated", "Most Beautiful", "Scariest", "Funniest",
                "Most Overrated", "Essential", "Most Heartbreaking", "Weirdest", "Coziest"]
HEADLINE_TAILS = ["Guaranteed To Make You Cry", "of All Time", "You Need to See", "Ranked",
                  "That Deserve a Second Season", "Worth Your Time", "for Beginners", "Everyone Should Know",
                  "That Will Break Your Heart", "From the Last Decade", "Counted Down", "Ranked From Worst to Best"]
SITES = ["Screen Ledger", "The Late Show Club", "Otaku Digest", "Page Turner Weekly", "Pixel Gazette",
         "Meeple Ledger", "Frame Rate", "The Reading Nook", "Couch Critic", "Anime Corner"]

# Prose: subject + verb + object + tail, enough combinations to look like text.
SUBJECTS = ["Fans", "Critics", "Most viewers", "Our writers", "Longtime readers", "Newcomers", "The community",
            "Some of the staff", "Casual audiences", "Collectors", "Even skeptics", "First-time players"]
VERBS = ["tend to underestimate", "keep coming back to", "argue endlessly about", "rarely agree on",
         "have always loved", "quietly recommend", "still talk about", "were surprised by",
         "eventually forgave", "learned a lot from", "grew up with", "rediscovered"]
OBJECTS = ["the quieter entries in the genre", "stories that take their time", "endings that refuse to explain",
           "characters who feel like real people", "worlds built with obvious care",
           "the small details that hold a scene together", "soundtracks that linger for days",
           "the slow build toward an inevitable loss", "a good twist done honestly",
           "the way grief is handled on screen", "art direction that ages well", "the final act"]
TAILS = ["and that shows in every pick below", "which is why this list exists",
         "even when the premise sounds simple", "long after the credits roll",
         "and we are no exception", "despite what the box office says", "more than the marketing suggested",
         "especially on a second viewing", "in a way few others manage", "whatever the format"]
ROLES = ["a young violinist", "a retired detective", "a lonely cartographer", "two estranged sisters",
         "a boy who cannot sleep", "an aging pilot", "a girl raised by wolves", "a disgraced knight",
         "a family of lighthouse keepers", "a ghost who forgot her name", "a small-town doctor",
         "a runaway prince", "an android nurse", "three childhood friends", "a courier in a flooded city"]
ACTIONS = ["tries to keep a promise made years ago", "searches for a missing brother",
           "learns to live again after a loss", "crosses a continent on foot",
           "has one summer left to set things right", "discovers the town is not what it seems",
           "must choose between duty and love", "slowly unravels a family secret",
           "rebuilds a life from almost nothing", "writes letters that will never be sent"]
PRAISE = ["The pacing is deliberate but never dull.", "Few endings hit this hard.",
          "The animation still holds up remarkably well.", "It is funny right until it is devastating.",
          "The score alone is worth the price of admission.", "Every side character gets a moment to shine.",
          "It rewards patience more than almost anything else here.",
          "The final episode is one of the most discussed in the medium.",
          "Its reputation has only grown since release.", "Bring tissues, and maybe a friend."]

SMALL_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from"}
WORD_RE = re.compile(r"[^\W_]+")
SHARD = 1000


# --------------------------------------------------------------------------- the pool of works

class Work:
    __slots__ = ("id", "kind", "main", "subtitle", "year", "episodes", "people", "studio", "streaming",
                 "genre", "source", "pages", "runtime", "platforms", "company")

    @property
    def full(self) -> str:
        return f"{self.main}: {self.subtitle}" if self.subtitle else self.main


def _tokens(title: str) -> tuple[str, ...]:
    return tuple(WORD_RE.findall(title.lower().replace("'", "")))


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _main_title(rng: random.Random) -> str:
    a, n, n2, p = rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(NOUNS), rng.choice(PLACES)
    name = rng.choice(FIRST_NAMES)
    pattern = rng.random()
    if pattern < 0.14:
        return f"The {a} {n}"
    if pattern < 0.26:
        return f"{n} of the {a} {n2}"
    if pattern < 0.36:
        return f"The {n} of {p}"
    if pattern < 0.44:
        return f"{a} {n}s of {p}"
    if pattern < 0.52:
        return f"{name}'s {a} {n}"
    if pattern < 0.58:
        return f"{a} {n} {rng.randint(2, 99)}"
    if pattern < 0.65:
        return f"A {n} for the {a} {n2}"
    if pattern < 0.71:
        return f"Don't Forget the {a} {n}"
    if pattern < 0.77:
        return f"{n} & {n2} of {p}"
    if pattern < 0.83:
        return f"{a} {n} in {p}"
    if pattern < 0.89:
        return f"When the {n} Meets the {a} {n2}"
    if pattern < 0.95:
        return f"{n}{n2.lower()}"  # a coined word: "Stormcrown"
    return f"The {a} {n} and the {n2} of {p}"


def _subtitle(rng: random.Random) -> str:
    pattern = rng.random()
    a, n, n2 = rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(NOUNS)
    if pattern < 0.4:
        return f"The {n} We Saw That Day" if rng.random() < 0.1 else f"The {a} {n}"
    if pattern < 0.7:
        return f"A {n} of {rng.choice(PLACES)}"
    return f"{n} and {n2}"


def build_pool(size: int, seed: int) -> dict[str, list[Work]]:
    """`size` distinct works, split by kind. Titles are checked so that no two works are trivially
    one work by listparse's own rules (same words, one title the end of another, same main title)."""
    rng = random.Random(f"pool:{seed}")
    taken: set[tuple[str, ...]] = set()  # full titles and main titles
    suffixes: set[tuple[str, ...]] = set()  # proper suffixes (≥ 2 words) of taken titles
    pool: dict[str, list[Work]] = {kind: [] for kind, _ in KIND_SHARE}
    kinds = [kind for kind, _ in KIND_SHARE]
    weights = list(itertools.accumulate(share for _, share in KIND_SHARE))
    while sum(len(works) for works in pool.values()) < size:
        main = _main_title(rng)
        subtitle = _subtitle(rng) if rng.random() < 0.35 else None
        forms = [_tokens(main)] + ([_tokens(f"{main} {subtitle}")] if subtitle else [])
        if any(form in taken or form in suffixes for form in forms):
            continue
        if any(form[i:] in taken for form in forms for i in range(1, len(form) - 1)):
            continue
        for form in forms:
            taken.add(form)
            suffixes.update(form[i:] for i in range(1, len(form) - 1))
        kind = kinds[bisect.bisect(weights, rng.random() * weights[-1])]
        work = Work()
        work.kind, work.main, work.subtitle = kind, main, subtitle
        work.year = rng.randint(1965, 2024)
        work.people = [_person(rng) for _ in range(rng.choice((1, 1, 1, 2)))]
        work.genre = rng.sample(GENRES[kind], rng.choice((1, 1, 2)))
        work.episodes = rng.choice((12, 12, 13, 13, 24, 25, 26, 11, 10, 22, 50, 64)) if kind == "anime" else None
        work.studio = rng.choice(STUDIOS) if kind == "anime" else None
        work.streaming = rng.sample(STREAMING, rng.choice((1, 1, 2, 3))) if kind in ("anime", "film") else []
        work.source = rng.choice(SOURCE_MEDIA + ["Original"]) if kind == "anime" else None
        work.pages = rng.randint(120, 900) if kind == "book" else None
        work.runtime = rng.randint(78, 190) if kind == "film" else None
        work.platforms = rng.sample(GAME_PLATFORMS, rng.randint(1, 4)) if kind == "game" else []
        work.company = (rng.choice(DEVELOPERS) if kind == "game" else rng.choice(PUBLISHERS)
                        if kind == "book" else None)
        pool[kind].append(work)
    next_id = 0
    for kind, _ in KIND_SHARE:
        for work in pool[kind]:
            work.id = next_id
            next_id += 1
    return pool


class Sampler:
    """Half the draws from a Zipf(1) head, half uniform over the kind's pool."""

    def __init__(self, works: list[Work]):
        self.works = works
        self.cumulative = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(works))))

    def draw(self, rng: random.Random) -> Work:
        if rng.random() < 0.5:
            index = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
            return self.works[min(index, len(self.works) - 1)]
        return self.works[rng.randrange(len(self.works))]


# --------------------------------------------------------------------------- spelling variants

def printed_title(work: Work, rng: random.Random, curly: bool) -> str:
    """How one document prints a work: mostly canonical, sometimes a variant."""
    title = work.full
    if work.subtitle and rng.random() < 0.35:
        title = work.main
    roll = rng.random()
    if roll < 0.05:
        title = title.upper()
    elif roll < 0.09:
        title = " ".join(word[:1].upper() + word[1:] for word in title.split(" "))
    elif roll < 0.11:
        title = title[:1] + title[1:].lower()
    elif roll < 0.17:
        title = _typo(title, rng)
    if curly or rng.random() < 0.1:
        title = title.replace("'", "\u2019")
    return title


def _typo(title: str, rng: random.Random) -> str:
    words = title.split(" ")
    candidates = [i for i, word in enumerate(words) if len(word) >= 5 and word.isalpha()]
    if not candidates:
        return title
    i = rng.choice(candidates)
    word = words[i]
    position = rng.randint(1, len(word) - 2)
    words[i] = (word[:position] + word[position + 1:] if rng.random() < 0.5
                else word[:position] + word[position] + word[position:])
    return " ".join(words)


# --------------------------------------------------------------------------- prose

def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, {rng.choice(TAILS)}."


def paragraph(rng: random.Random, low: int = 3, high: int = 6) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def description(work: Work, title: str, rng: random.Random) -> list[str]:
    """1–3 sentences about one entry."""
    person = work.people[0]
    options = [
        f"{title} follows {rng.choice(ROLES)} who {rng.choice(ACTIONS)}.",
        f"Created by {person}, it is the kind of story {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)}.",
        rng.choice(PRAISE),
        f"Released in {work.year}, it still finds new viewers, {rng.choice(TAILS)}.",
        f"{person} has said the idea came from a dream about {rng.choice(NOUNS).lower()}s.",
        sentence(rng),
    ]
    return rng.sample(options, rng.randint(1, 3))


def headline(rng: random.Random, kind: str, count: int) -> str:
    return (f"{count} {rng.choice(HEADLINE_ADJ)} {rng.choice(GENRES[kind])} {rng.choice(KIND_WORDS[kind])} "
            f"{rng.choice(HEADLINE_TAILS)}")


def date_line(rng: random.Random) -> str:
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    return f"{rng.choice(months)} {rng.randint(1, 28)}, {rng.randint(2015, 2025)}"


# --------------------------------------------------------------------------- metadata

def metadata(work: Work, rng: random.Random, style: str) -> list[str]:
    """Labelled values under an entry, in one of a document's styles."""
    if style == "none":
        return []
    if work.kind == "anime":
        if work.source == "Original":
            credit = f"Original Anime Series By {work.studio}"
        else:
            credit = f"Based on the {work.source} By {' & '.join(work.people)}"
        streams = ", ".join(work.streaming)
        if style == "oneline":
            return [credit, f"  Year Released   {work.year}    Number of Episodes   {work.episodes}    "
                            f"Where to Stream   {streams}    "]
        return [f"Studio: {work.studio}", f"Episodes: {work.episodes}", f"Year: {work.year}",
                f"Where to watch: {streams}", f"Genre: {', '.join(work.genre)}"][:rng.randint(2, 5)]
    if work.kind == "film":
        lines = [f"Director: {work.people[0]}", f"Release year: {work.year}", f"Runtime: {work.runtime} minutes",
                 f"Streaming on: {', '.join(work.streaming)}", f"Genre: {', '.join(work.genre)}"]
    elif work.kind == "book":
        lines = [f"Author: {' and '.join(work.people)}", f"Published: {work.year}", f"Pages: {work.pages}",
                 f"Publisher: {work.company}", f"Genre: {', '.join(work.genre)}"]
    else:
        lines = [f"Developer: {work.company}", f"Released: {work.year}",
                 f"Platform: {', '.join(work.platforms)}", f"Genre: {', '.join(work.genre)}"]
    if style == "oneline":  # labels without colons on one line, as on srcdn-style pages
        pairs = [line.split(": ", 1) for line in lines[:3]]
        return ["  " + "    ".join(f"{label}   {value}" for label, value in pairs) + "    "]
    return lines[:rng.randint(2, len(lines))]


# --------------------------------------------------------------------------- documents

class Entry:
    __slots__ = ("rank", "work", "title", "meta", "text")


def _entries(rng: random.Random, sampler: Sampler, count: int, curly: bool, meta_style: str,
             countdown: bool) -> list[Entry]:
    chosen: list[Work] = []
    seen: set[int] = set()
    while len(chosen) < count:
        work = sampler.draw(rng)
        if work.id not in seen:
            seen.add(work.id)
            chosen.append(work)
    entries = []
    for position, work in enumerate(chosen):
        entry = Entry()
        entry.rank = count - position if countdown else position + 1
        entry.work = work
        entry.title = printed_title(work, rng, curly)
        entry.meta = metadata(work, rng, meta_style)
        entry.text = description(work, entry.title, rng)
        entries.append(entry)
    return entries


def _pad(rng: random.Random, body_size: int, target: int) -> tuple[list[str], list[str]]:
    """Intro and outro paragraphs bringing a document near `target` bytes."""
    intro, outro = [paragraph(rng)], [paragraph(rng, 2, 4)]
    size = body_size + len(intro[0]) + len(outro[0])
    while size < target:
        chunk = paragraph(rng)
        (intro if rng.random() < 0.7 else outro).append(chunk)
        size += len(chunk) + 2
    return intro, outro


def text_document(rng: random.Random, kind: str, entries: list[Entry], target: int) -> tuple[str, str]:
    shape = rng.choice(("dot", "paren", "hash", "no", "bare"))
    n = len(entries)
    entity = shape == "bare" and rng.random() < 0.5  # srcdn-style dumps keep &#39; entities

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("'", "&#39;") if entity else text

    hash_sep = rng.choice((" ", ": ", " - "))
    blocks: list[str] = []
    for e in entries:
        title = e.title
        if shape != "bare" and e.work.kind == "film" and not e.meta and rng.random() < 0.5:
            title = f"{title} ({e.work.year})"
        marker = {"dot": f"{e.rank}. ", "paren": f"{e.rank}) ", "hash": f"#{e.rank}{hash_sep}",
                  "no": f"No. {e.rank}: ", "bare": f" {e.rank}  "}[shape]
        if shape == "bare":
            lines = [f"\n\n\n{marker}{esc(title)} "]
            if e.meta:
                lines += [esc(e.meta[0]), "\n\n \n\n\n"] + [esc(m) for m in e.meta[1:]]
            lines.append(esc(" ".join(e.text)))
        else:
            lines = [marker + title] + e.meta + [" ".join(e.text)]
        blocks.append("\n".join(lines))
    body = "\n\n".join(blocks)
    head = [headline(rng, kind, n).upper() if rng.random() < 0.15 else headline(rng, kind, n), ""]
    if rng.random() < 0.6:
        head += [f"by {_person(rng)}", date_line(rng), ""]
    intro, outro = _pad(rng, len(body), target)
    tail = []
    if rng.random() < 0.15:
        tail = ["", "Related articles", ""] + [f"{i}. {headline(rng, kind, rng.randint(5, 25))}" for i in range(1, 4)]
    text = "\n".join(head) + "\n" + "\n\n".join(esc(p) for p in intro) + "\n\n" + body + "\n\n" + \
        "\n\n".join(outro) + "\n" + "\n".join(tail) + "\n"
    return text, shape


def markdown_document(rng: random.Random, kind: str, entries: list[Entry], target: int) -> tuple[str, str]:
    shape = rng.choice(("heading", "olist", "bold"))
    n = len(entries)
    out = []
    if rng.random() < 0.25:
        out += ["---", f"title: \"{headline(rng, kind, n)}\"", f"author: {_person(rng)}",
                f"date: {rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "---", ""]
    out += [f"# {headline(rng, kind, n)}", ""]
    if rng.random() < 0.5:
        out += [f"**By {_person(rng)}** | {rng.choice(SITES)} | {date_line(rng)}", ""]
    blocks = []
    level = rng.choice(("##", "##", "###"))
    style = rng.choice(("{}. ", "{}) ", "#{}: "))
    inline = rng.random() < 0.5
    for e in entries:
        if shape == "heading":
            marker = style.format(e.rank)
            meta = [f"- **{m.split(':', 1)[0]}:**{m.split(':', 1)[1]}" if ":" in m else m for m in e.meta]
            blocks.append("\n\n".join([f"{level} {marker}{e.title}"] + (["\n".join(meta)] if meta else [])
                                      + [" ".join(e.text)]))
        elif shape == "olist":
            if not inline or e.meta:
                lines = [f"{e.rank}. **{e.title}**"] + [f"   {m}  " for m in e.meta] + [f"   {' '.join(e.text)}"]
                blocks.append("\n".join(lines))
            else:
                blocks.append(f"{e.rank}. **{e.title}** – {' '.join(e.text)}")
        else:
            blocks.append("\n\n".join([f"**{e.rank}. {e.title}**"] + (["  \n".join(e.meta)] if e.meta else [])
                                      + [" ".join(e.text)]))
    body = "\n\n".join(blocks)
    intro, outro = _pad(rng, len(body), target)
    toc = []
    if rng.random() < 0.15:
        toc = ["## Contents", ""] + [f"{i}. [{e.title}](#entry-{i})" for i, e in enumerate(entries, 1)] + [""]
    related = []
    if rng.random() < 0.15:
        related = ["", "### Read next", ""] + [f"- [{headline(rng, kind, rng.randint(5, 25))}](/posts/{i})"
                                                for i in range(1, 4)]
    text = "\n".join(out) + "\n\n".join(intro) + "\n\n" + "\n".join(toc) + "\n" + body + "\n\n" + \
        "\n\n".join(outro) + "\n" + "\n".join(related) + "\n"
    return text, shape


def html_document(rng: random.Random, kind: str, entries: list[Entry], target: int) -> tuple[str, str]:
    shape = rng.choice(("h2", "h3num", "ol", "pstrong"))
    n = len(entries)
    esc = html.escape
    title = headline(rng, kind, n)
    site = rng.choice(SITES)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    author = _person(rng)
    head = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} | {esc(site)}</title>",
        f'<meta name="author" content="{esc(author)}">',
        f'<meta property="og:title" content="{esc(title)}">',
        f'<link rel="canonical" href="https://www.example.com/lists/{slug}">',
        "<style>.cookie-banner{position:fixed;bottom:0}.specs{color:#666}h2{font-size:1.6rem}</style>",
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        "gtag('js',new Date());</script>",
    ]
    if rng.random() < 0.5:
        head.append('<script type="application/ld+json">' + json.dumps(
            {"@context": "https://schema.org", "@type": "Article", "headline": title,
             "author": {"@type": "Person", "name": author}, "datePublished": f"{rng.randint(2015, 2025)}-03-02"})
            + "</script>")
    head += ["</head>", "<body>"]
    chrome_top = []
    if rng.random() < 0.5:
        chrome_top.append('<div class="cookie-banner" id="cookies">We use cookies to show you 3 or fewer ads per '
                          'page. <a href="/privacy">Learn more</a> <button>Accept all</button></div>')
    chrome_top.append('<nav class="site-nav"><ul>' + "".join(
        f'<li><a href="/{w.lower()}">{w}</a></li>' for w in ("Home", "Reviews", "Lists", "News", "Deals"))
        + "</ul></nav>")
    article = ["<main>", "<article>", f"<h1>{esc(title)}</h1>",
               f'<p class="byline">By <a href="/authors/x">{esc(author)}</a> · {date_line(rng)}</p>']
    blocks = []
    reversed_ol = shape == "ol" and entries[0].rank > entries[-1].rank
    li_headings = rng.random() < 0.5
    if shape == "ol":
        blocks.append("<ol reversed>" if reversed_ol else "<ol>")
    for e in entries:
        t = esc(e.title, quote=False)
        desc = esc(" ".join(e.text), quote=False)
        meta = "".join(f"<p>{esc(m.strip(), quote=False)}</p>" for m in e.meta)
        if e.meta and rng.random() < 0.5:
            meta = '<div class="specs">' + "<br>".join(esc(m.strip(), quote=False) for m in e.meta) + "</div>"
        if shape == "h2":
            blocks.append(f'<h2 id="entry-{e.rank}">{e.rank}. {t}</h2>\n{meta}\n<p>{desc}</p>')
        elif shape == "h3num":
            blocks.append(f'<h3><span class="num">{e.rank}.</span> <a href="/works/{e.work.id}">{t}</a></h3>'
                          f"\n{meta}\n<p>{desc}</p>")
        elif shape == "ol":
            if li_headings:
                blocks.append(f"<li>\n  <h3>{t}</h3>\n  {meta}\n  <p>{desc}</p>\n</li>")
            else:
                blocks.append(f"<li><strong>{t}</strong> – {desc}</li>")
        else:
            lines = "<br>\n".join(esc(m.strip(), quote=False) for m in e.meta)
            blocks.append(f"<p><strong>{e.rank}. {t}</strong><br>\n" + (lines + "<br>\n" if lines else "")
                          + f"{desc}</p>")
    if shape == "ol":
        blocks.append("</ol>")
    body = "\n".join(blocks)
    chrome_bottom = []
    if rng.random() < 0.6:
        chrome_bottom.append('<div class="related-posts"><h3>Related articles</h3><ol>' + "".join(
            f'<li><a href="/p/{i}">{esc(headline(rng, kind, rng.randint(5, 25)))}</a></li>' for i in range(1, 5))
            + "</ol></div>")
    if rng.random() < 0.5:
        chrome_bottom.append('<aside class="sidebar"><h3>Popular this week</h3><ol>' + "".join(
            f"<li>{esc(headline(rng, kind, rng.randint(5, 25)))}</li>" for _ in range(5)) + "</ol></aside>")
    if rng.random() < 0.3:
        chrome_bottom.append('<section id="comments" class="comments"><h3>3 comments</h3>' + "".join(
            f'<div class="comment"><p><b>{esc(_person(rng))}</b></p><p>{esc(sentence(rng))}</p></div>'
            for _ in range(3)) + "</section>")
    chrome_bottom.append('<footer><ul><li><a href="/about">About</a></li><li><a href="/contact">Contact</a></li>'
                         f"</ul><small>© {rng.randint(2015, 2025)} {esc(site)}.</small></footer>")
    skeleton = sum(len(x) for x in head + chrome_top + article + chrome_bottom) + len(body)
    intro, outro = _pad(rng, skeleton, target)
    text = "\n".join(head + chrome_top + article + [f"<p>{esc(p)}</p>" for p in intro] + [body]
                     + [f"<p>{esc(p)}</p>" for p in outro] + ["</article>", "</main>"] + chrome_bottom
                     + ["</body>", "</html>", ""])
    return text, shape


# --------------------------------------------------------------------------- the corpus

_POOL: dict[str, list[Work]] = {}
_SAMPLERS: dict[str, Sampler] = {}


def _setup(docs: int, seed: int) -> None:
    global _POOL, _SAMPLERS
    _POOL = build_pool(max(50, int(docs * 2.5)), seed)
    _SAMPLERS = {kind: Sampler(works) for kind, works in _POOL.items()}


def make_document(index: int, seed: int) -> tuple[str, str, str, str, list[int]]:
    """(relative path, text, format, shape, pool ids) of document `index`; pure given the pool."""
    rng = random.Random(f"doc:{seed}:{index}")
    roll = rng.random()
    fmt = "text" if roll < 0.4 else "markdown" if roll < 0.7 else "html"
    kinds = [kind for kind, _ in KIND_SHARE]
    kind = rng.choices(kinds, weights=[share for _, share in KIND_SHARE])[0]
    count = min(30, 5 + int(26 * rng.random() ** 0.5))  # 5–30, mean ≈ 21.7
    countdown = rng.random() < 0.4
    curly = rng.random() < 0.3
    meta_style = rng.choice(("none", "lines", "lines", "oneline"))
    entries = _entries(rng, _SAMPLERS[kind], count, curly, meta_style, countdown)
    target = rng.randint(5000, 19000)
    if fmt == "text":
        text, shape = text_document(rng, kind, entries, target)
        ext = "txt"
    elif fmt == "markdown":
        text, shape = markdown_document(rng, kind, entries, target)
        ext = "md"
    else:
        text, shape = html_document(rng, kind, entries, target)
        ext = "html"
    path = f"{index // SHARD:03d}/{index:06d}-{kind}-{shape}.{ext}"
    return path, text, fmt, shape, [e.work.id for e in entries]


def _write(task: tuple[int, int, str]) -> tuple[str, str, str, list[int], int]:
    index, seed, out = task
    path, text, fmt, shape, ids = make_document(index, seed)
    data = text.encode("utf-8")
    (Path(out) / path).write_bytes(data)
    return path, fmt, shape, ids, len(data)


def generate(out: str | Path, docs: int, seed: int = 1, jobs: int = 1) -> dict:
    """Write `docs` documents and manifest.json into `out`; return the manifest's summary."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for shard in range((docs + SHARD - 1) // SHARD):
        (out / f"{shard:03d}").mkdir(exist_ok=True)
    _setup(docs, seed)
    tasks = [(index, seed, str(out)) for index in range(docs)]
    if jobs > 1:
        context = multiprocessing.get_context("fork")  # the pool of works is inherited, not pickled
        with context.Pool(jobs) as workers:
            rows = workers.map(_write, tasks, chunksize=64)
    else:
        rows = [_write(task) for task in tasks]
    used = {work_id for row in rows for work_id in row[3]}
    summary = {
        "docs": docs, "seed": seed, "pool_works": sum(len(w) for w in _POOL.values()),
        "distinct_works": len(used), "entries": sum(len(row[3]) for row in rows),
        "bytes": sum(row[4] for row in rows),
        "formats": {fmt: sum(1 for row in rows if row[1] == fmt) for fmt in ("text", "markdown", "html")},
    }
    manifest = dict(summary, documents=[{"path": r[0], "format": r[1], "shape": r[2], "works": r[3]} for r in rows])
    (out / "manifest.json").write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="directory to write the corpus into (created if missing)")
    parser.add_argument("--docs", type=int, default=1000, help="number of documents [1000]")
    parser.add_argument("--seed", type=int, default=1, help="random seed [1]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes [all cores]")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = generate(args.out, args.docs, args.seed, args.jobs)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
