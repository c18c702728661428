"""schema.org ItemList data in a page: JSON-LD and microdata, as (position, name) pairs.

When a page marks up its list, the markup is evidence for ranks and titles
that the visible text may not print (cards without numbers, for instance).
"""

from __future__ import annotations

import json

ItemList = list[tuple[int, str]]


def item_list_from_json_ld(text: str) -> ItemList:
    """The longest ItemList in one JSON-LD script, or an empty list."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    best: ItemList = []
    for node in _nodes(data):
        if "ItemList" in _types(node):
            items = _items(node.get("itemListElement"))
            if len(items) > len(best):
                best = items
    return best


def item_list_from_microdata(root) -> ItemList:
    """The longest microdata ItemList (itemprop itemListElement / position / name) in a page."""
    best: ItemList = []
    for scope in root.xpath('//*[@itemscope][contains(@itemtype, "ItemList")]'):
        items = []
        for number, element in enumerate(scope.xpath('.//*[@itemprop="itemListElement"]'), start=1):
            position = _first(element, "position")
            name = _first(element, "name")
            if name:
                items.append((_as_int(position) or number, name))
        if len(items) > len(best):
            best = items
    return sorted(best)


def _first(element, prop: str) -> str:
    for found in element.xpath(f'.//*[@itemprop="{prop}"]'):
        value = found.get("content") or found.text_content()
        if value and value.strip():
            return " ".join(value.split())
    return ""


def _nodes(data):
    """Every JSON object in a JSON-LD document, depth first."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(reversed(node))


def _types(node: dict) -> set[str]:
    kind = node.get("@type", [])
    return {str(k).rsplit("/", 1)[-1] for k in (kind if isinstance(kind, list) else [kind])}


def _items(elements) -> ItemList:
    items: ItemList = []
    if not isinstance(elements, list):
        return items
    for number, element in enumerate(elements, start=1):
        if isinstance(element, str):
            items.append((number, element))
            continue
        if not isinstance(element, dict):
            continue
        name = element.get("name")
        item = element.get("item")
        if not name and isinstance(item, dict):
            name = item.get("name")
        if isinstance(name, str) and name.strip():
            items.append((_as_int(element.get("position")) or number, " ".join(name.split())))
    return sorted(items)


def _as_int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
