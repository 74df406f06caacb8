"""Integrity report: learner code a check could be fooled by, for the instructor to review.

    python -m grader integrity [LESSON ...] [--json]

Run in the nbgrader course directory (or pass ``--course``). Every submission folder
``submitted/<student>/<lesson>/`` is read as files and JSON only: nothing in it is run,
imported, or followed (a symlink is reported, never opened). The report has one line per
finding: lesson, student, file, cell (number and grade_id), line, what was found, and
the code. A hit is not a verdict: it is a line to read. Grading already runs the check
cells outside the learner's kernel (grader/judge.py) and the kernel in a sandbox
(grader/sandbox.py), so most hits could not change a grade; the report says who tried,
and where to look if a score seems too good.

**Which cells.** Only code a learner could write is scanned: solution cells and cells
without nbgrader metadata (cells the learner added). The course's own given code
(read-only cells and check cells, which nbgrader puts back from the instructor's copy
before grading) is skipped: a cell is skipped when the released lesson (``lessons/`` or
``release/`` or the source folder) has a read-only or check cell with its grade_id. A
cell that only *claims* to be read-only (a grade_id the lesson does not have) is scanned.

**How.** Each cell goes through IPython's own input transformer first (what the kernel
does), so ``%magic``, ``!shell``, ``%%cell magic`` and ``?help`` lines are understood;
the code is then parsed (``ast``) and walked; imports and aliases are followed across
the notebook's cells (``import sys as s; s._getframe()``, ``from sys import _getframe
as g``, ``from inspect import *``). What is flagged:

- notebooks that cannot be read ("could not read: ...": not UTF-8, not JSON, empty,
  too big, a folder, not a notebook), malformed cells, and cells that do not parse;
- magics that run other code: ``!cmd``, ``%%bash``/``%%script``/``%%python``/
  ``%%writefile``/``%run``/``%load``/``%cd``/... (the code inside ``%%time``,
  ``%%capture``, ``%time`` and ``%%python``-like magics is scanned too);
- frame inspection (``sys._getframe``, ``inspect.currentframe``/``stack``/..., any
  ``f_back``/``f_locals``/``f_globals``/``tb_frame``/``gi_frame``/``cr_frame``/
  ``__traceback__``), IPython hooks (``get_ipython()``, ``.events.register``, input and
  AST transformers, ``set_custom_exc``, ``register_magic_function``, ``displayhook``,
  ``display_pub``, the ``In``/``Out`` history), interpreter hooks (``sys.displayhook``/
  ``excepthook``/``settrace``/``setprofile``/``addaudithook``, ``threading.settrace``),
  ``sys.modules``/``sys.path``, ``builtins``/``__builtins__``, ``globals()``;
- threads and processes (``threading``, ``_thread``, ``concurrent.futures``, ``asyncio``,
  ``os.fork``/``setsid``/``system``/``exec*``/``spawn*``/``kill``/``_exit``,
  ``subprocess``, ``multiprocessing``, ``pty``, ``signal``, ``sys.exit``/``exit()``),
  ``sqlite3``, the network (``socket``, ``urllib``, ``http``, ``requests``, ...);
- the file system: ``open(`` of anything, ``os.getcwd``/``chdir``/``listdir``/``walk``/...,
  ``os.path.exists``/..., ``glob``, ``shutil``, ``Path.iterdir``/``read_text``/...,
  ``np.load``/``loadtxt``/..., string literals that are absolute paths or have ``..``
  parts, literals naming nbgrader or the gradebook, the environment (``os.environ``);
- ``ctypes``, ``gc.get_objects``/``get_referrers``, ``importlib``, ``__import__``/
  ``exec``/``eval``/``compile`` of non-literal code (literal code is scanned), ``pickle``/
  ``marshal``, ``unittest.mock``, ``types.ModuleType``/``FunctionType``, a function's
  ``__code__``/``__globals__``, back-door dunders (``__subclasses__``, ``__dict__``, ...),
  classes that define ``__eq__``/``__array__``/... (a value that could pass any check);
- writes to attributes of numpy, grader or course (``np.allclose = ...``, ``setattr(np,
  ...)``, ``del numpy.isclose``, through any alias) and rebinding ``np``/``grader``;
- obfuscation: ``getattr``/``setattr``/``delattr``/``hasattr`` with a computed name,
  ``chr(``, base64/codecs/zlib decoding, ``bytes.fromhex``, reversed string literals;
- files in the submission folder besides the lesson's notebook(s) and nbgrader's
  ``timestamp.txt``: a ``course/`` or ``grader/`` package, any ``.py`` (its code is
  scanned too), ``sitecustomize.py``, ``.pth``, compiled code, other notebooks, symlinks
  (with where they point). ``.ipynb_checkpoints`` is fine. A ``.py`` file the lesson
  itself asks for (07-training's ``my_lesson6.py``) is scanned but not called extra.

Student ids, file names, cell ids and code are printed with control characters escaped,
so a crafted name cannot forge report lines.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import functools
import json
import os
import re
import stat
import sys
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

from grader.sanitize import student_id_problem

MAX_NOTEBOOK_BYTES = 100 * 2**20   # nbgrader's own max_file_size: bigger is not read
MAX_CELL_CHARS = 2_000_000         # a bigger cell is reported, not parsed
MAX_FILES = 2_000                  # entries listed per submission folder
MAX_CELLS = 5_000                  # code cells scanned per notebook
MAX_DEPTH = 4                      # exec("...") / %%time inside exec inside ...
CODE_CHARS = 160                   # of a line, in the report

PROTECTED = {"np": "numpy", "numpy": "numpy", "grader": "grader", "course": "course"}
PROTECTED_TOPS = {"numpy", "grader", "course"}
# A name used without an import is taken for the module of that name only where the
# name is unambiguous (a learner variable could well be called `signal` or `code`).
DEFAULT_MODULES = {"sys", "os", "inspect", "gc", "ctypes", "subprocess", "importlib",
                   "builtins", "threading", "multiprocessing", "socket", "shutil",
                   "pickle", "marshal", "sqlite3", "IPython", "asyncio"}
BUILTIN = "<builtin>"
IPYTHON = "<ipython>"

# --- what each family of findings means, in the instructor's words -----------------
FRAME = "frame inspection, can read or change the grader's variables"
IPY = "IPython hook, can change how later cells (the checks) run"
HISTORY = "IPython's input/output history, can read the check cell's code"
HOOK = "replaces an interpreter hook, can intercept the checks or their results"
MODULES = "touches sys.modules, can swap numpy or grader for a fake"
IMPORT_PATH = "changes where imports come from"
BUILTINS = "touches builtins, can replace functions every cell uses"
NAMESPACE = "the notebook's namespace, can rebind any name (np, grader)"
END = "ends the process (kills the kernel)"
EXIT = "exits (stops the cell's run, or the kernel)"
THREADS = "threads or tasks, code that runs while the checks run"
PROCESSES = "runs other programs or controls processes"
SHELL = "runs shell commands"
DATABASE = "opens a database, could read or write nbgrader's gradebook.db"
FILES = "file-system access, can look for or read other files (answers, gradebook)"
OPEN = "opens a file"
OUTSIDE = "a path outside the lesson folder"
GRADING_TEXT = "names nbgrader or the gradebook, could detect or read the grading"
ENVIRONMENT = "reads the environment, can tell the grading run from the learner's own"
MEMORY = "ctypes, can change any object in memory, a check included"
GC = "finds the grader's objects in memory"
DYNAMIC = "runs code built at run time"
IMPORT_CODE = "imports code by a computed name, from a file, or reloads a module"
PICKLE = "unpickling can run hidden code"
NETWORK = "network access"
OBFUSCATION = "obfuscation, hides a name or code"
FAKE = "builds functions or modules by hand (e.g. a fake numpy)"
MOCK = "mock.patch can replace any function, a check's included"
DEBUGGER = "starts a debugger (the grading kernel would wait for input)"
CODE_OBJECT = "touches a function's code or globals"
BACK_DOOR = "low-level introspection, reaches objects by the back door"
MACHINERY = "uses the grading machinery (nbgrader, Jupyter's kernel)"
FAKE_VALUE = "defines how its objects compare or convert (a value that could pass a check)"
FINALIZER = "runs code when an object is destroyed, possibly during a check"

# Qualified names (after following imports and aliases): a rule matches the name itself
# and everything under it (`subprocess` matches `subprocess.run`).
_RULES: list[tuple[str, str]] = [
    (r"sys\._getframe|sys\._current_frames|inspect\.(currentframe|stack|trace|"
     r"getouterframes|getinnerframes|getframeinfo|getargvalues)|traceback\.walk_(stack|tb)",
     FRAME),
    (r"<ipython>", IPY),
    (r"IPython\.(display|core\.display)", ""),   # display(), Markdown(): fine
    (r"IPython|ipykernel|jupyter_client|zmq|nbclient|nbconvert|nbformat|nbgrader|traitlets|"
     r"jupyter_core|jupyter_server", MACHINERY),
    (r"sys\.(displayhook|excepthook|settrace|setprofile|addaudithook|breakpointhook|"
     r"unraisablehook|monitoring|call_tracing|__displayhook__|__excepthook__)|"
     r"threading\.(settrace|setprofile)(_all_threads)?", HOOK),
    (r"sys\.modules", MODULES),
    (r"sys\.(path|meta_path|path_hooks|path_importer_cache)|site|zipimport|pkgutil",
     IMPORT_PATH),
    (r"builtins", BUILTINS),
    (r"__main__|<builtin>\.(globals|locals|vars)", NAMESPACE),
    (r"os\._exit|os\.abort", END),
    (r"sys\.exit|<builtin>\.(exit|quit|SystemExit|KeyboardInterrupt)", EXIT),
    (r"threading|_thread|concurrent|asyncio|sched", THREADS),
    (r"os\.(system|popen)", SHELL),
    (r"os\.(fork|forkpty|setsid|setpgid|setpgrp|exec\w*|spawn\w*|posix_spawn\w*|kill|"
     r"killpg|wait\w*|pidfd_open|register_at_fork|nice)|subprocess|multiprocessing|pty|"
     r"signal|resource|atexit|pexpect|sh|plumbum|psutil", PROCESSES),
    (r"sqlite3|dbm|shelve", DATABASE),
    (r"os\.(environ|environb|getenv|getenvb|putenv|unsetenv|getlogin|getuid|geteuid|"
     r"getpid|getppid|uname)|sys\.(argv|orig_argv)|getpass|platform\.(node|uname)",
     ENVIRONMENT),
    (r"<builtin>\.open|io\.open|io\.FileIO|codecs\.open|os\.open|os\.fdopen", OPEN),
    (r"os\.(getcwd|getcwdb|chdir|fchdir|listdir|scandir|walk|fwalk|stat|lstat|remove|"
     r"unlink|rename|renames|replace|rmdir|removedirs|mkdir|makedirs|symlink|link|"
     r"readlink|chmod|chown|lchown|truncate|access|utime|mkfifo|mknod|read|write|close|"
     r"dup|dup2|pipe)|os\.path\.(exists|lexists|isfile|isdir|islink|ismount|getsize|"
     r"getmtime|getatime|getctime|realpath|abspath|expanduser|expandvars|samefile)|"
     r"glob|shutil|tempfile|fileinput|pathlib\.(Path|PosixPath|WindowsPath)\.(cwd|home)|"
     r"numpy\.(load|loadtxt|genfromtxt|fromfile|fromregex|save|savez|savez_compressed|"
     r"savetxt|memmap|DataSource|lib\.npyio|lib\.format)|pandas\.read_\w+", FILES),
    (r"ctypes|_ctypes|cffi", MEMORY),
    (r"gc\.(get_objects|get_referrers|get_referents|callbacks|garbage)", GC),
    (r"<builtin>\.(exec|eval|compile)", DYNAMIC),
    (r"<builtin>\.(__import__|__build_class__)|importlib|imp|runpy", IMPORT_CODE),
    (r"pickle|_pickle|cPickle|marshal|dill|cloudpickle|joblib|copyreg", PICKLE),
    (r"socket|ssl|urllib|urllib3|http|requests|httpx|aiohttp|ftplib|smtplib|poplib|"
     r"imaplib|telnetlib|xmlrpc|websocket|websockets|paramiko|webbrowser", NETWORK),
    (r"<builtin>\.chr|base64|binascii|codecs|zlib|bz2|lzma|operator\.(attrgetter|"
     r"methodcaller)|(<builtin>\.)?(bytes|bytearray)\.fromhex", OBFUSCATION),
    (r"types\.(FunctionType|LambdaType|CodeType|ModuleType|FrameType|TracebackType|"
     r"MethodType)", FAKE),
    (r"unittest\.mock|mock", MOCK),
    (r"pdb|bdb|ipdb|code\.interact|<builtin>\.breakpoint", DEBUGGER),
]
RULES = [(re.compile(rf"(?:{pattern})(?:\..*)?"), family) for pattern, family in _RULES]


def _tops(pattern: str) -> set[str]:
    """The module names a rule starts with: the first name of each top-level
    alternative (`os\\.(fork|...)|subprocess` -> os, subprocess)."""
    alternatives, depth, start = [], 0, 0
    for index, char in enumerate(pattern + "|"):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            alternatives.append(pattern[start:index])
            start = index + 1
    return {match.group(1) for alt in alternatives
            if (match := re.match(r"\(?([A-Za-z_]\w*)", alt))}


# modules some rule is about (numpy and pandas only for their file functions)
RULE_TOPS = set().union(*(_tops(pattern) for pattern, _ in _RULES)) - {"numpy", "pandas"}

# Attribute names flagged whatever object they are taken from (`s = sys` hides nothing).
ATTRIBUTES = {
    **dict.fromkeys(("_getframe", "_current_frames", "f_back", "f_locals", "f_globals",
                     "f_builtins", "f_code", "f_trace", "tb_frame", "tb_next", "gi_frame",
                     "cr_frame", "ag_frame", "__traceback__", "currentframe",
                     "getouterframes", "getinnerframes", "getframeinfo"), FRAME),
    **dict.fromkeys(("input_transformers_post", "input_transformers_cleanup",
                     "ast_transformers", "set_custom_exc", "register_magic_function",
                     "register_magics", "display_pub", "displayhook", "user_ns",
                     "user_global_ns", "run_cell", "run_cell_async", "custom_exceptions",
                     "set_hook", "showtraceback", "register_post_execute",
                     "input_splitter", "pre_run_cell", "post_run_cell"), IPY),
    **dict.fromkeys(("excepthook", "settrace", "setprofile", "addaudithook",
                     "breakpointhook", "unraisablehook", "meta_path", "path_hooks"), HOOK),
    **dict.fromkeys(("__code__", "__globals__", "__closure__", "__defaults__",
                     "__kwdefaults__"), CODE_OBJECT),
    **dict.fromkeys(("__builtins__",), BUILTINS),
    **dict.fromkeys(("__subclasses__", "__bases__", "__base__", "__mro__", "__dict__",
                     "__setattr__", "__delattr__", "__getattribute__", "__import__",
                     "__loader__", "__spec__", "__reduce__", "__reduce_ex__", "__self__",
                     "__func__", "__wrapped__", "__init_subclass__", "__class_getitem__",
                     "__set_name__"), BACK_DOOR),
    **dict.fromkeys(("get_objects", "get_referrers", "get_referents"), GC),
    **dict.fromkeys(("iterdir", "rglob", "glob", "read_text", "read_bytes", "write_text",
                     "write_bytes", "tofile", "symlink_to", "hardlink_to", "readlink"), FILES),
    **dict.fromkeys(("open",), OPEN),
    **dict.fromkeys(("fromhex", "decode", "maketrans", "b64decode", "a2b_base64",
                     "decompress"), OBFUSCATION),
    **dict.fromkeys(("create_task", "ensure_future", "run_coroutine_threadsafe",
                     "call_soon", "call_soon_threadsafe", "call_later",
                     "run_in_executor", "start_new_thread"), THREADS),
    **dict.fromkeys(("system", "getoutput", "popen"), SHELL),
    **dict.fromkeys(("fork", "setsid", "execv", "execve", "execvp", "execl", "spawnv",
                     "spawnl", "killpg"), PROCESSES),
}
# Names in these families are flagged on any object; the others (`open`, `system`,
# `decode`, ...) only on an object of unknown kind or from a file-handling module.
DISTINCT = {FRAME, IPY, HOOK, CODE_OBJECT, BUILTINS, BACK_DOOR, GC}
FILE_MODULES = {"pathlib", "io", "os", "sys", "codecs", "gzip", "tempfile", "shutil", "posix"}
# ...and strings holding such a name (getattr(f, "f_back")).
STRING_NAMES = {name for name, family in ATTRIBUTES.items()
                if family in DISTINCT and name not in ("displayhook", "run_cell")} | {
    "__builtins__", "builtins", "get_ipython"}
HISTORY_NAMES = re.compile(r"In|Out|_ih|_oh|_dh|_i|_ii|_iii|_i\d+|_exit_code")
GRADING_WORDS = re.compile(r"nbgrader|gradebook|autograded", re.IGNORECASE)
ABSOLUTE = re.compile(
    r"/+(etc|home|root|tmp|usr|var|proc|sys|dev|mnt|opt|srv|run|Users|private|Volumes|"
    r"work|workspace|data|course|submitted|autograded|source|release)\b"
    r"|/+[\w.~$-]+/|\\\\[\w.$-]+|~[\w.-]*([/\\]|$)|[A-Za-z]:[/\\]")
VALUE_DUNDERS = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__bool__",
                 "__hash__", "__array__", "__array_ufunc__", "__array_function__",
                 "__array_interface__", "__array_struct__", "__array_priority__",
                 "__array_wrap__", "__array_finalize__", "__float__", "__int__",
                 "__index__", "__complex__", "__abs__", "__sub__", "__rsub__",
                 "__round__", "__instancecheck__", "__subclasscheck__", "__getattr__",
                 "__class__"}

# --- magics -----------------------------------------------------------------------
SAFE_LINE_MAGICS = {"matplotlib", "pinfo", "pinfo2", "psearch", "pdoc", "pdef", "who",
                    "whos", "who_ls", "precision", "pprint", "lsmagic", "magic", "quickref",
                    "xmode", "colors", "page"}
PYTHON_LINE_MAGICS = {"time", "timeit", "prun"}        # the rest of the line is Python
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
DISPLAY_CELL_MAGICS = {"markdown", "latex"}
SHELL_MAGICS = {"system", "sx", "sc", "bash", "sh", "script", "cd", "pushd", "popd",
                "dhist", "ls", "ll", "lf", "lk", "lx", "ldir", "cat", "cp", "mv", "rm",
                "rmdir", "mkdir", "env", "set_env", "alias", "unalias", "rehashx", "pip",
                "conda", "mamba", "micromamba", "man", "more", "less", "killbgscripts",
                "perl", "ruby", "pypy", "python", "python2", "python3", "file"}
CODE_MAGICS = {"run", "load", "loadpy", "rerun", "recall", "macro", "edit", "paste",
               "cpaste", "store", "load_ext", "reload_ext", "autoreload", "aimport",
               "writefile", "save", "logstart", "config", "reset", "reset_selective",
               "xdel", "debug", "pdb", "alias_magic", "javascript", "js", "html", "svg",
               "code_wrap"}


@dataclass
class Finding:
    lesson: str
    student: str
    cell: str      # grade_id, or "cell N" for a cell without one; "" for a whole file
    line: int      # line number inside the cell (or file), from 1; 0 for a whole file
    code: str
    reason: str
    file: str = ""        # the notebook or file, relative to the submission folder
    cell_number: int = 0  # the cell's position in the notebook, from 1; 0 if none


# --- safe text --------------------------------------------------------------------
def _escape(text: str) -> str:
    """Every character that is not printable (control, line separators, bidi
    overrides, lone surrogates) as a repr()-style escape."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _name(text: str) -> str:
    """A student id, file name or cell id: backslashes escaped too, so escapes are not
    ambiguous."""
    return _escape(str(text).replace("\\", "\\\\"))


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 4] + "...'"


# --- names and rules ----------------------------------------------------------------
class _Names:
    """Local name -> qualified name ("s" -> "sys"), for one notebook (cells share a
    namespace). Flow-insensitive: a binding anywhere counts everywhere."""

    def __init__(self, parent: _Names | None = None):
        self.names: dict[str, str] = dict(parent.names) if parent else {
            **PROTECTED, **{m: m for m in DEFAULT_MODULES}}
        self.stars: list[str] = list(parent.stars) if parent else []
        self.bound: set[str] = set(parent.bound) if parent else set()

    def learn(self, tree: ast.AST) -> None:
        assigns = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr):
                assigns.append(node)
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                self.bound.add(node.id)
            elif isinstance(node, ast.arg):
                self.bound.add(node.arg)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.names[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.names[top] = top
            elif isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                for alias in node.names:
                    if alias.name == "*":
                        self.stars.append(module)
                    else:
                        self.names[alias.asname or alias.name] = f"{module}.{alias.name}"
        for _ in range(3):  # `s = sys`, then `t = s`: a few rounds reach a fixed point
            for node in assigns:
                if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    qual = self.resolve(node.value)
                    for target in targets:
                        if isinstance(target, ast.Name) and qual and target.id not in PROTECTED:
                            self.names[target.id] = qual
                elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                    qual = self.resolve(node.value)
                    if qual:
                        self.names[node.target.id] = qual

    def resolve(self, node: ast.AST) -> str | None:
        """The qualified name an expression stands for, if it names a module or
        something in one ("sys._getframe", "<builtin>.open", "<ipython>.events")."""
        attrs = []
        while True:
            if isinstance(node, ast.Attribute):
                attrs.append(node.attr)
                node = node.value
            elif isinstance(node, ast.Call):
                called = self._call(node)
                if called is None:
                    return None
                base = called
                break
            elif isinstance(node, ast.Name):
                base = self._name(node.id)
                if base is None:
                    return None
                break
            else:
                return None
        return ".".join([base, *reversed(attrs)])

    def _name(self, name: str) -> str | None:
        if name in self.names:
            return self.names[name]
        if name == "__builtins__":
            return "builtins"
        if name == "get_ipython":
            return IPYTHON
        for module in self.stars:
            candidate = f"{module}.{name}"
            if _rule(candidate)[0]:
                return candidate
        if hasattr(builtins, name):
            return f"{BUILTIN}.{name}"
        return None

    def _call(self, node: ast.Call) -> str | None:
        func = self.resolve(node.func)
        literal = _literal(node.args[0]) if node.args else None
        if func == IPYTHON:  # get_ipython() is the shell
            return IPYTHON
        if func in (f"{BUILTIN}.__import__", "importlib.import_module", "importlib.__import__"):
            if literal is None:
                return None
            from_list = len(node.args) > 3 or any(k.arg == "fromlist" for k in node.keywords)
            return literal if func == "importlib.import_module" or from_list \
                else literal.split(".")[0]
        if func == f"{BUILTIN}.getattr" and len(node.args) >= 2:
            name, base = _literal(node.args[1]), self.resolve(node.args[0])
            return f"{base}.{name}" if base and name else None
        if func in (f"{BUILTIN}.vars",) and node.args:
            return self.resolve(node.args[0])
        if func and func.split(".")[0] == "pathlib" and func.endswith("Path"):
            return func  # Path(...): its methods are looked up by name below
        return None


def _rule(qual: str) -> tuple[str, str]:
    """(family, the qualified name shown) of the first rule matching `qual`."""
    shown = qual.replace(IPYTHON, "get_ipython()").replace(BUILTIN + ".", "")
    for pattern, family in RULES:
        if pattern.fullmatch(qual):
            return family, shown
    return "", shown


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        parts.append(_dotted(node.func) + "()")
    else:
        parts.append("(...)")
    return ".".join(reversed(parts))


def _source(node: ast.AST, limit: int = 60) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # noqa: BLE001 - deep or odd trees
        text = _dotted(node)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _outside_path(value: str, start: bool = True) -> bool:
    """An absolute path (/etc/..., ~, C:\\) or one with a `..` part."""
    if len(value) > 4096 or "\n" in value:
        return False
    if start and ABSOLUTE.match(value.strip()):
        return True
    parts = [p.strip() for p in re.split(r"[/\\]", value)]
    return ".." in parts and (len(parts) > 1 or start)


# --- IPython syntax -----------------------------------------------------------------
_transformer = None


def _ipython(source: str) -> str:
    """The Python IPython would run for a cell: %magic, !shell, ?help made into calls."""
    global _transformer
    if _transformer is None:
        try:
            from IPython.core.inputtransformer2 import TransformerManager
        except ImportError:  # pragma: no cover - IPython is a course dependency
            _transformer = False
        else:
            _transformer = TransformerManager()
    if _transformer is False:  # pragma: no cover
        return "\n".join(
            f"get_ipython().system({line.strip()[1:]!r})" if line.lstrip().startswith("!")
            else f"get_ipython().run_line_magic({line.strip()[1:]!r}, '')"
            if line.lstrip().startswith("%") else line for line in source.split("\n"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _transformer.transform_cell(source)


def _line_map(original: list[str], transformed: list[str]):
    """transformed line number -> original line number (a `\\` continuation of a
    shell line makes two lines one)."""
    if len(original) == len(transformed):
        return lambda n: n
    mapping: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, original, transformed, autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            mapping[j + 1] = i1 + min(j - j1, max(i2 - i1 - 1, 0)) + 1
    return lambda n: mapping.get(n, min(max(n, 1), max(len(original), 1)))


def _lines(source: str) -> list[str]:
    return source.split("\n")


def _normalise(source: str) -> str:
    return source.replace("\r\n", "\n").replace("\r", "\n")


# --- the scan of one piece of code ----------------------------------------------------
Hit = tuple[int, str, str]  # (line, family, the name or detail shown)


def _parse(source: str) -> tuple[ast.AST | None, str, str | None]:
    """(tree, the Python that was parsed, why it does not parse). Trees are shared
    between identical cells (the same given cells are in every submission): never
    changed."""
    return _parse_cached(source) if len(source) <= 100_000 else _parse_once(source)


@functools.lru_cache(maxsize=4096)
def _parse_cached(source: str) -> tuple[ast.AST | None, str, str | None]:
    return _parse_once(source)


def _parse_once(source: str) -> tuple[ast.AST | None, str, str | None]:
    try:
        python = _ipython(source)
    except Exception as error:  # noqa: BLE001 - IPython on hostile input
        python, why = source, f"IPython could not read it ({type(error).__name__})"
        try:
            return ast.parse(python), python, None
        except Exception:  # noqa: BLE001
            return None, python, why
    try:
        return ast.parse(python), python, None
    except SyntaxError as error:
        where = f" (line {error.lineno})" if error.lineno else ""
        return None, python, f"{error.msg}{where}"
    except RecursionError:
        return None, python, "nested too deeply to read"
    except (MemoryError, ValueError, OverflowError) as error:
        return None, python, f"{type(error).__name__}"


class _Scanner:
    def __init__(self, names: _Names, depth: int):
        self.names, self.depth = names, depth
        self.hits: list[Hit] = []
        self.skip: set[int] = set()   # id() of nodes already accounted for

    def hit(self, node: ast.AST, family: str, detail: str = "") -> None:
        self.hits.append((getattr(node, "lineno", 1) or 1, family, detail))

    def run(self, tree: ast.AST) -> list[Hit]:
        for node in ast.walk(tree):  # breadth first: a parent before its children
            if id(node) in self.skip:
                continue
            method = getattr(self, f"visit_{type(node).__name__}", None)
            if method:
                method(node)
        return self.hits

    # names and attributes
    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load) and HISTORY_NAMES.fullmatch(node.id) \
                and node.id not in self.names.bound:
            self.hit(node, HISTORY, node.id)
        if not isinstance(node.ctx, ast.Load):
            if node.id in PROTECTED:
                self.hit(node, "", f"rebinds the name {node.id}")
            elif node.id == "__builtins__":
                self.hit(node, BUILTINS, "__builtins__")
            return
        qual = self.names.resolve(node)
        family, shown = _rule(qual) if qual else ("", "")
        if family:
            self.hit(node, family, shown)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        qual = self.names.resolve(node)
        family, shown = _rule(qual) if qual else ("", "")
        if family:
            self.hit(node, family, shown)
            inner = node.value  # `threading.settrace`: not `threading` again
            while isinstance(inner, ast.Attribute | ast.Name):
                self.skip.add(id(inner))
                inner = getattr(inner, "value", None)
            return
        attr_family = ATTRIBUTES.get(node.attr)
        if attr_family and attr_family not in DISTINCT and qual \
                and qual.split(".")[0] not in FILE_MODULES:
            attr_family = None  # `platform.system` is not `os.system`
        if node.attr == "register" and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "events":
            attr_family = IPY
        if attr_family:
            self.hit(node, attr_family, f".{node.attr}")
        elif isinstance(node.ctx, ast.Store) and node.attr.startswith("__") \
                and node.attr.endswith("__"):
            root = self.names.resolve(node.value) or ""
            if root.split(".")[0] not in PROTECTED_TOPS:  # that one is a write, below
                self.hit(node, BACK_DOOR, f"sets .{node.attr}")

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str | bytes) \
                and isinstance(node.slice, ast.Slice) and node.slice.step is not None:
            self.hit(node, OBFUSCATION, "a reversed or strided string literal")

    # literals
    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        for index, part in enumerate(node.values):
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                self.skip.add(id(part))
                self._text(part, part.value, start=index == 0)

    def visit_Constant(self, node: ast.Constant) -> None:
        self._text(node, node.value, start=True)

    def _text(self, node: ast.AST, value, start: bool) -> None:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if not isinstance(value, str) or not value:
            return
        if _outside_path(value, start):
            self.hit(node, OUTSIDE, _short(value))
        if value.strip() in STRING_NAMES:
            self.hit(node, BACK_DOOR if value.strip() not in ATTRIBUTES
                     else ATTRIBUTES[value.strip()], f"the string {_short(value)}")
        if GRADING_WORDS.search(value):
            self.hit(node, GRADING_TEXT, _short(value))

    # imports
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._imported(node, alias.name, alias.asname)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                if module.split(".")[0] in RULE_TOPS:
                    self.hit(node, OBFUSCATION, f"from {module} import * (hides what is used)")
                continue
            qual = f"{module}.{alias.name}"
            self._imported(node, qual, alias.asname or alias.name)
            if not _rule(qual)[0] and alias.name in ATTRIBUTES:
                self.hit(node, ATTRIBUTES[alias.name], qual)

    def _imported(self, node: ast.AST, qual: str, bound: str | None) -> None:
        family, shown = _rule(qual)
        if family and qual not in ("importlib", "importlib.import_module"):
            self.hit(node, family, f"import {shown}")
        if bound in PROTECTED and qual != PROTECTED[bound]:
            self.hit(node, "", f"rebinds the name {bound} (to {qual})")

    # definitions
    def visit_FunctionDef(self, node) -> None:
        if node.name in PROTECTED:
            self.hit(node, "", f"rebinds the name {node.name}")
        if node.name == "__del__":
            self.hit(node, FINALIZER, "def __del__")

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.name in PROTECTED:
            self.hit(node, "", f"rebinds the name {node.name}")
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) \
                    and item.name in VALUE_DUNDERS:
                self.hit(item, FAKE_VALUE, f"def {item.name} in class {node.name}")
            elif isinstance(item, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id in VALUE_DUNDERS for t in item.targets):
                self.hit(item, FAKE_VALUE, f"class {node.name} sets a comparison")
        if node.keywords:
            self.hit(node, BACK_DOOR, f"class {node.name} with a metaclass or keywords")

    # writes
    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._target(target, node, "reassigns", node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._target(node.target, node, "reassigns", None)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._target(node.target, node, "reassigns", node.value)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._target(target, node, "deletes", None)

    def _target(self, target: ast.AST, node: ast.AST, verb: str, value) -> None:
        if isinstance(target, ast.Tuple | ast.List | ast.Starred):
            for element in (target.elts if not isinstance(target, ast.Starred)
                            else [target.value]):
                self._target(element, node, verb, None)
            return
        if isinstance(target, ast.Name):
            if target.id in PROTECTED and value is not None \
                    and self.names.resolve(value) == PROTECTED[target.id]:
                self.skip.add(id(target))  # np = numpy: no change
            return
        if not isinstance(target, ast.Attribute | ast.Subscript):
            return
        root = target
        while isinstance(root, ast.Attribute | ast.Subscript):
            root = root.value
        if isinstance(root, ast.Call):  # vars(np)["x"] = ...
            qual = self.names.resolve(root.args[0]) if root.args else None
        else:
            qual = self.names.resolve(root)
        if not qual:
            return
        top = qual.split(".")[0]
        local = _dotted(root) if not isinstance(root, ast.Call) else _dotted(root.args[0]) \
            if root.args else "?"
        if top in PROTECTED_TOPS:
            if isinstance(target, ast.Subscript) and target.value is root \
                    and isinstance(root, ast.Name):
                return  # `x[0] = 1` where x happens to share a module's name
            shown = local if qual in (local, PROTECTED.get(local)) else f"{local} ({qual})"
            self.hit(node, "", f"{verb} an attribute of {shown}")
        elif top == "builtins":
            self.hit(node, BUILTINS, f"{verb} {_source(target)}")
        elif isinstance(target, ast.Attribute) and not qual.startswith(BUILTIN) \
                and isinstance(root, ast.Name) and root.id in self.names.names:
            full = self.names.resolve(target)
            if full and not _rule(full)[0] and target.attr not in ATTRIBUTES:
                self.hit(node, "", f"{verb} {full}: changes a module for every later cell")

    # calls
    def visit_Call(self, node: ast.Call) -> None:
        func = self.names.resolve(node.func)
        if self._magic(node):
            return
        first = node.args[0] if node.args else None
        literal = _literal(first) if first is not None else None
        if func in (f"{BUILTIN}.exec", f"{BUILTIN}.eval", f"{BUILTIN}.compile") and literal \
                is not None and self.depth < MAX_DEPTH:
            self.skip.update((id(node.func), id(first)))
            self._inner(literal, first.lineno, f"in {func.split('.')[-1]}(...)",
                        last_line=getattr(first, "end_lineno", None) or first.lineno)
            return
        if func in (f"{BUILTIN}.__import__", "importlib.import_module") and literal is not None:
            self.skip.update((id(node.func), id(first)))  # the module it names counts
            if isinstance(node.func, ast.Attribute):
                self.skip.add(id(node.func.value))
            family = _rule(literal)[0]
            if family:
                self.hit(node, family, f"import of {literal!r}")
            return
        name = func.split(".", 1)[1] if func and func.startswith(BUILTIN + ".") else None
        if name in ("getattr", "setattr", "delattr", "hasattr") and len(node.args) >= 2:
            attr = _literal(node.args[1])
            if attr is None:
                self.hit(node, OBFUSCATION, f"{name} with a computed name")
                return
            self.skip.add(id(node.args[1]))
            base = self.names.resolve(node.args[0])
            if base and base.split(".")[0] in PROTECTED_TOPS and name in ("setattr", "delattr"):
                self.hit(node, "", f"{name} on numpy/grader/course ({_dotted(node.args[0])})")
            if base:
                family, shown = _rule(f"{base}.{attr}")
                if family:
                    self.hit(node, family, shown)
                    return
            if attr in ATTRIBUTES:
                self.hit(node, ATTRIBUTES[attr], f"{name}(..., {attr!r})")
        if func and func.startswith("pathlib.") and func.endswith("Path") and literal \
                and _outside_path(literal):
            self.hit(node, FILES, f"Path({_short(literal)})")

    def _magic(self, node: ast.Call) -> bool:
        """get_ipython().run_line_magic/run_cell_magic/system/getoutput with literal
        arguments: what a %magic or !shell line became. True if it was one."""
        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call)
                and isinstance(func.value.func, ast.Name) and func.value.func.id == "get_ipython"
                and not func.value.args and not node.keywords
                and all(_literal(a) is not None for a in node.args)):
            return False
        args = [_literal(a) for a in node.args]
        kind = func.attr
        if kind not in ("run_line_magic", "run_cell_magic", "system", "getoutput",
                        "show_usage"):
            return False
        self.skip.update(id(n) for n in (func, func.value, func.value.func, *node.args))
        if kind == "show_usage":
            return True
        if kind in ("system", "getoutput"):
            self.hit(node, SHELL, f"!{args[0]}" if args else "!")
            return True
        if kind == "run_line_magic" and len(args) == 2:
            name, line = args
            if name in SAFE_LINE_MAGICS:
                return True
            if name in PYTHON_LINE_MAGICS:
                self._inner(_strip_magic_options(line), node.lineno, f"in %{name}")
                return True
            self.hit(node, *_magic_rule(name, "%"))
            return True
        if kind == "run_cell_magic" and len(args) == 3:
            name, line, body = args
            if name in PYTHON_CELL_MAGICS:
                self._inner(body, node.lineno + 1, f"in %%{name}")
                return True
            if name in DISPLAY_CELL_MAGICS:
                return True
            self.hit(node, *_magic_rule(name, "%%", line))
            runs_python = name in ("python", "python2", "python3", "pypy") or (
                name == "script" and "python" in line) or (
                name in ("writefile", "file") and line.strip().endswith(".py"))
            if runs_python:
                self._inner(body, node.lineno + 1, f"in %%{name}")
            return True
        self.hit(node, IPY, f"get_ipython().{kind}")
        return True

    def _inner(self, code: str, first_line: int, where: str,
               last_line: int | None = None) -> None:
        """Scan code given as a string (exec, a cell magic's body); its line 1 is
        `first_line` of this code (and no line is past `last_line`)."""
        if self.depth >= MAX_DEPTH:
            self.hits.append((first_line, OBFUSCATION, f"code nested too deep {where}"))
            return
        for line, family, detail in _scan(code, self.names, self.depth + 1):
            number = first_line + line - 1
            if last_line is not None:
                number = min(number, last_line)
            self.hits.append((number, family, f"{detail} {where}".strip()))


def _magic_rule(name: str, prefix: str, line: str = "") -> tuple[str, str]:
    shown = f"{prefix}{name}" + (f" {line}" if line else "")
    if name in SHELL_MAGICS or name.lstrip("%") in SHELL_MAGICS:
        return SHELL + " or other code", shown
    if name in CODE_MAGICS:
        return "runs or loads other code, or changes the session", shown
    return "an unusual magic (check what it does)", shown


def _strip_magic_options(line: str) -> str:
    """`%timeit -n 10 -r 3 f(x)` -> `f(x)`."""
    return re.sub(r"^\s*(-[a-zA-Z](\s*\d+)?\s+)*", "", line)


_UNPARSED_WORDS = None


def _unparsed_words() -> re.Pattern:
    """Names worth pointing at in a cell that does not parse."""
    global _UNPARSED_WORDS
    if _UNPARSED_WORDS is None:
        words = {name for name, family in ATTRIBUTES.items()
                 if family in (FRAME, IPY, HOOK, CODE_OBJECT, BUILTINS, GC)}
        words |= RULE_TOPS - {"sh", "http", "site", "code", "imp", "signal", "resource",
                              "sched", "mock", "glob", "dbm", "ssl", "pty", "IPython"}
        words |= {"exec", "eval", "compile", "__import__", "getattr", "setattr", "open",
                  "get_ipython", "__builtins__", "chr"}
        _UNPARSED_WORDS = re.compile(
            r"(?<![\w.])(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True))
            + r")\b|\b((?:np|numpy|grader|course)\.[\w.]+\s*=(?!=))")
    return _UNPARSED_WORDS


def _scan(source: str, names: _Names, depth: int = 0) -> list[Hit]:
    """Hits in `source`, numbered by its own lines."""
    source = _normalise(source)
    if len(source) > MAX_CELL_CHARS:
        return [(1, "", f"too big to scan ({len(source)} characters): read it by hand")]
    tree, python, why = _parse(source)
    original = _lines(source.rstrip())
    stripped = source.lstrip("\n \t")
    if stripped.startswith("%%"):  # one call on one line; its body keeps its own lines
        skipped = source[:len(source) - len(stripped)].count("\n")
        remap = lambda n: n + skipped  # noqa: E731
    else:
        remap = _line_map(original, _lines(python.rstrip()))
    if tree is None:
        hits = [(remap(_syntax_line(why)), "", f"does not parse: {why}")]
        for number, line in enumerate(_lines(source), 1):
            match = _unparsed_words().search(line)
            if match:
                hits.append((number, "", f"mentions {match.group(0).strip()} (in code that "
                                         "does not parse)"))
        return hits
    local = _Names(names)
    local.learn(tree)
    hits = _Scanner(local, depth).run(tree)
    return [(remap(line), family, detail) for line, family, detail in hits]


def _syntax_line(why: str) -> int:
    match = re.search(r"\(line (\d+)\)$", why)
    return int(match.group(1)) if match else 1


def _reason(family: str, detail: str) -> str:
    if not family:
        return detail
    return f"{detail}: {family}" if detail else family


def _dedupe(hits: list[Hit]) -> list[tuple[int, str]]:
    """One finding per line and family (`subprocess.run` and `subprocess` are one)."""
    seen: dict[tuple[int, str], str] = {}
    for line, family, detail in hits:
        key = (line, family or detail)
        if key not in seen or seen[key].startswith(".") and not detail.startswith("."):
            seen[key] = _reason(family, detail)  # `sys._getframe` says more than `.f_back`
    return sorted((line, reason) for (line, _), reason in seen.items())


def _code_line(lines: list[str], number: int) -> str:
    text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return text if len(text) <= CODE_CHARS else text[:CODE_CHARS - 3] + "..."


def scan_source(source: str, names: _Names | None = None) -> list[tuple[int, str, str]]:
    """(line, code, reason) for every suspicious line of one cell's source (IPython
    syntax allowed). `names`: the notebook's imports, if known."""
    source = _normalise(source if isinstance(source, str) else str(source))
    lines = _lines(source)
    hits = _dedupe(_scan(source, names or _Names()))
    return [(n, _code_line(lines, n), reason) for n, reason in hits]


# --- notebooks ------------------------------------------------------------------------
class Unreadable(Exception):
    """A notebook that cannot be scanned; the message says why."""


def _cells(nb) -> list:
    """The cells of a v4 notebook, or of an old (v3) one's worksheets."""
    if not isinstance(nb, dict):
        raise Unreadable(f"the file holds a JSON {type(nb).__name__}, not a notebook")
    if "cells" in nb:
        cells = nb["cells"]
        if not isinstance(cells, list):
            raise Unreadable(f"'cells' is a {type(cells).__name__}, not a list")
        return cells
    worksheets = nb.get("worksheets")
    if isinstance(worksheets, list):
        cells = []
        for sheet in worksheets:
            if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
                cells.extend(sheet["cells"])
        return cells
    raise Unreadable("no 'cells' list: not a notebook")


def _cell_source(cell: dict) -> tuple[str | None, str | None]:
    """(source text, what is wrong with it)."""
    key = "source" if "source" in cell or "input" not in cell else "input"  # v3: input
    if key not in cell:
        return None, "it has no source"
    source = cell[key]
    if isinstance(source, str):
        return source, None
    if isinstance(source, list):
        if all(isinstance(part, str) for part in source):
            return "".join(source), None
        return "".join(p if isinstance(p, str) else "" for p in source), \
            "its source list holds something other than text"
    return None, f"its source is a {type(source).__name__}, not text"


def _nbgrader(cell: dict) -> tuple[dict, str | None]:
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        return {}, f"its metadata is a {type(metadata).__name__}, not a dict"
    meta = metadata.get("nbgrader", {})  # not notebooks.nbgrader_meta: a submission's may be anything
    if meta is None or not isinstance(meta, dict):
        return {}, f"its metadata.nbgrader is {_type(meta)}, not a dict"
    return meta, None


def _type(value) -> str:
    return "null" if value is None else f"a {type(value).__name__}"


def _grade_id(meta: dict) -> str:
    value = meta.get("grade_id")
    return value if isinstance(value, str) else "" if value is None else repr(value)


def _given(meta: dict, given_ids: set[str] | None) -> bool:
    """The course's own code, which nbgrader puts back before grading: skipped."""
    if meta.get("solution") is True:
        return False
    if given_ids is not None:
        return bool(_grade_id(meta)) and _grade_id(meta) in given_ids
    return bool(meta.get("locked") or meta.get("grade"))


def scan_notebook(nb, lesson: str, student: str, given_ids: set[str] | None = None,
                  file: str = "") -> list[Finding]:
    """Findings in the learner cells of one notebook (a dict or NotebookNode).

    `given_ids`: grade_ids of the released lesson's read-only and check cells, which
    are skipped; None (lesson unknown): skip every cell marked locked or grade."""
    try:
        cells = _cells(nb)
    except Unreadable as why:
        return [Finding(lesson, student, "", 0, "", f"could not read: {why}", file)]
    findings: list[Finding] = []
    parsed: list[tuple[int, dict, dict, str]] = []
    names = _Names()
    for index, cell in enumerate(cells):
        number = index + 1
        if not isinstance(cell, dict):
            findings.append(Finding(lesson, student, f"cell {number}", 0, "",
                                    f"malformed cell: it is {_type(cell)}, not a dict",
                                    file, number))
            continue
        if cell.get("cell_type") != "code":
            continue
        if len(parsed) >= MAX_CELLS:
            findings.append(Finding(lesson, student, f"cell {number}", 0, "",
                                    f"more than {MAX_CELLS} learner cells: the rest was not "
                                    "scanned, read them by hand", file, number))
            break
        meta, bad_meta = _nbgrader(cell)
        source, bad_source = _cell_source(cell)
        where = _grade_id(meta) or f"cell {number}"
        for problem in (bad_meta, bad_source):
            if problem:
                findings.append(Finding(lesson, student, where, 0, "",
                                        f"malformed cell: {problem}", file, number))
        if source is None:
            continue
        source = _normalise(source)
        tree = None
        if len(source) <= MAX_CELL_CHARS:
            try:
                tree, _, _ = _parse(source)
            except Exception:  # noqa: BLE001 - never let one cell stop the scan
                tree = None
        if tree is not None:  # every cell's imports count, given cells' too
            try:
                names.learn(tree)
            except RecursionError:
                pass
        if not _given(meta, given_ids):
            parsed.append((number, meta, cell, source))
    for number, meta, _, source in parsed:
        where = _grade_id(meta) or f"cell {number}"
        lines = _lines(source)
        try:
            hits = _dedupe(_scan(source, names))
        except RecursionError:
            hits = [(1, "does not parse: nested too deeply to read")]
        except Exception as error:  # noqa: BLE001 - report, never crash the scan
            hits = [(1, f"could not be scanned ({type(error).__name__}): read it by hand")]
        for line, reason in hits:
            findings.append(Finding(lesson, student, where, line, _code_line(lines, line),
                                    reason, file, number))
    return findings


def read_notebook(path: Path, limit: int | None = None):
    """The JSON of a notebook file, read without following a symlink, without opening a
    fifo or device, up to `limit` bytes. Raises Unreadable with the reason."""
    limit = MAX_NOTEBOOK_BYTES if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise Unreadable(f"a symlink to {_short(os.readlink(path))}, not followed")
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable("a folder, not a notebook file")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file")
        fd = os.open(path, flags)
    except OSError as error:
        raise Unreadable(f"{type(error).__name__}: {error.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"{info.st_size / 2**20:.1f} MB, more than the "
                             f"{limit / 2**20:.0f} MB this scan reads")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Unreadable(f"more than the {limit / 2**20:.0f} MB this scan reads")
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if not data.strip():
        raise Unreadable("an empty file" + (" (0 bytes)" if not data else ""))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(f"not UTF-8 text (byte {error.start})") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise Unreadable("not JSON (nested too deeply)") from None
    except ValueError as error:
        raise Unreadable(f"not JSON ({str(error)[:120]})") from None


# --- submission folders ------------------------------------------------------------------
@dataclass
class _Lesson:
    notebooks: set[str]            # the released notebooks' file names
    files: set[str]                # other released or source files (nbgrader overwrites)
    given_ids: set[str] | None     # grade_ids of read-only and check cells
    invited: set[str]              # .py files the lesson asks for (my_lesson6.py)


def _released(course: Path, lesson: str) -> _Lesson:
    """What the course released for a lesson: from lessons/ (this course's release
    folder), release/, solutions/ or source/, whichever has it."""
    notebooks: set[str] = set()
    files: set[str] = set()
    given: set[str] | None = None
    text: list[str] = []
    for folder in ("lessons", "release", "solutions", "source"):
        root = course / folder / lesson
        try:
            if not root.is_dir() or root.is_symlink():
                continue
            entries = sorted(os.scandir(root), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".ipynb") and entry.is_file(follow_symlinks=False):
                notebooks.add(entry.name)
                try:
                    nb = read_notebook(Path(entry.path))
                    cells = _cells(nb)
                except Unreadable:
                    continue
                given = given if given is not None else set()
                for cell in cells:
                    if not isinstance(cell, dict):
                        continue
                    meta, _ = _nbgrader(cell)
                    source, _ = _cell_source(cell)
                    text.append(source or "")
                    if meta and not meta.get("solution") and (meta.get("locked")
                                                              or meta.get("grade")):
                        given.add(_grade_id(meta))
            elif entry.is_file(follow_symlinks=False):
                files.add(entry.name)
    invited = {name for name in re.findall(r"`([A-Za-z_]\w*\.py)`", "\n".join(text))
               if not _shadows(name[:-3])}
    return _Lesson(notebooks, files, given, invited)


def _shadows(module: str) -> bool:
    """Whether `import module` would find something real that a file could replace."""
    if module in PROTECTED_TOPS or module in sys.stdlib_module_names or module in (
            "sitecustomize", "usercustomize") or module in RULE_TOPS:
        return True
    if not module.isidentifier():
        return False  # no `import` statement can name it
    try:
        import importlib.util

        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return True


CODE_SUFFIXES = (".so", ".pyd", ".pyc", ".pyo", ".pyz", ".egg", ".whl", ".zip", ".dll",
                 ".dylib")


def _file_reason(name: str, relative: str, is_dir: bool) -> str:
    stem = name.split(".")[0]
    if is_dir:
        if _shadows(name):
            return (f"a folder {_short(relative + '/')} beside the notebook: `import {name}` "
                    "would load it instead of the real one")
        return f"an extra folder {_short(relative + '/')}"
    if name in ("sitecustomize.py", "usercustomize.py"):
        return f"{_short(relative)} runs when Python starts (if it is on the path)"
    if name.endswith(".pth"):
        return f"a .pth file {_short(relative)}: runs code when Python starts in a site folder"
    if name.endswith(".py"):
        if _shadows(stem):
            return (f"a Python file {_short(relative)}: `import {stem}` would load it "
                    "instead of the real one")
        return f"a Python file {_short(relative)}: `import {stem}` runs it (code below)"
    if name.endswith(CODE_SUFFIXES):
        return f"compiled or packed code {_short(relative)}"
    if name.endswith(".ipynb"):
        return f"another notebook {_short(relative)}, not graded (its code is below)"
    return f"an extra file {_short(relative)}"


def scan_folder(folder: Path, lesson: str, student: str, released: _Lesson) -> list[Finding]:
    """Findings for one submission folder: its notebooks, and every other file in it.
    Nothing is followed or opened but regular files (never through a symlink)."""
    findings: list[Finding] = []
    python_files: list[tuple[str, Path]] = []
    allowed_notebooks = released.notebooks or {f"{lesson}.ipynb"}
    budget = [MAX_FILES]

    def note(relative: str, reason: str) -> None:
        findings.append(Finding(lesson, student, "", 0, "", reason, relative))

    def entries(path: Path, relative: str) -> list[tuple[os.DirEntry, str, str]]:
        """(entry, its path relative to the folder, its kind), symlinks not followed."""
        try:
            listed = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as error:
            note(relative or ".", f"could not list: {error.strerror}")
            return []
        out = []
        for entry in listed:
            budget[0] -= 1
            if budget[0] < 0:
                if budget[0] == -1:
                    note(relative or ".", f"more than {MAX_FILES} files: listing stopped")
                break
            name = f"{relative}/{entry.name}" if relative else entry.name
            try:
                if entry.is_symlink():
                    try:
                        target = _short(os.readlink(entry.path))
                    except OSError:
                        target = "?"
                    note(name, f"a symlink to {target} (not followed)")
                    continue
                kind = ("dir" if entry.is_dir(follow_symlinks=False) else
                        "file" if entry.is_file(follow_symlinks=False) else "other")
            except OSError as error:
                note(name, f"could not read: {error.strerror}")
                continue
            if kind == "other":
                note(name, "not a regular file (a fifo, socket or device)")
                continue
            out.append((entry, name, kind))
        return out

    def inside(path: Path, relative: str, checkpoints: bool) -> None:
        """A folder's contents: in .ipynb_checkpoints only odd entries are reported;
        elsewhere Python files are scanned and start-up files reported."""
        stack = [(path, relative)]
        while stack:
            here, prefix = stack.pop()
            for entry, name, kind in entries(here, prefix):
                if kind == "dir":
                    stack.append((Path(entry.path), name))
                elif not checkpoints:
                    if entry.name.endswith(".py"):
                        python_files.append((name, Path(entry.path)))
                    if entry.name in ("sitecustomize.py", "usercustomize.py") \
                            or entry.name.endswith((".pth", *CODE_SUFFIXES)):
                        note(name, _file_reason(entry.name, name, False))

    for entry, name, kind in entries(folder, ""):
        if entry.name == ".ipynb_checkpoints" and kind == "dir":
            inside(Path(entry.path), name, checkpoints=True)
        elif entry.name.endswith(".ipynb"):
            if kind == "dir":
                note(name, "could not read: a folder, not a notebook file")
                continue
            if entry.name not in allowed_notebooks:
                note(name, _file_reason(entry.name, name, False))
            findings.extend(_notebook_findings(Path(entry.path), lesson, student, released,
                                               name))
        elif kind == "file" and (entry.name == "timestamp.txt"
                                 or entry.name in released.files):
            continue  # nbgrader's, or replaced by the instructor's copy before grading
        elif kind == "dir":
            note(name, _file_reason(entry.name, name, True))
            inside(Path(entry.path), name, checkpoints=False)
        else:
            if entry.name not in released.invited:
                note(name, _file_reason(entry.name, name, False))
            if entry.name.endswith(".py"):
                python_files.append((name, Path(entry.path)))
    for relative, path in python_files:
        findings.extend(_python_file_findings(path, lesson, student, relative))
    return findings


def _notebook_findings(path: Path, lesson: str, student: str, released: _Lesson,
                       relative: str) -> list[Finding]:
    try:
        nb = read_notebook(path)
    except Unreadable as why:
        return [Finding(lesson, student, "", 0, "", f"could not read: {why}", relative)]
    try:
        return scan_notebook(nb, lesson, student, released.given_ids, relative)
    except Exception as error:  # noqa: BLE001 - one notebook never stops the scan
        return [Finding(lesson, student, "", 0, "",
                        f"could not read: {type(error).__name__} while scanning", relative)]


def _python_file_findings(path: Path, lesson: str, student: str,
                          relative: str) -> list[Finding]:
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return []
            data = os.read(fd, MAX_CELL_CHARS + 1)
        finally:
            os.close(fd)
        source = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [Finding(lesson, student, relative, 0, "",
                        f"could not read: {type(error).__name__}", relative)]
    lines = _lines(_normalise(source))
    try:
        hits = _dedupe(_scan(source, _Names()))
    except Exception as error:  # noqa: BLE001
        hits = [(1, f"could not be scanned ({type(error).__name__}): read it by hand")]
    return [Finding(lesson, student, relative, line, _code_line(lines, line), reason, relative)
            for line, reason in hits]


def _folders(root: Path, problems: list[str] | None = None) -> list[os.DirEntry]:
    try:
        return sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as error:
        if problems is not None:
            problems.append(f"could not list: {error.strerror}")
        return []


def _link_or_file(entry: os.DirEntry, what: str) -> str:
    if entry.is_symlink():
        try:
            return f"a symlink to {_short(os.readlink(entry.path))} (not followed)"
        except OSError:
            return "a symlink (not followed)"
    return f"a file, not {what}"


def report(course: Path, lessons: list[str] | None = None) -> list[Finding]:
    """Findings for every submission of `lessons` (default: all) in `course`."""
    findings: list[Finding] = []
    submitted = Path(course) / "submitted"
    if not submitted.is_dir():
        return findings
    released: dict[str, _Lesson] = {}
    for student in _folders(submitted):
        if student.is_symlink() or not student.is_dir(follow_symlinks=False):
            if not lessons:
                findings.append(Finding("", student.name, "", 0, "", _link_or_file(
                    student, "a student folder"), student.name))
            continue
        problems: list[str] = []
        unsafe = student_id_problem(student.name)
        for entry in _folders(Path(student.path), problems):
            lesson = entry.name
            if lessons and lesson not in lessons:
                continue
            if unsafe:
                findings.append(Finding(lesson, student.name, "", 0, "", (
                    f"unsafe student id ({unsafe}): grading skips it, but Formgrader lists "
                    "submitted/ folders and shows some pages of a student unescaped; move "
                    "the folder out of submitted/"), ""))
            if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
                findings.append(Finding(lesson, student.name, "", 0, "", _link_or_file(
                    entry, "a submission folder"), ""))
                continue
            if lesson not in released:
                released[lesson] = _released(Path(course), lesson)
            findings.extend(scan_folder(Path(entry.path), lesson, student.name,
                                        released[lesson]))
        findings.extend(Finding("", student.name, "", 0, "", problem, "")
                        for problem in problems)
    return findings


def format_finding(f: Finding) -> str:
    """One line of the text report; every field escaped."""
    head = f"{_name(f.lesson)}  {_name(f.student)}"
    if f.file:
        head += f"  {_name(f.file)}"
    if f.cell_number:
        cell = f"cell {f.cell_number}"
        if f.cell and f.cell != cell:
            cell += f" [{_name(f.cell)}]"
        head += f"  {cell}"
    elif f.cell and f.cell != f.file:
        head += f"  {_name(f.cell)}"
    if f.line:
        head += f" line {f.line}"
    text = f"{head}: {_escape(f.reason)}"
    if f.code:
        text += f"  |  {_escape(f.code)}"
    return text


def main(course: str | None, lessons: list[str], as_json: bool) -> int:
    findings = report(Path(course or ".").resolve(), lessons or None)
    if as_json:
        print(json.dumps([asdict(f) for f in findings], indent=1, ensure_ascii=True))
        return 0
    if not findings:
        print("No learner code that could fool a check was found.")
        return 0
    submissions = len({(f.lesson, f.student) for f in findings})
    print(f"{len(findings)} finding(s) to review in {submissions} submission(s), "
          "one per line (lesson  student  file  cell  line: what  |  code):")
    for f in findings:
        print(format_finding(f))
    return 0
