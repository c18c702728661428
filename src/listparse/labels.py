"""Data only: how metadata labels are spelled, and what they mean.

`FIELDS` maps each canonical field name to its type; `LABELS` maps every
known spelling (lower-case, without the trailing colon) to a field name.
Types: "year" (an int), "count" (an int, the rest kept as extra), "minutes"
(an int, see `runtimes.py`; the rest kept as extra, and the whole text when
no runtime is read), "list" (values split on commas, slashes and "and"),
"text" (kept as printed). A value of a `CONVERTED_KINDS` type is a conversion of the text as printed
(136 of `2h 16m`), so entries.csv writes that text beside it (`runtime_raw`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

CONVERTED_KINDS: Final = frozenset({"minutes"})
FIELDS: dict[str, str] = {
    "year": "year",
    "release_date": "text",
    "episodes": "count",
    "seasons": "count",
    "streaming": "list",
    "studio": "list",
    "network": "list",
    "genre": "list",
    "director": "list",
    "author": "list",
    "artist": "list",
    "developer": "list",
    "publisher": "list",
    "creators": "list",
    "cast": "list",
    "platform": "list",
    "runtime": "minutes",
    "length": "text",
    "pages": "count",
    "rating": "text",
    "score": "text",
    "price": "text",
    "format": "text",
    "country": "list",
    "kind": "text",
    "language": "list",
    "source_material": "text",
    "link": "text",
}

LABELS: dict[str, str] = {
    # year
    "year": "year",
    "year released": "year",
    "released": "year",
    "release year": "year",
    "first aired": "year",
    "aired": "year",
    "premiered": "year",
    "published": "year",
    "year published": "year",
    # dates
    "release date": "release_date",
    "release": "release_date",
    "original release": "release_date",
    "air date": "release_date",
    "date": "release_date",
    # counts
    "episodes": "episodes",
    "number of episodes": "episodes",
    "no. of episodes": "episodes",
    "episode count": "episodes",
    "eps": "episodes",
    "seasons": "seasons",
    "number of seasons": "seasons",
    "pages": "pages",
    "page count": "pages",
    # where to watch
    "where to stream": "streaming",
    "where to watch": "streaming",
    "streaming": "streaming",
    "stream it on": "streaming",
    "streaming on": "streaming",
    "available on": "streaming",
    "watch on": "streaming",
    "stream on": "streaming",
    # people and companies
    "studio": "studio",
    "studios": "studio",
    "animation studio": "studio",
    "production": "studio",
    "network": "network",
    "channel": "network",
    "genre": "genre",
    "genres": "genre",
    "director": "director",
    "directed by": "director",
    "directors": "director",
    "author": "author",
    "authors": "author",
    "written by": "author",
    "writer": "author",
    "artist": "artist",
    "developer": "developer",
    "developers": "developer",
    "publisher": "publisher",
    "creator": "creators",
    "creators": "creators",
    "created by": "creators",
    "cast": "cast",
    "starring": "cast",
    "stars": "cast",
    "voice cast": "cast",
    # the rest
    "platform": "platform",
    "platforms": "platform",
    "available for": "platform",
    "runtime": "runtime",
    "run time": "runtime",
    "running time": "runtime",
    "duration": "runtime",
    "length": "length",
    "rating": "rating",
    "our rating": "rating",
    "rated": "rating",
    "score": "score",
    "mal score": "score",
    "imdb rating": "score",
    "price": "price",
    "format": "format",
    "country": "country",
    "language": "language",
    "source": "source_material",
    "source material": "source_material",
    "based on": "source_material",
}

# Labels of lines that look like fields but are page furniture or prose.
NOT_LABELS: Final = frozenset({
    "image", "images", "photo", "photograph", "picture", "credit", "image credit", "photo credit", "caption",
    "read more", "read next", "related", "see also", "also read", "more", "advertisement", "sponsored",
    "via", "h/t", "update", "updated", "editor's note", "editor’s note", "disclosure", "tl;dr", "spoiler",
    "warning", "note", "p.s", "ps",
})

# Values of a streaming field that mean "nowhere", with the note to record.
NOT_STREAMING: Final = {
    "currently not available on streaming": "not available on streaming",
    "not available on streaming": "not available on streaming",
    "not currently streaming": "not available on streaming",
    "not available": "not available on streaming",
    "none": "not available on streaming",
    "n/a": "not available on streaming",
}

# Services a title may be suffixed with ("Title – Netflix").
STREAMING_SERVICES: Final = (
    "Netflix", "Hulu", "Crunchyroll", "Funimation", "HIDIVE", "Amazon Prime Video",
    "Prime Video", "Amazon Prime", "Disney+", "Disney Plus", "HBO Max", "Max", "HBO",
    "Apple TV+", "Apple TV", "Peacock", "Paramount+", "Showtime", "Starz", "Tubi",
    "VRV", "YouTube", "Shudder", "Mubi", "Criterion Channel",
)

# Trailing "(…)" extras that name a medium or edition, not part of a title.
MEDIA_FORMAT_WORDS: Final = (
    "dvd", "dvds", "blu-ray", "bluray", "blu ray", "4k", "ultra hd", "uhd", "vhs", "cd", "cds",
    "lp", "steelbook", "box set", "boxset", "paperback", "hardcover", "hardback", "kindle", "ebook",
    "audiobook", "digital",
    # vinyl in the languages shops write in, not only the one a sample page used
    "vinyl", "vinile", "vinyle", "vinilo", "vinil", "schallplatte",
)

# A trailing "(…)" naming what kind of work an entry is, and the kind it means.
KIND_WORDS: dict[str, str] = {
    "tv series": "series", "tv show": "series", "series": "series", "tv": "series", "anime series": "series",
    "miniseries": "series", "limited series": "series", "anime": "series", "ona": "series",
    "movie": "film", "film": "film", "anime film": "film", "anime movie": "film", "documentary": "film",
    "short film": "film", "ova": "ova", "special": "special", "book": "book", "novel": "book",
    "light novel": "book", "manga": "manga", "comic": "comic", "video game": "game", "game": "game",
    "album": "album", "ep": "album", "single": "single", "podcast": "podcast",
}

# Credit lines: "Based on the Light Novel By …", "Original Anime Series By …".
SOURCE_MEDIA: Final = (
    "light novel", "visual novel", "web novel", "novel", "manga", "manhwa", "manhua",
    "webtoon", "comic", "comics", "graphic novel", "video game", "game", "rpg series",
    "rpg", "book", "short story", "play", "film", "movie", "tv series", "anime",
)

# What a list ranks, from the nouns of its headline, in the languages listicles are written in.
# It names the role of a person printed beside a work ("Artist – Album", "Title by Author").
HEADLINE_NOUNS: dict[str, str] = {
    **dict.fromkeys("album albums alben álbum álbumes álbuns disco discos record records lp lps ep eps "
                    "song songs track tracks single singles canciones canción músicas música lieder chansons "
                    "tunes anthems".split(), "music"),
    **dict.fromkeys("book books novel novels reads read bücher buch romane roman libros libro livros livro "
                    "novelas livres romans manga mangas comics".split(), "book"),
    **dict.fromkeys("movie movies film films filme películas pelis filmes cinema".split(), "film"),
    **dict.fromkeys("game games spiele juegos jogos jeux videogames videojuegos".split(), "game"),
    **dict.fromkeys("series show shows serien anime dramas kdramas sitcoms".split(), "series"),
}
# The role a person's name plays beside a work of each kind.
CREATOR_ROLE: Final = {
    "music": "artist", "book": "author", "film": "director", "game": "developer", "series": "creator"}

# Short codes after a title that name a platform rather than a place ("Doom - PC").
PLATFORM_CODES: Final = frozenset("PC MAC IOS NES SNES GBA GBC DS NDS PSP PSV PS WII WIIU XBOX XBLA PSN N64 GC "
                                  "SMS MD SEGA AMIGA ST C64 DOS ZX".split())

# Broadcasters and channels a show is listed with ("## Succession" then "HBO").
NETWORKS: Final = (
    "ABC", "NBC", "CBS", "FOX", "The CW", "CW", "AMC", "FX", "FXX", "USA", "TNT", "TBS", "Syfy", "Bravo", "Lifetime",
    "Comedy Central", "Adult Swim", "Cartoon Network", "Nickelodeon", "Disney Channel", "PBS", "A&E", "History",
    "Discovery", "National Geographic", "Freeform", "Showtime", "Starz", "Epix", "Cinemax", "SundanceTV", "IFC",
    "BBC", "BBC One", "BBC Two", "BBC Three", "BBC America", "ITV", "Channel 4", "Sky", "Sky Atlantic", "Canal+",
    "ARTE", "ZDF", "ARD", "RTL", "ProSieben", "TF1", "France 2", "RAI", "Rai 1", "Mediaset", "TVE", "Antena 3",
    "Movistar+", "Globo", "TV Globo", "SBT", "NHK", "Fuji TV", "TV Tokyo", "tvN", "JTBC", "KBS", "MBC", "SBS",
    "Apple TV+", "Peacock", "Paramount+", "Amazon", "Prime Video", "Max",
)


NAME_SEPARATOR_RE: Final = re.compile(r"[^\w]+")


def field_name(label: str) -> str:
    """The name a label the table does not know is kept under: one spelling for every way it is printed
    ("Honorable Mention", "honorable mention:" → "honorable_mention"), safe as a column name."""
    folded = NAME_SEPARATOR_RE.sub("_", unicodedata.normalize("NFKC", label).casefold()).strip("_")
    return folded or label
