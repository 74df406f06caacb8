"""Nothing a learner wrote, or their code printed, runs in a browser that opens graded work.

Learners submit notebooks; the instructor opens them in Formgrader and JupyterLab, and
every learner gets an HTML feedback page. This module keeps learner content inert:

- `sanitize_notebook(nb)` (and `SanitizeNotebook`, the nbgrader preprocessor that calls
  it, run after execution at autograde and again at generate_feedback):

  * code-cell outputs keep `text/plain`, `text/latex` (escaped by every renderer), and
    `image/png` / `image/jpeg` only when they are base64 data; `text/html` is cleaned
    (`clean_html`; over MAX_HTML_CHARS it is shown as escaped source) and
    `text/markdown` cleaned like a markdown cell; JavaScript
    (`application/javascript`, `text/javascript`, …) becomes the text/plain note
    "removed: JavaScript output is not shown in graded work"; every other mimetype
    (widget views and state, SVG, PDF, vendor types) is dropped, leaving its text/plain
    fallback. Output metadata keeps only numeric image sizes (nbconvert writes
    `width={{ width }}` unquoted, so `{"width": "1 onload=alert(1)"}` from
    `display(..., metadata=...)` would be an event handler). Streams and error
    tracebacks keep their text (every renderer escapes it).
  * markdown cells and `comment`s: `sanitize_markdown` escapes raw HTML in the markdown
    *source*, blocks unsafe link and image targets (`javascript:`, `data:` other than a
    PNG/JPEG/GIF image, relative links, attachments that are not kept) and defuses
    ```` ```mermaid ```` blocks, whose text nbconvert inserts unescaped. A cell with
    none of these is left exactly as written (the lessons' own markdown is unchanged:
    tests/test_sanitize.py checks it). The result is checked with the parser nbconvert
    renders with and again on the HTML it renders; if anything is still unsafe (or the
    text is over MAX_MARKDOWN_CHARS) the cell is shown as a fenced code block instead.
  * cell attachments other than PNG/JPEG/GIF images are dropped; raw cells that the
    HTML exporters emit (no mimetype, text/html) are cleaned with `clean_html`;
    `metadata.widgets` (ipywidgets state: JupyterLab and nbconvert's page render an HTML
    widget's value as HTML), `trusted` and `signature` are removed, and a cell whose
    nbgrader `grade_id` is not a plain name loses its nbgrader metadata (nbgrader's
    templates insert grade_id unescaped).

- `student_id_problem(id)`: why a student id is unsafe (or None), for collect and
  autograde; `SafeExchangeCollect` and `SafeFileNameCollector` skip unsafe ids at
  `nbgrader collect` / `nbgrader zip_collect`.
- `csv_safe(value)`: a CSV cell a spreadsheet cannot run as a formula (grader/export.py).

The HTML sanitiser is bleach (`bleach.Cleaner`, strip=True, a small allowlist, no
`class`/`id`/`style`, no SVG/MathML, no raw-text elements), because it is already
installed as a hard dependency of nbconvert (and so of nbgrader): no new dependency,
and nbconvert's own `SanitizeHTML` and `clean_html` use it too. bleach has been
deprecated since 2023 (mozilla/bleach#698) but still ships security releases; nh3
(ammonia) is its maintained successor and would be a new compiled dependency: swapping
it in means changing `clean_html` only. nbconvert's `SanitizeHTML` preprocessor is not
used: it runs bleach over markdown *source* (mangling markdown, and it would not see
`[x](javascript:…)`, which nbconvert's renderer emits with `allow_harmful_protocols`),
keeps `class`/`id`, and nbgrader's formgrade/feedback templates render markdown with
`markdown2html` and no cleaning at all, even with `HTMLExporter.sanitize_html`.

Findings about Formgrader (nbgrader 0.9.6, read in the venv):

- The submission view (`SubmissionHandler`) converts `autograded/<student>/<lesson>/
  <notebook>.ipynb` with nbconvert's `HTMLExporter` and the `formgrade` template on every
  request, with no preprocessors: sanitising the autograded notebook at autograde time
  is what protects it (notebooks autograded before that are not protected until regraded;
  `c.HTMLExporter.sanitize_html = True` would add nbconvert's cleaning of outputs, not of
  markdown). Its "open live notebook" link opens the same file in JupyterLab.
- Neither Jinja environment autoescapes: Formgrader's page templates use
  `Environment(loader=...)` and nbconvert's exporter has no autoescape either. Templates
  insert `student_id` raw into HTML and into JavaScript strings
  (`var student_id = "{{ student_id }}"` in manage_students_assignments.tpl), and the
  formgrade page inserts `resources.student`, `last_name`, `first_name` and
  `cell.metadata.nbgrader.grade_id` raw; manage_submissions.js builds an error modal by
  string concatenation with the student id (jQuery `.append(string)` parses it as HTML).
  Most list views use jQuery `.text()`. So a student id (or a name imported from an LMS)
  with markup is script in the instructor's page: ids must be refused before they reach
  the gradebook (collect, autograde). Markdown goes through `markdown2html` without
  `|safe` or cleaning; outputs through nbconvert's classic template (text/html and
  application/javascript raw, images' width/height unquoted).
- `SubmissionFilesHandler` serves every other file of the autograded folder (autograde
  copies all non-ignored files a learner submitted) from the Jupyter server's own origin
  and the page URL ends in `/`: a relative link in learner markdown to a submitted
  `evil.html` would run script with the instructor's Jupyter session. Hence relative
  links are blocked here; ignoring such files at autograde
  (`CourseDirectory.ignore`) closes the direct URL too.
- The classic template loads MathJax 2.7.7 with its `Safe` extension (filters `\\href`
  targets) and JupyterLab bundles MathJax 3's `safe` extension; TeX is left as written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import bleach
import nbformat
from nbformat.notebooknode import NotebookNode
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.plugins import FileNameCollectorPlugin
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List

JS_NOTE = "removed: JavaScript output is not shown in graded work"
JAVASCRIPT = frozenset({"application/javascript", "text/javascript", "application/x-javascript",
                        "application/ecmascript", "text/ecmascript", "module"})
IMAGES = ("image/png", "image/jpeg")
ATTACHMENT_IMAGES = ("image/png", "image/jpeg", "image/gif")
BASE64 = re.compile(r"[A-Za-z0-9+/\s]*={0,2}\s*")
SAFE_GRADE_ID = re.compile(r"[A-Za-z0-9_.\-]{1,128}")

# --- HTML --------------------------------------------------------------------------------
HTML_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var",
})
_CELL_ATTRIBUTES = {"colspan", "rowspan", "align", "valign", "scope"}
_SIZE = re.compile(r"\d{1,5}%?")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif);base64,[a-z0-9+/]*={0,2}")
# Longer HTML is shown as escaped source: bleach's parser takes seconds on deeply nested
# markup (30,000 × "<b>": 8 s), and autograde has no time limit of its own here.
MAX_HTML_CHARS = 50_000
# An <img> whose src was removed (bleach output: lower-case, quoted attributes).
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _normal_url(url: str) -> str:
    """The URL as a browser would read its scheme: entities and %-escapes decoded,
    whitespace, control and non-ASCII characters removed, lower case."""
    value = unquote(html.unescape(url))
    value = re.sub(r"[`\x00-\x20\x7f-\xa0\s]+", "", value)
    return re.sub(r"[^\x00-\x7f]", "", value).lower()


def safe_url(url: str, *, image: bool = False, attachments: frozenset | None = None) -> bool:
    """Whether a learner's link (or, with image=True, image source) may stay.

    Links: http(s), mailto and #fragments. Not relative links: Formgrader serves the
    learner's own submitted files next to the page, from the Jupyter server's origin.
    Images: base64 PNG/JPEG/GIF data, and `attachment:NAME` when NAME is among the
    cell's kept attachments (nbconvert fails on a missing one). Never javascript:,
    vbscript:, data:text/html and the like, however they are spelled.
    """
    if not isinstance(url, str):
        return False
    normal = _normal_url(url)
    if normal.startswith("#") or normal == "":
        return True
    if image:
        if normal.startswith("attachment:"):
            return attachments is not None and url[len("attachment:"):] in attachments
        return _DATA_IMAGE.fullmatch(normal) is not None
    try:
        parts = urlsplit(normal)
    except ValueError:
        return False
    if parts.scheme in ("http", "https", "mailto"):
        return True
    return parts.scheme == "" and normal.startswith("//")  # //host/path: remote http(s)


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name == "title":
        return True
    if tag == "a":
        return name == "href" and safe_url(value)
    if tag == "img":
        if name == "src":
            return safe_url(value, image=True)
        return name == "alt" or (name in ("width", "height") and bool(_SIZE.fullmatch(value)))
    if tag in ("td", "th"):
        return name in _CELL_ATTRIBUTES
    if tag == "ol":
        return name in ("start", "type")
    if tag in ("col", "colgroup"):
        return name == "span"
    if tag == "details":
        return name == "open"
    return name == "align" and tag in ("p", "div", "table", "tr", "h1", "h2", "h3", "h4")


_CLEANER = bleach.sanitizer.Cleaner(
    tags=HTML_TAGS, attributes=_allowed_attribute,
    protocols={"http", "https", "mailto", "data"},  # data: only passes _allowed_attribute for img
    strip=True, strip_comments=True)


class _HazardFinder(HTMLParser):
    """Lists what in an HTML text is outside an allowlist (a check, not a cleaner)."""

    def __init__(self, tags, attribute_ok):
        super().__init__(convert_charrefs=True)
        self.tags, self.attribute_ok, self.found = tags, attribute_ok, []

    def handle_starttag(self, tag, attrs):
        if tag not in self.tags:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if not self.attribute_ok(tag, name, value or ""):
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag not in self.tags:
            self.found.append(f"</{tag}>")

    def handle_comment(self, data):
        self.found.append("<!-- -->")

    def handle_decl(self, decl):
        self.found.append(f"<!{decl[:20]}>")

    def handle_pi(self, data):
        self.found.append(f"<?{data[:20]}>")

    def unknown_decl(self, data):
        self.found.append(f"<![{data[:20]}>")


def html_hazards(text: str, tags=HTML_TAGS, attribute_ok=_allowed_attribute) -> list[str]:
    """What in `text` is not on the allowlist (empty: safe). Used to check results."""
    finder = _HazardFinder(tags, attribute_ok)
    finder.feed(text)
    finder.close()
    return finder.found


def _drop_script_and_style(text: str) -> str:
    """Without <script>/<style> elements, so their code is not left as visible text
    (linear: a plain scan, not a regex that could backtrack on unclosed tags)."""
    for tag in ("script", "style"):
        lower, pieces, at = text.lower(), [], 0
        while (start := lower.find("<" + tag, at)) >= 0:
            end = lower.find("</" + tag, start)
            close = lower.find(">", end) if end >= 0 else -1
            if close < 0:
                break
            pieces.append(text[at:start])
            at = close + 1
        text = "".join(pieces) + text[at:]
    return text


def clean_html(text: str) -> str:
    """Learner HTML with only the allowlisted tags and attributes (see the module doc);
    longer than MAX_HTML_CHARS: its source, escaped."""
    if len(text) > MAX_HTML_CHARS:
        return f"<pre>{html.escape(text)}</pre>"
    cleaned = _IMG_WITHOUT_SRC.sub("", _CLEANER.clean(_drop_script_and_style(text)))
    if html_hazards(cleaned):  # never seen; bleach is the guarantee, this the check
        return html.escape(text)
    return cleaned


# --- markdown ----------------------------------------------------------------------------
# What nbconvert's markdown renderer (mistune + IPythonRenderer) emits, for the check.
_MARKDOWN_TAGS = frozenset({
    "a", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "img", "input", "li", "ol", "p", "pre", "span", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
})
_ALIGN_STYLE = re.compile(r"text-align:\s*(?:left|right|center)")


def _markdown_attribute_ok(attachments):
    def ok(tag: str, name: str, value: str) -> bool:
        if name == "class":
            return "mermaid" not in value.lower()
        if name == "id":
            return tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        if name in ("title", "alt"):
            return True
        if name == "href":
            return tag == "a" and safe_url(value)
        if name == "src":
            return tag == "img" and (safe_url(value, image=True)
                                     or _is_embedded_attachment(value, attachments))
        if name == "style":
            return bool(_ALIGN_STYLE.fullmatch(value.strip().rstrip(";")))
        if tag == "input":
            return (name, value) in {("type", "checkbox"), ("disabled", ""), ("checked", "")}
        return tag == "ol" and name == "start"
    return ok


def _is_embedded_attachment(src: str, attachments) -> bool:
    """nbconvert renders `attachment:NAME` as data:MIME;base64 of the attachment."""
    return bool(attachments) and bool(re.fullmatch(
        r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*", src))


def _markdown_parser(renderer=None):
    from nbconvert.filters.markdown_mistune import MarkdownWithMath

    return MarkdownWithMath(renderer=renderer)


def _tokens(tokens):
    for token in tokens:
        yield token
        yield from _tokens(token.get("children", ()))


def markdown_hazards(text: str, attachments: frozenset | None = None) -> list[str]:
    """What would be unsafe if nbconvert (so nbgrader's templates) rendered `text`: raw
    HTML, unsafe link or image targets, mermaid blocks; then the rendered HTML checked
    against an allowlist. Empty: safe."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer

    found = []
    try:
        tokens, _ = _markdown_parser().parse(text)
    except Exception as error:  # noqa: BLE001 - an unparsable text is not shown as is
        return [f"markdown parser failed: {error!r}"]
    for token in _tokens(tokens):
        kind, attrs = token.get("type"), token.get("attrs") or {}
        if kind in ("inline_html", "block_html"):
            found.append(f"raw HTML {token.get('raw', '')[:40]!r}")
        elif kind == "link" and not safe_url(attrs.get("url", "")):
            found.append(f"link to {attrs.get('url', '')[:40]!r}")
        elif kind == "image" and not safe_url(attrs.get("url", ""), image=True,
                                               attachments=attachments):
            found.append(f"image from {attrs.get('url', '')[:40]!r}")
        elif kind == "block_code" and str(attrs.get("info") or "").strip().lower().startswith(
                "mermaid"):
            found.append("mermaid block")
    if found:
        return found
    named = {name: {"image/png": ""} for name in attachments or ()}
    try:
        rendered = _markdown_parser(IPythonRenderer(escape=False, attachments=named)).render(text)
    except Exception as error:  # noqa: BLE001
        return [f"markdown renderer failed: {error!r}"]
    return html_hazards(rendered, _MARKDOWN_TAGS, _markdown_attribute_ok(attachments))


# Regions of markdown source where `<` is not HTML: fenced code, code spans, math, and
# angle-bracket link destinations. Approximate on purpose: the result is checked.
_PROTECTED = re.compile(
    r"(?ms:^[ \t>]*(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t>]*(?P=fence)[`~]*[ \t]*$|\Z))"
    r"|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)"
    r"|(?s:\$\$.+?\$\$)|(?s:\\\[.+?\\\])|(?s:\\\(.+?\\\))"
    r"|(?s:\\begin\{(?P<env>[a-z]*\*?)\}.*?\\end\{(?P=env)\})"
    r"|(?<![$\\])\$(?!\s)[^$\n]+?(?<![$\\\s])\$"
    r"|\]\(\s*<[^<>\n]*>")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_MERMAID_FENCE = re.compile(r"^([ \t>]*(?:`{3,}|~{3,})[ \t]*)mermaid", re.IGNORECASE | re.MULTILINE)
_INLINE_TARGET = re.compile(
    r"(?P<bang>!?)\[(?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*\]\((?P<space>\s*)"
    r"(?P<dest><[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)")
_REFERENCE = re.compile(r"^(?P<head>[ \t>]*\[[^\]\n]+\]:[ \t]*)(?P<dest><[^<>\n]*>|\S+)",
                        re.MULTILINE)
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _target_ok(dest: str, image: bool, attachments) -> bool:
    url = _BACKSLASH_ESCAPE.sub(r"\1", dest[1:-1] if dest.startswith("<") else dest)
    url = html.unescape(url)
    if image:
        return safe_url(url, image=True, attachments=attachments)
    return safe_url(url)


def _repair_markdown(text: str, attachments) -> str:
    text = _MERMAID_FENCE.sub(r"\1text", text)
    text = _INLINE_TARGET.sub(
        lambda m: m.group(0) if _target_ok(m["dest"], bool(m["bang"]), attachments)
        else m.group(0)[:m.start("dest") - m.start()] + "#blocked", text)
    text = _REFERENCE.sub(
        lambda m: m.group(0) if _target_ok(m["dest"], False, attachments)
        else m["head"] + "#blocked", text)
    pieces, last = [], 0
    for match in _PROTECTED.finditer(text):
        pieces.append(_TAG_START.sub("&lt;", text[last:match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_TAG_START.sub("&lt;", text[last:]))
    return "".join(pieces)


PLAIN_NOTE = ("*(shown as plain text: this cell held HTML or links that cannot be shown "
              "safely in graded work)*")
# Longer markdown is shown as a code block unread: nbconvert's parser is quadratic on
# some inputs (20,000 × "\\begin{a}" takes it ~40 s), and checking renders it more than once.
MAX_MARKDOWN_CHARS = 20_000


def _as_code_block(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{PLAIN_NOTE}\n\n{fence}\n{text.rstrip()}\n{fence}\n"


def sanitize_markdown(text: str, attachments: frozenset | None = None) -> str:
    """Markdown source that renders without learner HTML, script links or mermaid.

    Unchanged when nothing in it is unsafe. Otherwise raw HTML is escaped (`<` becomes
    `&lt;`, so it shows as text), unsafe link/image targets become `#blocked`, mermaid
    blocks become plain code; if the result is still not safe (checked with nbconvert's
    own parser and on its HTML), the whole text is shown as a fenced code block.
    `attachments`: names of the cell's kept attachments (None: no attachment allowed).
    A text longer than MAX_MARKDOWN_CHARS is always shown as a code block.
    """
    if isinstance(text, list):
        text = "".join(text)
    if not isinstance(text, str):
        return ""
    if len(text) > MAX_MARKDOWN_CHARS:
        return _as_code_block(text)
    if not markdown_hazards(text, attachments):
        return text
    repaired = _repair_markdown(text, attachments)
    if not markdown_hazards(repaired, attachments):
        return repaired
    fallback = _as_code_block(text)
    if not markdown_hazards(fallback, attachments):
        return fallback
    return PLAIN_NOTE  # pragma: no cover - a fenced block always renders as escaped text


# --- notebooks ---------------------------------------------------------------------------
def _text(value) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return value if isinstance(value, str) else None


def _image_metadata(metadata) -> dict:
    """Only what the templates use safely: integer sizes, `unconfined`, a text alt."""
    kept = {}
    for mime in IMAGES:
        spec = metadata.get(mime) if isinstance(metadata, dict) else None
        if not isinstance(spec, dict):
            continue
        clean = {}
        for key in ("width", "height"):
            value = spec.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
                clean[key] = int(value)
            elif isinstance(value, str) and value.isdigit() and value.isascii():
                clean[key] = int(value)
        if spec.get("unconfined") is True:
            clean["unconfined"] = True
        if isinstance(spec.get("alt"), str):
            clean["alt"] = spec["alt"]
        if clean:
            kept[mime] = clean
    return kept


def sanitize_output(output) -> NotebookNode | None:
    """One code-cell output made safe to render (None: drop it)."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "stream":
        text = _text(output.get("text"))
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return nbformat.v4.new_output("stream", name=name, text=text or "")
    if kind == "error":
        trace = output.get("traceback")
        trace = [line for line in trace if isinstance(line, str)] if isinstance(trace, list) else []
        return nbformat.v4.new_output("error", ename=_text(output.get("ename")) or "",
                                      evalue=_text(output.get("evalue")) or "",
                                      traceback=trace)
    if kind not in ("display_data", "execute_result"):
        return None
    data = output.get("data") if isinstance(output.get("data"), dict) else {}
    clean, dropped, javascript = {}, [], False
    for mime, raw in data.items():
        value = _text(raw)
        low = str(mime).lower()
        if value is None:
            dropped.append(mime)
        elif low in JAVASCRIPT or "javascript" in low or "ecmascript" in low:
            javascript = True
        elif mime == "text/plain" or mime == "text/latex":
            clean[mime] = value
        elif mime in IMAGES:
            if BASE64.fullmatch(value):
                clean[mime] = value
            else:
                dropped.append(mime)
        elif mime == "text/html":
            clean[mime] = clean_html(value)
        elif mime == "text/markdown":
            clean[mime] = sanitize_markdown(value)
        else:
            dropped.append(mime)
    if javascript:
        clean["text/plain"] = JS_NOTE
    elif not clean:
        clean["text/plain"] = (f"removed: {', '.join(map(str, dropped))} output is not shown "
                               "in graded work")
    fields = {"data": clean, "metadata": _image_metadata(output.get("metadata") or {})}
    if kind == "execute_result":
        count = output.get("execution_count")
        fields["execution_count"] = count if isinstance(count, int) else None
    return nbformat.v4.new_output(kind, **fields)


def _clean_attachments(cell) -> frozenset:
    """Keep only base64 PNG/JPEG/GIF attachments; return the kept names."""
    attachments = cell.get("attachments")
    if attachments is None:
        return frozenset()
    kept = {}
    if isinstance(attachments, dict):
        for name, bundle in attachments.items():
            if not isinstance(bundle, dict):
                continue
            images = {mime: _text(value) for mime, value in bundle.items()
                      if mime in ATTACHMENT_IMAGES and _text(value) is not None
                      and BASE64.fullmatch(_text(value))}
            if images:
                kept[name] = images
    if kept:
        cell["attachments"] = nbformat.from_dict(kept)
    else:
        del cell["attachments"]
    return frozenset(kept)


def _clean_metadata(metadata) -> None:
    for key in ("widgets", "trusted", "signature"):
        metadata.pop(key, None)


def sanitize_notebook(nb: NotebookNode, log=None) -> NotebookNode:
    """Make every learner-controlled part of `nb` inert (see the module doc); in place.

    Idempotent, and it leaves clean notebooks (the lessons) as they are. Returns `nb`.
    """
    _clean_metadata(nb.setdefault("metadata", NotebookNode()))
    for cell in nb.get("cells", []):
        metadata = cell.setdefault("metadata", NotebookNode())
        _clean_metadata(metadata)
        meta = metadata.get("nbgrader")  # not notebooks.nbgrader_meta: it may be anything here
        if isinstance(meta, dict):
            grade_id = meta.get("grade_id")
            if grade_id is not None and not (isinstance(grade_id, str)
                                             and SAFE_GRADE_ID.fullmatch(grade_id)):
                if log:
                    log.warning("Removing nbgrader metadata with an unsafe grade_id %r",
                                grade_id)
                del metadata["nbgrader"]
                meta = None
            elif isinstance(meta.get("comment"), str):
                meta["comment"] = sanitize_markdown(meta["comment"])
        kind = cell.get("cell_type")
        if kind == "markdown":
            kept = _clean_attachments(cell)
            source = _text(cell.get("source")) or ""
            cell["source"] = sanitize_markdown(source, kept)
        elif kind == "raw":
            _clean_attachments(cell)
            mime = str(metadata.get("raw_mimetype") or metadata.get("format") or "").lower()
            if mime in ("", "text/html"):
                cell["source"] = clean_html(_text(cell.get("source")) or "")
        elif kind == "code":
            outputs = [sanitize_output(o) for o in cell.get("outputs", [])]
            cell["outputs"] = [o for o in outputs if o is not None]
    return nb


class SanitizeNotebook(NbGraderPreprocessor):
    """nbgrader preprocessor: `sanitize_notebook` (run after execution at autograde, and
    in generate_feedback)."""

    # Configurable, as in nbgrader's GetGrades: nbgrader's converters configure
    # NbConvertBase.display_data_priority, and traitlets warns about a subclass that
    # redeclares it without the config tag (NbGraderPreprocessor does).
    display_data_priority = List(
        NbGraderPreprocessor.class_traits()["display_data_priority"].default()).tag(config=True)

    def preprocess(self, nb, resources):
        return sanitize_notebook(nb, log=self.log), resources


# --- student ids -------------------------------------------------------------------------
MAX_ID_LENGTH = 64
MARKUP = set("<>&\"'`")
FORMULA_START = set("=+-@")
INSIDE = set("_.-@+")


def student_id_problem(student_id: str) -> str | None:
    """Why `student_id` is unsafe to use as a folder, in HTML, in nbgrader's options and
    in a spreadsheet, or None if it is safe.

    The rule: 1 to 64 characters; letters (any script, with their combining marks),
    decimal digits, and `_ . - @ +` inside. So refused: empty; longer than 64; `.` and
    `..`; a path separator (`/`, `\\`); a comma (nbgrader splits `student_id_exclude`
    on commas, so such an id could not be excluded); whitespace and control or format
    characters (bidi overrides, zero-width); markup characters `< > & " ' \\``; a
    leading `= + - @` (a spreadsheet formula) or `.` (a hidden folder, which nbgrader's
    globs skip), a trailing `.`; and any other punctuation or symbol (`* ? [` are glob
    patterns to nbgrader, `# % ?` break Formgrader's URLs, `:` Windows paths). `@` and
    `+` are allowed inside for e-mail-like JupyterHub names (nbgrader's exchange
    supports `+` in user names).
    """
    if not isinstance(student_id, str):
        return "is not text"
    if student_id == "":
        return "is empty"
    if len(student_id) > MAX_ID_LENGTH:
        return f"is longer than {MAX_ID_LENGTH} characters"
    if student_id in (".", ".."):
        return "is . or .."
    for ch in student_id:
        if ch in "/\\":
            return "contains a path separator (/ or \\)"
        if ch == ",":
            return "contains a comma"
        category = unicodedata.category(ch)
        if ch.isspace() or category[0] in "CZ":
            return f"contains whitespace or a control character (U+{ord(ch):04X})"
        if ch in MARKUP:
            return f"contains the markup character {ch!r}"
    if student_id[0] in FORMULA_START:
        return f"starts with {student_id[0]!r} (a spreadsheet formula)"
    if student_id[0] == ".":
        return "starts with '.' (a hidden folder)"
    if student_id[-1] == ".":
        return "ends with '.'"
    if unicodedata.category(student_id[0]).startswith("M"):
        return "starts with a combining mark"
    for ch in student_id:
        category = unicodedata.category(ch)
        if not (category[0] in "LM" or category == "Nd" or ch in INSIDE):
            return f"contains {ch!r} (only letters, digits and _ . - @ + are allowed)"
    return None


class SafeExchangeCollect(ExchangeCollect):
    """`nbgrader collect` that skips submissions whose student id is unsafe.

    In the exchange, a submission's student id is the first part of its folder name in
    `inbound/`, which the submitting user chooses: without this, `collect` would copy
    `<img src=x onerror=…>+lesson+…` into `submitted/` (and an id `..` would escape it).
    """

    def init_src(self):
        super().init_src()
        kept = []
        for record in self.src_records:
            why = student_id_problem(record["username"])
            if why:
                self.log.warning("Not collecting %r: the student id %s.", record["filename"], why)
            else:
                kept.append(record)
        self.src_records = kept


class SafeFileNameCollector(FileNameCollectorPlugin):
    """`nbgrader zip_collect`'s file-name collector, skipping unsafe student ids."""

    def collect(self, submitted_file):
        info = super().collect(submitted_file)
        why = student_id_problem(info.get("student_id")) if info else None
        if why:
            self.log.warning("Skipping %s: the student id %s.", submitted_file, why)
            return None
        return info


# --- CSV ---------------------------------------------------------------------------------
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_safe(value):
    """A CSV cell a spreadsheet will not run as a formula (OWASP, CSV injection).

    A string starting with `= + - @`, a TAB or a CR (or their full-width forms), also
    after leading spaces or line breaks, gets a leading `'`; a string that is a plain
    number ("-0.5") and every non-string (numbers, None) are returned unchanged.
    Write the cells with the csv module so that quotes and separators are quoted.
    """
    if not isinstance(value, str) or _PLAIN_NUMBER.fullmatch(value):
        return value
    if value.startswith(_FORMULA_TRIGGERS) or value.lstrip(" \n\r\t").startswith(
            _FORMULA_TRIGGERS):
        return "'" + value
    return value
