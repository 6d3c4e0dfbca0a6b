"""Section-by-section comparison of two plan versions, word by word. Pure Python."""

import difflib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class SectionChange:
    code: str
    title: str
    changed: bool
    html: str  # escaped text with <ins> and <del> around what changed


def diff_html(old: str, new: str) -> str:
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out).replace("\n", "<br>")


def compare(old: Mapping[str, str], new: Mapping[str, str], sections: list[tuple[str, str]]) -> list[SectionChange]:
    return [SectionChange(code, title, (old.get(code) or "") != (new.get(code) or ""),
                          diff_html(old.get(code, ""), new.get(code, "")))
            for code, title in sections]
