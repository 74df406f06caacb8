"""grader/sandbox.py: each test starts real bwrap-sandboxed kernels and runs code in them.

Skipped when bubblewrap is missing or cannot sandbox here, except under CI=true, where
that fails. One kernel (module scope) serves the checks that leave it running; the
shutdown tests start their own.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from unittest import mock

import nbformat
import pytest
from jupyter_core.utils import ensure_event_loop
from nbclient import NotebookClient
from traitlets.config import Config

from grader import cgroups, settings
from grader.sandbox import SandboxedKernelManager, SandboxUnavailable, check_available

REPO = Path(__file__).resolve().parents[1]
VISIBLE = [str(REPO / "course"), str(REPO / "datasets")]  # what the autograder passes
MEMORY_MB = 1536  # the kernel peaks at ~850 MB of address space after numpy and pyplot

try:
    check_available()
    UNAVAILABLE = ""
except SandboxUnavailable as exc:
    UNAVAILABLE = str(exc)
needs_bwrap = pytest.mark.skipif(
    bool(UNAVAILABLE) and os.environ.get("CI") != "true",
    reason=f"bubblewrap cannot sandbox here: {UNAVAILABLE}")
# A cgroup for the whole sandbox needs root or a delegated cgroup v2 subtree.
needs_cgroup = pytest.mark.skipif(
    bool(cgroups.unavailable_reason()),
    reason=f"no cgroup can be made here, the memory cap is per process: "
           f"{cgroups.unavailable_reason()}")


def run(coro):
    """Run a coroutine on this thread's one event loop (the kernel's sockets live on it)."""
    return ensure_event_loop().run_until_complete(coro)


async def _execute(kc, code: str, timeout: float = 30) -> tuple[str, dict]:
    out: list[str] = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])

    reply = await kc.execute_interactive(textwrap.dedent(code), output_hook=hook,
                                         timeout=timeout)
    return "".join(out), reply["content"]


def execute(kc, code: str, timeout: float = 30) -> str:
    """Run code; its stdout. A failing cell fails the test."""
    out, content = run(_execute(kc, code, timeout))
    assert content["status"] == "ok", (content.get("ename"), content.get("evalue"), out)
    return out


def probe(kc, code: str):
    """Run code that ends by setting `result`; that result, through JSON."""
    code = textwrap.dedent(code) + "\nimport json; print(json.dumps(result))"
    return json.loads(execute(kc, code))


def start(**traits) -> tuple[SandboxedKernelManager, object]:
    if UNAVAILABLE:
        pytest.fail(UNAVAILABLE)
    km = SandboxedKernelManager(kernel_name="python3", **traits)
    run(km.start_kernel())
    kc = km.client()
    kc.start_channels()
    run(kc.wait_for_ready(timeout=60))
    return km, kc


def stop(km, kc, now: bool = False) -> None:
    kc.stop_channels()
    run(km.shutdown_kernel(now=now))


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory) -> Path:
    """A course directory as nbgrader lays it out; the submission is alice's ps1."""
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / settings.GRADEBOOK).write_text("GRADES")
    (root / "solutions").mkdir()
    (root / "solutions" / "ps1.ipynb").write_text("SOLUTION")
    for student in ("alice", "other_student"):
        (root / "submitted" / student / "ps1").mkdir(parents=True)
        (root / "submitted" / student / "ps1" / "ps1.ipynb").write_text(f"{student}'s work")
    alice = root / "submitted" / "alice" / "ps1"
    (alice / "data.txt").write_text("original")
    # Links in a submission are copied as links, so these lead nowhere in the sandbox.
    (alice / "solutions").symlink_to("../../../solutions")
    (alice / "grades").symlink_to(root / settings.GRADEBOOK)
    return root


@pytest.fixture(scope="module")
def kernel(course_dir):
    """One sandboxed kernel for alice's submission, with a leaked host variable to hide."""
    with mock.patch.dict(os.environ, {"SANDBOX_TEST_SECRET": "hunter2"}):
        km, kc = start(submission_dir=str(course_dir / "submitted" / "alice" / "ps1"),
                       memory_limit_mb=MEMORY_MB, visible_paths=VISIBLE)
    yield km, kc
    stop(km, kc)


def on_the_way_to_bound_paths(folder: Path) -> set[str]:
    """Names in `folder` that lead to the environment or a visible path."""
    bound = [Path(p) for p in (sys.prefix, sys.base_prefix, *VISIBLE)]
    return {p.relative_to(folder).parts[0] for p in bound if folder in p.parents}


def host_processes_with(marker: str) -> list[int]:
    """PIDs of the host's processes with `marker` in their argv."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
        except OSError:
            pass  # gone meanwhile
    return pids


def wait_for(condition, timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


# A double-forked child in its own session that the kernel does not wait for; the marker
# in its argv finds it in the process tables. The cell returns once the child runs.
SPAWN_ORPHAN = """
import glob, os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c",
                 "import time\\nwhile True: time.sleep(0.1)", "{marker}"])
    os._exit(0)
os.wait()
def running():
    for path in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            if b"{marker}" in open(path, "rb").read():
                return True
        except OSError:
            pass
while not running():
    time.sleep(0.05)
print(os.getcwd())
"""


def test_check_available_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on it
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap"):
        check_available()


def test_bwrap_is_available():
    """Under CI=true a machine without a working bwrap fails here instead of skipping."""
    if UNAVAILABLE and os.environ.get("CI") != "true":
        pytest.skip(UNAVAILABLE)
    assert not UNAVAILABLE, UNAVAILABLE


@needs_bwrap
def test_kernel_runs_under_bwrap_over_unix_sockets(kernel):
    km, _ = kernel
    run_dir = Path(km.connection_file).parent
    assert km.transport == "ipc" and km.ip.startswith(f"{run_dir}/")
    assert km.kernel_spec.interrupt_mode == "message"
    argv = Path(f"/proc/{km.provisioner.pid}/cmdline").read_bytes().decode().split("\0")
    assert Path(argv[0]).name == "bwrap"
    for flag in ("--unshare-all", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in argv
    assert argv[argv.index("--cap-drop") + 1] == "ALL"


@needs_bwrap
def test_namespaces_environment_and_no_network(kernel):
    _, kc = kernel
    with socket.create_server(("127.0.0.1", 0)) as server:  # the host's loopback
        result = probe(kc, f"""
            import os, socket
            def connect(address):
                try:
                    socket.create_connection(address, timeout=3).close()
                    return "connected"
                except OSError as exc:
                    return type(exc).__name__
            status = open("/proc/self/status").read()
            result = dict(
                ppid=os.getppid(), session=os.getsid(0),
                pids=[p for p in os.listdir("/proc") if p.isdigit()],
                capabilities=status.split("CapEff:")[1].split()[0],
                interfaces=[name for _, name in socket.if_nameindex()],
                host_loopback=connect(("127.0.0.1", {server.getsockname()[1]})),
                internet=connect(("192.0.2.1", 80)),
                cwd=os.getcwd(), env=dict(os.environ))
        """)
    # Its own PID namespace: bwrap's init (1) and the kernel, none of the host's processes.
    assert result["ppid"] == 1 and len(result["pids"]) <= 3, result["pids"]
    # --new-session: a session led inside the sandbox (0 would be a leader outside it,
    # whose terminal a TIOCSTI could type into).
    assert result["session"] in (1, 2)
    assert int(result["capabilities"], 16) == 0
    assert result["interfaces"] == ["lo"]
    assert result["host_loopback"] == "ConnectionRefusedError"
    assert result["internet"] != "connected"
    env = result["env"]
    assert "SANDBOX_TEST_SECRET" not in env and "VIRTUAL_ENV" not in env
    assert env["HOME"] == result["cwd"]
    assert env["MPLBACKEND"] == "Agg" and env["MPLCONFIGDIR"].startswith(env["HOME"])
    assert env["OPENBLAS_NUM_THREADS"] == env["OMP_NUM_THREADS"] == "1"
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    # Only ours and what ipykernel sets for itself (pager and colours).
    ours = {"PATH", "HOME", "LANG", "TMPDIR", "MPLBACKEND", "MPLCONFIGDIR", "JPY_PARENT_PID",
            "PYTHONDONTWRITEBYTECODE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS", "PWD"}
    ipykernels = {"TERM", "PAGER", "GIT_PAGER", "CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR",
                  "PYDEVD_USE_FRAME_EVAL"}
    assert set(env) <= ours | ipykernels, set(env) - ours - ipykernels


@needs_bwrap
def test_sees_only_its_copy_the_environment_and_visible_paths(kernel, course_dir):
    _, kc = kernel
    alice = course_dir / "submitted" / "alice" / "ps1"
    hidden = [course_dir, course_dir / "solutions", course_dir / "solutions" / "ps1.ipynb",
              course_dir / settings.GRADEBOOK, course_dir / "nbgrader_config.py",
              course_dir / "submitted" / "other_student" / "ps1" / "ps1.ipynb", alice,
              REPO / "solutions", REPO / "grader", REPO / "nbgrader_config.py",
              REPO / "tests"]
    result = probe(kc, f"""
        import os, sys
        def reach(path):
            try:
                return sorted(os.listdir(path)) if os.path.isdir(path) else open(path).read()
            except OSError as exc:
                return type(exc).__name__
        hidden = {[str(p) for p in hidden]!r}
        result = dict(
            hidden={{p: reach(p) for p in hidden}},
            links=[reach("solutions"), reach("grades")],
            cwd=os.getcwd(), here=reach("."), up=reach(".."), up2=reach("../.."),
            repo=reach({str(REPO)!r}), home=reach({str(Path.home())!r}),
            root=reach("/"), etc=reach("/etc"))
    """)
    assert all(v == "FileNotFoundError" for v in result["hidden"].values()), result["hidden"]
    assert result["links"] == ["FileNotFoundError"] * 2  # copied as links, leading nowhere
    assert "data.txt" in result["here"]  # the submission's files, but no notebook:
    assert "ps1.ipynb" not in result["here"]  # at grading nbgrader's copy has hidden tests
    assert result["up"] == ["home", "run"]  # the private sandbox folder, nothing else
    # a private /tmp: the sandbox folder, and the way to a bound path if the course lives
    # under /tmp itself (a clone in /tmp/ci-clone: its .venv and course/ are bound)
    sandbox_tmp = Path(result["cwd"]).parent.parent
    assert set(result["up2"]) == {Path(result["cwd"]).parent.name} | (
        on_the_way_to_bound_paths(sandbox_tmp) & set(result["up2"])), result["up2"]
    assert Path(result["cwd"]).parent.name in result["up2"]
    # Folders that hold a bound path show only the way to it: the venv is in the repository
    # (and pyenv's Pythons in HOME), yet the repository's root is not bound.
    assert set(result["repo"]) <= on_the_way_to_bound_paths(REPO), result["repo"]
    if isinstance(result["home"], list):
        assert set(result["home"]) <= on_the_way_to_bound_paths(Path.home()), result["home"]
    assert set(result["root"]) <= {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32",
                                   "etc", "proc", "dev", "tmp"} | on_the_way_to_bound_paths(
                                       Path("/")), result["root"]
    assert set(result["etc"]) <= {"ld.so.cache", "localtime", "fonts"}


@needs_bwrap
def test_writes_only_into_its_private_copy_and_tmp(kernel, course_dir):
    _, kc = kernel
    alice = course_dir / "submitted" / "alice" / "ps1"
    targets = [sys.prefix, sys.base_prefix, str(Path(json.__file__).parent), *VISIBLE,
               str(Path(pytest.__file__).parent), "/usr/lib"]
    planted = f"planted-{uuid.uuid4().hex}.py"
    try:
        result = probe(kc, f"""
            import errno, os
            def write(path):
                try:
                    with open(path, "w") as f:
                        f.write("changed")
                    return "written"
                except OSError as exc:
                    return errno.errorcode[exc.errno]
            result = {{p: write(os.path.join(p, {planted!r})) for p in {targets!r}}}
            result.update(cwd=write("data.txt"), new=write("new.txt"), tmp=write("/tmp/x"))
        """)
    finally:  # a broken sandbox must not leave files in the environment or the repo
        leaked = [path for path in (Path(p) / planted for p in targets) if path.exists()]
        for path in leaked:
            path.unlink()
    assert not leaked
    for where in ("cwd", "new", "tmp"):
        assert result.pop(where) == "written"
    assert result == dict.fromkeys(targets, "EROFS")  # read-only, even for root
    assert (alice / "data.txt").read_text() == "original" and not (alice / "new.txt").exists()


@needs_bwrap
def test_imports_the_course_but_not_the_grader_and_reuses_the_font_cache(kernel):
    _, kc = kernel
    result = probe(kc, """
        import glob, os, sys
        assert "matplotlib" not in sys.modules  # this test is the first to import it
        cache = glob.glob(os.path.join(os.environ["MPLCONFIGDIR"], "fontlist-*.json"))
        before = [os.stat(path).st_mtime_ns for path in cache]
        import numpy, matplotlib, matplotlib.pyplot as plt, ipywidgets, course
        from course.data import load_dataset
        try:
            import grader
        except ModuleNotFoundError as exc:
            grader = repr(exc)
        result = dict(cache=len(cache), rebuilt=before != [os.stat(p).st_mtime_ns for p in cache],
                      backend=plt.get_backend(), pigs=sorted(load_dataset("pig_sales")),
                      grader=grader)
    """)
    assert result["cache"] >= 1 and not result["rebuilt"], result  # copied from the host
    assert result["backend"].lower() == "agg" and result["pigs"]
    assert result["grader"] == "ModuleNotFoundError(\"No module named 'grader'\")"


@needs_bwrap
def test_interrupt_stops_an_endless_loop(kernel):
    km, kc = kernel

    async def loop_and_interrupt():
        task = asyncio.ensure_future(_execute(kc, "while True: pass", timeout=20))
        await asyncio.sleep(1)
        await km.interrupt_kernel()
        return await task

    _, content = run(loop_and_interrupt())
    assert content["status"] == "error" and content["ename"] == "KeyboardInterrupt"
    assert execute(kc, "print(6 * 7)") == "42\n"


@needs_bwrap
def test_memory_cap_raises_memory_error_and_the_kernel_lives(kernel):
    _, kc = kernel
    out = execute(kc, f"""
        import numpy as np
        for allocate in (lambda: bytearray({2 * MEMORY_MB} * 2**20),
                         lambda: np.ones({MEMORY_MB} * 2**17)):
            try:
                allocate()
            except MemoryError:
                print("MemoryError")
    """)
    assert out == "MemoryError\n" * 2
    assert execute(kc, "print(6 * 7)") == "42\n"


@needs_bwrap
def test_nbclient_graceful_shutdown_ends_children_and_removes_temp_dirs(course_dir):
    """The way the autograder uses it: nbclient, traits from config, cwd from resources."""
    marker = f"orphan-{uuid.uuid4()}"
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import os, course; print(sorted(os.listdir()))"),
        nbformat.v4.new_code_cell(SPAWN_ORPHAN.format(marker=marker)),
    ])
    alice = course_dir / "submitted" / "alice" / "ps1"
    client = NotebookClient(
        nb, timeout=30, kernel_name="python3", kernel_manager_class=SandboxedKernelManager,
        resources={"metadata": {"path": str(alice)}},
        config=Config({"SandboxedKernelManager": {"visible_paths": VISIBLE}}))
    client.execute()  # and shuts the kernel down gracefully, then cleans up
    assert "data.txt" in nb.cells[0].outputs[0].text  # the copy of the submission's files
    assert "ps1.ipynb" not in nb.cells[0].outputs[0].text  # without its notebook
    sandbox_home = Path(nb.cells[1].outputs[0].text.strip())
    assert not sandbox_home.parent.exists()
    assert wait_for(lambda: not host_processes_with(marker)), "the child outlived its kernel"


@needs_bwrap
def test_kill_now_ends_children_and_removes_temp_dirs():
    km, kc = start()
    marker = f"orphan-{uuid.uuid4()}"
    top = Path(km.connection_file).parent.parent
    execute(kc, SPAWN_ORPHAN.format(marker=marker))
    assert wait_for(lambda: host_processes_with(marker)), "the child did not start"
    stop(km, kc, now=True)
    assert not top.exists()
    assert wait_for(lambda: not host_processes_with(marker)), "the child outlived its kernel"


@needs_bwrap
def test_kernel_dies_with_the_grader(tmp_path):
    """--die-with-parent: SIGKILL the process that started the kernel; the sandbox goes."""
    marker = f"orphan-{uuid.uuid4()}"
    script = tmp_path / "grade.py"  # a file: the marker must not be in the grader's argv
    script.write_text(f"""
import sys
from jupyter_core.utils import ensure_event_loop
from grader.sandbox import SandboxedKernelManager
km = SandboxedKernelManager(kernel_name="python3")
loop = ensure_event_loop()
loop.run_until_complete(km.start_kernel())
kc = km.client()
kc.start_channels()
loop.run_until_complete(kc.wait_for_ready(timeout=60))
loop.run_until_complete(kc.execute_interactive({SPAWN_ORPHAN.format(marker=marker)!r},
                                             output_hook=lambda msg: None))
print(km._sandbox_dir, flush=True)
sys.stdin.read()
""")
    grader = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=tmp_path)
    top = grader.stdout.readline().strip()
    try:
        assert Path(top, "run").is_dir() and host_processes_with(marker), top
        kernel_pids = host_processes_with(f"{top}/run/kernel.json")  # bwrap and ipykernel
        assert len(kernel_pids) >= 2
        os.kill(grader.pid, signal.SIGKILL)
        grader.wait()
        assert wait_for(lambda: not host_processes_with(marker)), "the child outlived it"
        assert wait_for(lambda: not any(Path(f"/proc/{p}").exists() for p in kernel_pids))
    finally:
        grader.kill()
        if "kernel-sandbox-" in top:  # its finalizer never ran
            shutil.rmtree(top, ignore_errors=True)



# Three children of 800 MiB each, touched: more than MEMORY_MB together, each far below it.
# Once each has said "held" or died, how many are alive holding it, and how the dead died.
FORK_MEMORY = """
import json, subprocess, sys, time
hog = "b = b'x' * (800 * 2**20); print('held', flush=True); import time; time.sleep(30)"
children = [subprocess.Popen([sys.executable, "-c", hog], stdout=subprocess.PIPE, text=True)
            for _ in range(3)]
said = [c.stdout.readline() for c in children]  # "held\\n", or "" once killed
time.sleep(1)  # a killed child's pipe closes before it is a zombie that poll() sees
codes = [c.poll() for c in children]
for c in children:
    c.kill()
    c.wait()
print(codes.count(None), json.dumps(codes))
"""


def cgroup_file(cgroup: cgroups.Cgroup, name: str) -> str:
    return next((d / name).read_text().strip() for d in cgroup.dirs if (d / name).exists())


@needs_bwrap
@needs_cgroup
def test_the_sandbox_runs_in_a_cgroup_of_its_own_with_the_caps(kernel):
    km, kc = kernel
    group = km._cgroup
    assert group is not None
    assert all(d.name.startswith(cgroups.PREFIX) for d in group.dirs)
    memory = cgroup_file(group, "memory.max") if (group.dirs[0] / "memory.max").exists() \
        else cgroup_file(group, "memory.limit_in_bytes")
    assert int(memory) == MEMORY_MB * 2**20
    assert int(cgroup_file(group, "pids.max")) == settings.PIDS_LIMIT
    # bwrap, its init and the kernel are inside from the start, and so is a child it starts.
    before = group.pids()
    assert km.provisioner.pid in before and len(before) >= 3, before
    execute(kc, "import subprocess; p = subprocess.Popen(['sleep', '30'])")
    assert len(group.pids() - before) == 1
    execute(kc, "p.kill(); p.wait()")
    assert group.pids() == before


@needs_bwrap
@needs_cgroup
def test_children_together_cannot_use_more_than_the_cap(kernel):
    """Each child is far below the address-space cap; together they pass the cgroup's
    cap, so the kernel's OOM killer kills some (SIGKILL) and the kernel lives on."""
    _, kc = kernel
    alive, codes = execute(kc, FORK_MEMORY, timeout=60).split(" ", 1)
    assert int(alive) <= 1 and -signal.SIGKILL in json.loads(codes), (alive, codes)
    assert execute(kc, "print(6 * 7)") == "42\n"


@needs_bwrap
@needs_cgroup
def test_the_process_count_is_capped():
    km, kc = start(pids_limit=40)
    try:
        out = execute(kc, """
            import subprocess
            children, refused = [], 0
            for _ in range(60):
                try:
                    children.append(subprocess.Popen(["sleep", "30"]))
                except OSError:
                    refused += 1
            for c in children:
                c.kill(); c.wait()
            print(len(children), refused)
        """)
        started, refused = map(int, out.split())
        assert started < 40 and refused > 20, out
    finally:
        stop(km, kc)


@needs_bwrap
@needs_cgroup
def test_the_cgroup_is_gone_after_shutdown_even_with_children_left():
    marker = f"orphan-{uuid.uuid4()}"
    km, kc = start(memory_limit_mb=MEMORY_MB)
    dirs = km._cgroup.dirs
    execute(kc, SPAWN_ORPHAN.format(marker=marker))
    assert all(d.is_dir() for d in dirs)
    stop(km, kc, now=True)
    assert not any(d.exists() for d in dirs)
    assert wait_for(lambda: not host_processes_with(marker))


def test_without_a_cgroup_the_cap_is_per_process_and_said_once(monkeypatch, caplog):
    """An unprivileged instructor: no cgroup, one warning, the rlimit alone."""
    def refuse(*args):
        raise cgroups.CgroupUnavailable("not here")
    monkeypatch.setattr(cgroups, "create", refuse)
    monkeypatch.setattr("grader.sandbox._warned_per_process", False)
    for _ in range(2):
        km = SandboxedKernelManager(kernel_name="python3", memory_limit_mb=100)
        km.log = __import__("logging").getLogger("test-sandbox")
        with caplog.at_level("WARNING", "test-sandbox"):
            assert km._make_cgroup() is None
    assert [r.getMessage().count("per PROCESS") for r in caplog.records] == [1]
    assert "not here" in caplog.records[0].getMessage()


def test_finds_a_v2_parent_that_enables_memory_and_pids(tmp_path):
    """cgroup v2 (not on this machine, so on a made-up tree): the nearest writable
    ancestor of our cgroup whose subtree_control enables both controllers."""
    (tmp_path / "user.slice" / "me.scope").mkdir(parents=True)
    (tmp_path / "cgroup.subtree_control").write_text("cpu memory pids\n")
    (tmp_path / "user.slice" / "cgroup.subtree_control").write_text("memory pids\n")
    (tmp_path / "user.slice" / "me.scope" / "cgroup.subtree_control").write_text("")
    mountinfo = f"30 23 0:26 / {tmp_path} rw,relatime shared:4 - cgroup2 cgroup2 rw\n"
    assert cgroups.parents("0::/user.slice/me.scope\n", mountinfo) == [tmp_path / "user.slice"]
    (tmp_path / "user.slice" / "cgroup.subtree_control").write_text("memory\n")
    assert cgroups.parents("0::/user.slice/me.scope\n", mountinfo) == [tmp_path]
    (tmp_path / "cgroup.subtree_control").write_text("cpu\n")
    with pytest.raises(cgroups.CgroupUnavailable, match="subtree_control"):
        cgroups.parents("0::/user.slice/me.scope\n", mountinfo)


def test_v1_cgroups_are_made_in_our_own_cgroup_of_each_hierarchy(tmp_path):
    (tmp_path / "memory" / "job").mkdir(parents=True)
    (tmp_path / "pids").mkdir()
    mountinfo = "".join(f"3{i} 25 0:3{i} / {tmp_path / name} rw - cgroup cgroup rw,{name}\n"
                        for i, name in enumerate(("memory", "pids")))
    own = "5:pids:/\n4:memory:/job\n0::/\n"
    assert cgroups.parents(own, mountinfo) == [tmp_path / "memory" / "job", tmp_path / "pids"]
    assert cgroups._limits(tmp_path / "pids", 300 * 2**20, 0) == {}  # no such files here
