"""grader/sanitize.py: learner HTML, markdown, outputs, ids and CSV cells made inert.

Fast unit tests, no kernel and no browser (tests/test_browser_injection.py opens the
rendered pages in Chromium). Every payload carries the marker PWNED; a result is safe
when no element, attribute or URL of its HTML (parsed as a browser would see the
markup) can run it: no <script>/<iframe>/<object>/<embed>/<form>/<style>/<svg>/<math>,
no on* attribute, no javascript:/data:text URL.
"""

from __future__ import annotations

import base64
import copy
import csv
import io
import json
import logging
from html.parser import HTMLParser
from types import SimpleNamespace

import nbformat
import pytest
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbgrader.api import MissingEntry

from grader import export as exporting
from grader import feedback as feedback_pages
from grader.sanitize import (
    JS_NOTE,
    MAX_HTML_CHARS,
    MAX_MARKDOWN_CHARS,
    PLAIN_NOTE,
    SafeExchangeCollect,
    SanitizeNotebook,
    clean_html,
    csv_safe,
    markdown_hazards,
    safe_url,
    sanitize_markdown,
    sanitize_notebook,
    sanitize_output,
    student_id_problem,
)
from tests.course_under_test import REPO

# A 1x1 PNG.
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()

HTML_PAYLOADS = [
    "<img src=x onerror=alert('PWNED')>",
    "<script>alert('PWNED')</script>",
    "<SCRIPT SRC=//evil.example/PWNED.js></SCRIPT>",
    "<svg onload=alert('PWNED')>",
    "<svg><script>alert('PWNED')</script></svg>",
    "<a href=\"javascript:alert('PWNED')\">click</a>",
    "<a href=\"jav&#x09;ascript:alert('PWNED')\">click</a>",
    "<a href=\" &#14;javascript:alert('PWNED')\">click</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgnUFdORUQnKTwvc2NyaXB0Pg==\">x</a>",
    "<iframe srcdoc=\"<script>alert('PWNED')</script>\"></iframe>",
    "<iframe src=\"javascript:alert('PWNED')\"></iframe>",
    "<object data=\"javascript:alert('PWNED')\"></object>",
    "<embed src=\"javascript:alert('PWNED')\">",
    "<form action=\"javascript:alert('PWNED')\"><button>go</button></form>",
    "<button formaction=\"javascript:alert('PWNED')\">go</button>",
    "<style>@import 'http://evil.example/PWNED.css';</style>",
    "<div style=\"background:url(javascript:alert('PWNED'))\">x</div>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('PWNED')>",
    "<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;img src=1 "
    "onerror=alert('PWNED')&gt;\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('PWNED')>\">",
    "<details open ontoggle=alert('PWNED')>",
    "<body onload=alert('PWNED')>",
    "<input autofocus onfocus=alert('PWNED')>",
    "<marquee onstart=alert('PWNED')>",
    "<video><source onerror=alert('PWNED')></video>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('PWNED')\">",
    "<base href=\"javascript:alert('PWNED')//\">",
    "<link rel=import href=\"data:text/html,<script>alert('PWNED')</script>\">",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoJ1BXTkVEJyk+\">",
    "<template><img src=x onerror=alert('PWNED')></template>",
    "<textarea><img src=x onerror=alert('PWNED')></textarea>",
    "<title><img src=x onerror=alert('PWNED')></title>",
    "<xmp><img src=x onerror=alert('PWNED')></xmp>",
    "<a href=\"#\" onclick=\"alert('PWNED')\">x</a>",
    "<img src=x:alert(alt) onerror=eval(src) alt='PWNED'>",
    "<pre class=\"mermaid\">graph TD; A-->B<img src=x onerror=alert('PWNED')></pre>",
    "<!--><img src=x onerror=alert('PWNED')>-->",
    "<![CDATA[<img src=x onerror=alert('PWNED')>]]>",
]

MARKDOWN_PAYLOADS = [
    "[x](javascript:alert('PWNED'))",
    "[x](JaVaScRiPt:alert('PWNED'))",
    "[x](<java\tscript:alert('PWNED')>)",
    "[x](&#106;avascript:alert('PWNED'))",
    "[x](javascript&colon;alert('PWNED'))",
    "[x](javascript\\:alert('PWNED'))",
    "[x][r]\n\n[r]: javascript:alert('PWNED')",
    "<javascript:alert('PWNED')>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgnUFdORUQnKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert('PWNED'))",
    "![x](attachment:missing.png) PWNED",
    "[submitted page](evil-PWNED.html)",
    "<img src=x onerror=\"alert('PWNED')\">",
    "Text <img src=x onerror=\"alert('PWNED')\"> inline",
    "<script>alert('PWNED')</script>",
    "<div onclick=\"alert('PWNED')\">\n\n*markdown inside*\n\n</div>",
    "<iframe srcdoc=\"<script>alert('PWNED')</script>\"></iframe>",
    "> quoted <img src=x onerror=\"alert('PWNED')\">\n> more",
    "- item <svg onload=\"alert('PWNED')\">\n- item",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"alert('PWNED')\">",
    "```mermaid\ngraph TD; A-->B<img src=x onerror=\"alert('PWNED')\">\n```",
    "~~~ MerMaid\ngraph TD; A-->B<img src=x onerror=\"alert('PWNED')\">\n~~~",
    "`code` <b onmouseover=\"alert('PWNED')\">bold</b> `<i>`",
    "$x<y$ <img src=x onerror=\"alert('PWNED')\"> $$a<b$$",
    "[x](a\"onmouseover=\"alert('PWNED'))",
    "[x](https://example.org \"title\" onmouseover=\"alert('PWNED')\")",
    "# Heading <img src=x onerror=\"alert('PWNED')\">",
    "| a | b |\n|---|---|\n| <img src=x onerror=\"alert('PWNED')\"> | 2 |",
    "<!-- --><img src=x onerror=\"alert('PWNED')\">",
    "``<img src=x onerror=\"alert('PWNED')\">` <img src=x onerror=\"alert('PWNED')\">",
    "\\<img src=x onerror=\"alert('PWNED')\">",
]

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "form", "style", "svg", "math",
                  "base", "meta", "link", "frame", "frameset", "applet", "template",
                  "noscript", "textarea", "title", "xmp", "button", "input", "select",
                  "video", "audio", "source", "marquee", "body", "html", "head"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster",
                  "background", "srcdoc", "srcset", "content", "style"}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside script/style elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)


def elements(markup: str) -> Elements:
    parser = Elements()
    parser.feed(markup)
    parser.close()
    return parser


def assert_inert(markup: str, allowed_tags: set[str] = frozenset()) -> None:
    """No element of `markup` can run script (see the module doc)."""
    found = elements(markup)
    for tag, attrs in found.tags:
        assert tag not in FORBIDDEN_TAGS - allowed_tags, (tag, markup)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, markup)
            if name in URL_ATTRIBUTES and not value.startswith("#"):  # a fragment is inert
                assert "PWNED" not in value and "javascript" not in value.lower(), (
                    tag, name, value)
                if name == "src" and tag == "img":
                    assert safe_url(value, image=True) or value.startswith(
                        "data:image/png;base64,"), value
                elif name in ("href", "src"):
                    assert safe_url(value), (tag, name, value)
    assert not found.comments, markup


def render_markdown(text: str, attachments=None) -> str:
    """What nbconvert (and so nbgrader's templates) renders a markdown text to."""
    renderer = IPythonRenderer(escape=False, attachments=attachments or {})
    return MarkdownWithMath(renderer=renderer).render(text)


# --- HTML outputs ------------------------------------------------------------------------
@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_html_payloads_lose_everything_that_could_run(payload):
    cleaned = clean_html(payload)
    assert_inert(cleaned)
    assert clean_html(cleaned) == cleaned  # stable when cleaned again (feedback after autograde)


def test_ordinary_html_survives_cleaning():
    table = ("<table><thead><tr><th>x</th><th>f(x)</th></tr></thead><tbody>"
             "<tr><td>1</td><td><b>2.5</b></td></tr></tbody></table>")
    assert clean_html(table) == table
    text = "<p>Loss <em>falls</em>: 0.69 &gt; 0.12<br><code>np.dot</code> <sup>2</sup></p>"
    assert clean_html(text) == text
    image = f'<img src="data:image/png;base64,{PNG}" alt="plot" width="40">'
    assert clean_html(image) == image
    link = '<a href="https://numpy.org/doc/" title="docs">docs</a>'
    assert clean_html(link) == link


def test_script_and_style_leave_no_text_behind():
    assert clean_html("<style>.x{color:red}</style>ok<script>var PWNED=1</script>") == "ok"
    assert clean_html("a<SCRIPT>x</script >b<script>unclosed") == "abunclosed"


def test_very_long_html_is_shown_as_escaped_source():
    text = "<b>" * (MAX_HTML_CHARS // 3) + "<img src=x onerror=alert('PWNED')>"
    cleaned = clean_html(text)
    assert cleaned.startswith("<pre>&lt;b&gt;") and "<img" not in cleaned
    assert_inert(cleaned)


# --- markdown ----------------------------------------------------------------------------
@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_markdown_payloads_render_inert(payload):
    cleaned = sanitize_markdown(payload)
    assert markdown_hazards(cleaned) == []
    rendered = render_markdown(cleaned)
    assert_inert(rendered)
    assert 'class="mermaid"' not in rendered
    assert sanitize_markdown(cleaned) == cleaned


# Inert even without sanitising: nbconvert only treats lower-case "mermaid" specially,
# a title cannot hold attributes, and a backslash escapes the "<".
INERT_ANYWAY = {MARKDOWN_PAYLOADS[i] for i in (21, 25, 30)}


@pytest.mark.parametrize("payload", sorted(set(MARKDOWN_PAYLOADS) - INERT_ANYWAY))
def test_the_markdown_payloads_are_unsafe_without_sanitising(payload):
    """The test above would mean nothing if nbconvert rendered these safely anyway."""
    with pytest.raises(Exception):  # noqa: B017 - AssertionError, or nbconvert's own error
        assert_inert(render_markdown(payload))


def test_escaped_html_stays_readable():
    cleaned = sanitize_markdown("Hello <b onclick=x>there</b>, *you*.")
    assert cleaned == "Hello &lt;b onclick=x>there&lt;/b>, *you*."
    rendered = render_markdown(cleaned)
    assert "&lt;b onclick=x&gt;there&lt;/b&gt;" in rendered and "<em>you</em>" in rendered


def test_unsafe_links_are_blocked_and_safe_ones_kept():
    cleaned = sanitize_markdown("[bad](javascript:alert(1)) and [good](https://numpy.org)")
    assert cleaned == "[bad](#blocked) and [good](https://numpy.org)"


ORDINARY_MARKDOWN = """# Exercise 3 · the gradient

Wang Xiaoer sells **pigs**: the *rate* is $\\frac{\\Delta y}{\\Delta x}$ and $a < b$, with
$$f'(x) = \\lim_{h \\to 0} \\frac{f(x+h) - f(x)}{h}$$

1. first
2. second, `x < y` in code
   - nested

| year | pigs |
|-----:|------|
| 2020 | 12   |

> a quote with a [link](https://en.wikipedia.org/wiki/Derivative) and [top](#top)

```python
if x < 3 and y > 2:
    print("<b>")
```

~~strike~~ and <https://numpy.org> and a footnote-like [^1].
"""


def test_ordinary_markdown_is_left_exactly_as_written():
    assert sanitize_markdown(ORDINARY_MARKDOWN) == ORDINARY_MARKDOWN
    assert markdown_hazards(ORDINARY_MARKDOWN) == []


def test_markdown_that_cannot_be_repaired_is_shown_as_code():
    # Backtick runs the repair misjudges as a code span: the check catches it.
    tricky = "``<img src=x onerror=alert('PWNED')>` <img src=x onerror=alert('PWNED')>"
    cleaned = sanitize_markdown(tricky)
    assert markdown_hazards(cleaned) == []
    assert "onerror" in render_markdown(cleaned)  # shown, as escaped text
    assert_inert(render_markdown(cleaned))


def test_very_long_markdown_is_shown_as_code_without_parsing():
    text = "\\begin{a}" * 3000 + "<img src=x onerror=\"alert('PWNED')\">"
    assert len(text) > MAX_MARKDOWN_CHARS
    cleaned = sanitize_markdown(text)
    assert cleaned.startswith(PLAIN_NOTE) and markdown_hazards(cleaned) == []


@pytest.mark.parametrize(("url", "image", "safe"), [
    ("https://numpy.org/doc", False, True), ("mailto:teacher@example.org", False, True),
    ("#section-2", False, True), ("//cdn.example.org/x", False, True),
    ("javascript:alert(1)", False, False), (" JAVASCRIPT:alert(1)", False, False),
    ("java\nscript:alert(1)", False, False), ("&#x6A;avascript:alert(1)", False, False),
    ("java%73cript:alert(1)", False, False), ("vbscript:msgbox(1)", False, False),
    ("data:text/html,<script>alert(1)</script>", False, False),
    ("evil.html", False, False), ("../../etc/passwd", False, False),
    (f"data:image/png;base64,{PNG}", True, True), ("data:image/svg+xml;base64,PHN2Zz4=", True, False),
    ("https://tracker.example/pixel.png", True, False), ("attachment:a.png", True, False),
])
def test_url_rule(url, image, safe):
    assert safe_url(url, image=image) is safe


def test_attachment_images_need_a_kept_attachment():
    assert safe_url("attachment:a.png", image=True, attachments=frozenset({"a.png"}))
    assert not safe_url("attachment:b.png", image=True, attachments=frozenset({"a.png"}))


def test_raw_cells_rendered_as_html_are_cleaned_others_kept():
    html_cell = nbformat.v4.new_raw_cell("<b>x</b><script>PWNED</script>")
    latex = nbformat.v4.new_raw_cell("a < b \\\\ <script>", metadata={"raw_mimetype": "text/latex"})
    nb = nbformat.v4.new_notebook(cells=[html_cell, latex])
    sanitize_notebook(nb)
    assert nb.cells[0].source == "<b>x</b>"
    assert nb.cells[1].source == "a < b \\\\ <script>"  # never rendered as HTML


def test_every_lesson_notebook_is_unchanged():
    """The lessons' own markdown, metadata and cells pass through untouched."""
    for path in sorted((REPO / "lessons").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        before = copy.deepcopy(nb)
        assert sanitize_notebook(nb) == before, path.name


# --- notebooks ---------------------------------------------------------------------------
def bundle(data: dict, metadata: dict | None = None, kind="display_data"):
    fields = {"data": data, "metadata": metadata or {}}
    if kind == "execute_result":
        fields["execution_count"] = 3
    return nbformat.v4.new_output(kind, **fields)


def test_javascript_output_becomes_a_note():
    out = sanitize_output(bundle({
        "application/javascript": "alert('PWNED')",
        "text/plain": "<IPython.core.display.Javascript object>"}))
    assert dict(out.data) == {"text/plain": JS_NOTE}
    for mime in ("text/javascript", "application/x-javascript", "application/ecmascript"):
        assert dict(sanitize_output(bundle({mime: "alert('PWNED')"})).data) == {
            "text/plain": JS_NOTE}


def test_widgets_svg_and_unknown_mimetypes_are_dropped_keeping_the_text():
    widget = sanitize_output(bundle({
        "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2,
                                                     "version_minor": 0},
        "text/plain": "VBox(children=(FloatSlider(value=1.0),))"}))
    assert dict(widget.data) == {"text/plain": "VBox(children=(FloatSlider(value=1.0),))"}
    svg = sanitize_output(bundle({"image/svg+xml": "<svg onload=alert('PWNED')></svg>"}))
    assert list(svg.data) == ["text/plain"] and "PWNED" not in svg.data["text/plain"]
    other = sanitize_output(bundle({"application/vnd.evil+html": "<script>PWNED</script>",
                                    "application/pdf": "JVBERi0=", "text/plain": "ok"}))
    assert dict(other.data) == {"text/plain": "ok"}


def test_images_keep_only_base64_data_and_numeric_sizes():
    out = sanitize_output(bundle(
        {"image/png": PNG, "image/jpeg": "not base64 <script>PWNED</script>",
         "text/plain": "<Figure size 640x480 with 1 Axes>"},
        {"image/png": {"width": "1 onload=alert('PWNED')", "height": 30, "unconfined": True},
         "isolated": True, "filenames": {"image/png": "javascript:alert('PWNED')"}},
        kind="execute_result"))
    assert set(out.data) == {"image/png", "text/plain"} and out.data["image/png"] == PNG
    assert out.metadata == {"image/png": {"height": 30, "unconfined": True}}
    assert out.execution_count == 3


def test_html_markdown_and_text_outputs():
    out = sanitize_output(bundle({
        "text/html": "<b>ok</b><img src=x onerror=alert('PWNED')>",
        "text/markdown": "*ok* [x](javascript:alert('PWNED'))",
        "text/latex": "$x^2$", "text/plain": "42"}))
    assert out.data["text/html"] == "<b>ok</b>"
    assert out.data["text/markdown"] == "*ok* [x](#blocked)"
    assert out.data["text/latex"] == "$x^2$" and out.data["text/plain"] == "42"


def test_streams_and_tracebacks_keep_their_text():
    stream = nbformat.v4.new_output("stream", name="stdout", text="<script>x</script> 3.5\n")
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="expected 3 <b>",
                                   traceback=["\x1b[31mAssertionError\x1b[0m: expected 3"])
    assert sanitize_output(stream) == stream
    assert sanitize_output(error) == error


def hostile_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"x": {"model_name": "HTMLModel",
                        "state": {"value": "<img src=x onerror=alert('PWNED')>"}}}}}
    nb.metadata["signature"] = "sha256:0"
    markdown = nbformat.v4.new_markdown_cell(
        "![ok](attachment:plot.png) ![bad](attachment:page.html) <img src=x onerror=alert(1)>")
    markdown.attachments = {"plot.png": {"image/png": PNG},
                            "page.html": {"text/html": "<script>alert('PWNED')</script>"}}
    markdown.metadata["trusted"] = True
    raw = nbformat.v4.new_raw_cell("<img src=x onerror=alert('PWNED')>")
    code = nbformat.v4.new_code_cell("display(Javascript('alert(1)'))", outputs=[
        bundle({"application/javascript": "alert('PWNED')"}),
        bundle({"text/html": "<table><tr><td>1</td></tr></table><script>PWNED</script>"}),
        nbformat.v4.new_output("stream", name="stdout", text="hello\n")])
    graded = nbformat.v4.new_code_cell("x = 1")
    graded.metadata["nbgrader"] = {"grade_id": "<img src=x onerror=alert('PWNED')>",
                                   "grade": False, "solution": True, "locked": False,
                                   "schema_version": 3}
    kept = nbformat.v4.new_code_cell("x = 2")
    kept.metadata["nbgrader"] = {"grade_id": "check_yearly_growth", "grade": True,
                                 "solution": False, "locked": True, "points": 2,
                                 "schema_version": 3,
                                 "comment": "See [here](javascript:alert('PWNED'))"}
    nb.cells = [markdown, raw, code, graded, kept]
    return nb


def test_a_hostile_notebook_is_made_inert_and_stays_valid():
    nb = sanitize_notebook(hostile_notebook())
    nbformat.validate(nb)
    assert "widgets" not in nb.metadata and "signature" not in nb.metadata
    markdown, raw, code, graded, kept = nb.cells
    assert set(markdown.attachments) == {"plot.png"}
    assert "trusted" not in markdown.metadata
    assert "![ok](attachment:plot.png)" in markdown.source
    assert "attachment:page.html" not in markdown.source
    assert_inert(render_markdown(markdown.source, markdown.attachments))
    assert_inert(raw.source)
    assert [dict(o.get("data", {})) for o in code.outputs][:2] == [
        {"text/plain": JS_NOTE}, {"text/html": "<table><tbody><tr><td>1</td></tr></tbody></table>"}]
    assert code.outputs[2].text == "hello\n"
    assert "nbgrader" not in graded.metadata
    assert kept.metadata.nbgrader.grade_id == "check_yearly_growth"
    assert kept.metadata.nbgrader.comment == "See [here](#blocked)"
    assert "PWNED" not in json.dumps(
        [c.get("attachments") for c in nb.cells] + [nb.metadata])


def test_sanitising_twice_changes_nothing():
    once = sanitize_notebook(hostile_notebook())
    assert sanitize_notebook(copy.deepcopy(once)) == once


def test_the_preprocessor_and_the_feedback_chain():
    hostile = hostile_notebook()
    nb, resources = SanitizeNotebook().preprocess(copy.deepcopy(hostile), {})
    assert nb == sanitize_notebook(hostile)
    chain = feedback_pages.feedback_preprocessors()
    names = [p.__name__ for p in chain]
    assert names[-1] == "SanitizeNotebook" and names.index("GetGrades") < len(names) - 1


# --- student ids -------------------------------------------------------------------------
@pytest.mark.parametrize("student_id", [
    "alice", "bob_2", "j.doe", "mary-jane", "Zoë", "名前", "Ελένη", "x1", "_tutor",
    "alice@example.org", "bob+test", "नमस्ते", "a" * 64,
])
def test_safe_ids(student_id):
    assert student_id_problem(student_id) is None


@pytest.mark.parametrize("student_id", [
    "", "a" * 65, ".", "..", "../alice", "a/b", "a\\b", "a,b", "a b", " alice", "alice\n",
    "a\tb", "a\x00b", "a\u202eb", "a\u200bb", "<img src=x onerror=alert(1)>", "a<b", "a>b",
    "a&b", 'a"b', "a'b", "a`b", "=1+1", "+1", "-1", "@SUM(A1)", ".hidden", "alice.",
    "a*", "a?b", "[ab]", "a#b", "a%20b", "a:b", "a;b", "\u0301a", "a$b",
])
def test_unsafe_ids(student_id):
    assert student_id_problem(student_id)


def test_collect_skips_unsafe_ids(monkeypatch):
    from nbgrader.exchange.default.collect import ExchangeCollect

    records = [{"username": name, "filename": f"{name}+lesson+2026-01-01 00:00:00 UTC+1",
                "timestamp": None} for name in ("alice", "<img src=x onerror=alert(1)>", "..")]

    def init_src(self):
        self.src_records = list(records)

    monkeypatch.setattr(ExchangeCollect, "init_src", init_src)
    collect = SafeExchangeCollect.__new__(SafeExchangeCollect)
    collect.log = logging.getLogger("test")
    collect.init_src()
    assert [r["username"] for r in collect.src_records] == ["alice"]


# --- CSV ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
    ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("  =1", "'  =1"), ("\n=1", "'\n=1"), ("\uff1d1+1", "'\uff1d1+1"),
    ("alice", "alice"), ("a=b", "a=b"), ("", ""), ("-0.5", "-0.5"), ("2.5", "2.5"),
    ("1e-3", "1e-3"), (3, 3), (2.5, 2.5), (None, None),
])
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


class FakeGradebook:
    """Just what the exporters read: one lesson, two students (one with hostile names),
    neither submitted."""

    def __init__(self):
        cell = SimpleNamespace(name="check_a")
        notebook = SimpleNamespace(grade_cells=[cell])
        self.assignments = [SimpleNamespace(name="01-derivative", duedate=None, max_score=2.0,
                                            notebooks=[notebook])]
        self.students = [
            SimpleNamespace(id="alice", first_name="Alice", last_name="Liddell", email=None),
            SimpleNamespace(id="bob", first_name="@SUM(1+1)*cmd|' /C calc'!A0",
                            last_name='=HYPERLINK("http://evil.example","click")',
                            email="-2+3@example.org")]
        self.engine = SimpleNamespace(url=SimpleNamespace(database=None))

    def find_submission(self, lesson, student):
        raise MissingEntry()


@pytest.mark.parametrize("exporter", [exporting.SafeCsvExport, exporting.ExerciseCsvExport])
def test_exports_cannot_start_a_formula(tmp_path, exporter):
    dest = tmp_path / "grades.csv"
    exporter(to=str(dest)).export(FakeGradebook())
    text = dest.read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["student_id"] for r in rows] == ["alice", "bob"]
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert rows[1]["last_name"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert rows[1]["email"] == "'-2+3@example.org"
    assert rows[0]["last_name"] == "Liddell"
