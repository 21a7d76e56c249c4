"""A list item read with the lead it hangs from.

"2. Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã có trách nhiệm sau đây: … b) Công nhận kết quả bầu
thành viên Ban Thanh tra nhân dân" says who recognises the result only through its lead: asked
"ai công nhận …", the item alone opens with the verb and names no one. Read as one sentence, "Ủy
ban Mặt trận Tổ quốc Việt Nam cấp xã có trách nhiệm công nhận …", it names the body. Hand-written
(a line walk over the passage's text): the Pháp điển writes a lead and its items one per line.
"""

from __future__ import annotations

import re

# An item's mark: "a)", "đ)", "3.", "3)", "(3)", "-", "•" (one home: `lists` reads items by it too)
MARK = r"(?:\(\d{1,2}\)|\d{1,2}[.)]|[a-zđ]\)|[-–•+*])"
# … at the start of a line (also how `counts` tells a list to count)
ITEM = re.compile(rf"^\s*{MARK}\s+", re.MULTILINE)
# A lead ends with a colon, perhaps after words announcing the items ("sau đây", "như sau")
_ANNOUNCES = re.compile(r"\s+(?:sau đây|như sau)\s*:\s*$|\s*:\s*$", re.IGNORECASE)


def lead(text: str, start: int, sentence: str) -> str | None:
    """The lead line an item sentence at `start` hangs from, its colon, closing words and mark
    dropped ("Ủy ban nhân dân cấp xã có trách nhiệm"); None when it is no item or no lead stands
    above it."""
    line_start = text.rfind("\n", 0, start) + 1
    if not ITEM.match(text[line_start : start + 1] + " ") and not ITEM.match(sentence):
        return None
    pos = line_start
    while pos > 0:
        above = text.rfind("\n", 0, pos - 1) + 1
        line = text[above:pos].strip()
        pos = above
        if not line:
            continue
        if line.endswith(":"):
            stem = _ANNOUNCES.sub("", ITEM.sub("", line, count=1))
            return stem if len(stem.split()) >= 3 else None
        if not ITEM.match(line):
            return None  # a paragraph, not another item: the item hangs from nothing here
    return None


def with_lead(text: str, start: int, sentence: str) -> str | None:
    """The item sentence at `start` joined to the lead line above it (`lead`), the item's mark
    dropped; None when it is no item or no lead stands above it."""
    stem = lead(text, start, sentence)
    return f"{stem} {ITEM.sub('', sentence, count=1)}" if stem else None


def next_start(text: str, at: tuple[int, str]) -> int | None:
    """Where the sentence after the one at `at` (its start, its whitespace-collapsed text) starts."""
    end = at[0]
    for word in at[1].split():  # the collapsed sentence, walked word by word over the text
        found = text.find(word, end)
        if found < 0:
            return None
        end = found + len(word)
    rest = len(text) - len(text[end:].lstrip())
    return rest if rest < len(text) else None
