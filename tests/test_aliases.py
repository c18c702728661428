"""The aliases file: what it forces and forbids, and what it says about its own mistakes."""

from __future__ import annotations

import pytest

from listparse.aliases import load_aliases
from listparse.errors import ListparseError
from listparse.keys import title_key

from .conftest import FIXTURES


def test_aliases_file_is_read():
    """[[work]] titles and aliases map to the canonical title; [[distinct]] pairs are forbidden."""
    aliases = load_aliases(FIXTURES / "merge" / "aliases.toml")
    assert aliases.canonical[title_key("Honey & Clover")] == "Honey and Clover"
    assert aliases.forbids({title_key("Clannad")}, {title_key("Clannad: After Story")})


@pytest.mark.parametrize("content, message", [
    pytest.param('[[work]]\ntitle = "Anohana"\nalias = ["Ano Hi"]\n',
                 'aliases file a.toml: [[work]] number 1 has an unknown key "alias" (valid keys: aliases, title)',
                 id="alias-typo"),
    pytest.param('[[works]]\ntitle = "Anohana"\n',
                 'aliases file a.toml: unknown key "works" (valid keys: distinct, work)', id="works-typo"),
    pytest.param('[[distinct]]\ntitle = ["A", "B"]\n',
                 'aliases file a.toml: [[distinct]] number 1 has an unknown key "title" (valid keys: titles)',
                 id="distinct-typo"),
    pytest.param('[[work]]\ntitle = "Anohana"\naliases = "Ano Hi"\n',
                 "aliases file a.toml: [[work]] number 1: aliases must be a list of titles", id="aliases-not-list"),
    pytest.param('work = "Anohana"\n',
                 "aliases file a.toml: work must be a list of [[work]] tables", id="work-not-table"),
])
def test_a_mistake_in_the_aliases_file_is_named(in_tmp, content, message):
    """A typo'd key or a wrongly typed value is an error naming it and the valid keys, never ignored."""
    (in_tmp / "a.toml").write_text(content)
    with pytest.raises(ListparseError) as caught:
        load_aliases("a.toml")
    assert str(caught.value) == message
