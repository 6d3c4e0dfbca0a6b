from hypothesis import given
from hypothesis import strategies as st

from sendhub.plans.compare import compare, diff_html


def test_changed_words_are_marked_and_escaped():
    out = diff_html("Weekly speech therapy <b>", "Fortnightly speech therapy <b>")
    assert "<del>Weekly</del><ins>Fortnightly</ins> speech therapy &lt;b&gt;" == out


def test_compare_says_which_sections_changed():
    rows = compare({"A": "same", "B": "old"}, {"A": "same", "B": "new"}, [("A", "Views"), ("B", "Needs")])
    assert [(r.code, r.changed) for r in rows] == [("A", False), ("B", True)]


@given(st.text(), st.text())
def test_removing_the_markup_gives_back_both_texts(old, new):
    import html
    import re

    out = diff_html(old, new).replace("<br>", "\n")
    without_ins = re.sub(r"<ins>.*?</ins>", "", out, flags=re.S).replace("<del>", "").replace("</del>", "")
    without_del = re.sub(r"<del>.*?</del>", "", out, flags=re.S).replace("<ins>", "").replace("</ins>", "")
    assert html.unescape(without_ins) == old
    assert html.unescape(without_del) == new
