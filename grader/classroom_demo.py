"""A classroom on a real JupyterHub, on this machine: `pigs-to-backprop classroom-demo`.

    sudo .venv/bin/pigs-to-backprop classroom-demo [--port 8000] [--students 3]

stands up what docs/instructors.md ("On JupyterHub") describes, for an instructor to
try: JupyterHub with configurable-http-proxy on 127.0.0.1, an instructor and students
who are real (temporary) system users, nbgrader's exchange, and the course installed
for everyone. It prints the address and the logins, and on Ctrl+C stops every process it
started, deletes the users and every file it made. A trial, not a deployment: for a
real class use The Littlest JupyterHub (one server) or Zero to JupyterHub (Kubernetes).

tests/test_hub.py drives the same `Classroom` over HTTP, end to end.

What `Classroom` sets up, in one temporary folder (`base`, removed at the end):

- the users (`useradd`), homes in `base/home/`, each `chmod 700`;
- the exchange, `base/exchange`, mode 1777 (everyone may create their own entries in
  it, nobody may remove or rename someone else's), with the course's folder in it
  created and owned by the instructor before any student could take the name;
- `base/etc/jupyter/nbgrader_config.py` (docs/hub/nbgrader_config.py): what
  /etc/jupyter holds on a real server, read by every server through
  JUPYTER_CONFIG_PATH (this machine's /etc/jupyter is left alone);
- the instructor's course directory, `~instructor/pigs-to-backprop` (this repository's
  nbgrader_config.py and solutions/), and their `~/.jupyter/nbgrader_config.py`
  (docs/hub/instructor_nbgrader_config.py) for Formgrader in their own server;
- `base/etc/jupyter/students/` (docs/hub/students/), which turns nbgrader's instructor
  extensions off in students' servers;
- the hub (`base/hub/`, root only): docs/hub/jupyterhub_config.py with its first block
  set for this classroom, plus an API token for the program that drives it.

**The course's environment, as every user sees it.** Every user's server runs this
Python environment, so every directory on the way to it (and to the Python it was
made from) must be traversable by all, and its files readable. On a workstation that
is often not so (a pyenv Python under /root, a clone in a private home). And an editable install
(`pip install -e .`) leaves solutions/ and .git readable by everyone beside it. So the
hub and every command run as a classroom user run in a private mount namespace
(`unshare --mount`, root only, nothing changes outside it) in which each such private
directory shows only the way to the environment, and the repository shows only what a
non-editable `pip install .` would install: the environment, `course/`, `grader/` and
`datasets/`. That is the layout the guide asks of a real server.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from grader.build import CHECKOUT

REPO = CHECKOUT  # the course this grader belongs to
HUB_FILES = REPO / "docs" / "hub"
COURSE_ID = "pigs-to-backprop"
COURSE_FOLDER = "pigs-to-backprop"  # in the instructor's home
DRIVER = "classroom-driver"  # the hub service whose token drives the hub's API

EXCHANGE_MODE = 0o1777  # like /tmp: anyone may add an entry, only its owner remove it
HOME_MODE = 0o700


class ClassroomUnavailable(RuntimeError):
    """This machine cannot run the classroom; the message says why and what to do."""


def missing() -> str | None:
    """Why a classroom cannot be set up here, or None if it can."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return ("it needs root: it creates system users (useradd) and JupyterHub's spawner "
                "starts each user's server as that user")
    for tool, hint in (("useradd", "passwd"), ("userdel", "passwd"), ("runuser", "util-linux"),
                       ("unshare", "util-linux"), ("nsenter", "util-linux"),
                       ("bwrap", "bubblewrap")):
        if shutil.which(tool) is None:
            return f"`{tool}` is not on PATH (Debian: apt-get install {hint})"
    if shutil.which("configurable-http-proxy") is None:
        return ("configurable-http-proxy is not on PATH "
                "(npm install -g configurable-http-proxy)")
    if not (Path(sys.prefix) / "bin" / "jupyterhub").exists():
        return "JupyterHub is not installed in this environment (pip install -e '.[test]')"
    if not (HUB_FILES / "jupyterhub_config.py").is_file():
        return f"no {HUB_FILES / 'jupyterhub_config.py'}: run it from a clone of the course"
    return None


# --- the files in docs/hub, with their first values set for this classroom -----------------
def render(text: str, values: dict[str, object]) -> str:
    """`text` with the value of each `NAME = value` line named in `values` replaced (a
    trailing comment is kept). Every name must be there exactly once."""
    for name, value in values.items():
        pattern = re.compile(rf"^({re.escape(name)} = )(.*?)(  # .*)?$", re.MULTILINE)
        found = len(pattern.findall(text))
        if found != 1:
            raise ValueError(f"{name} = … appears {found} times, not once")
        text = pattern.sub(lambda m, v=value: m.group(1) + repr(v) + (m.group(3) or ""), text)
    return text


def hub_file(name: str, values: dict[str, object]) -> str:
    return render((HUB_FILES / name).read_text(), values)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          **kwargs)
    if done.returncode:
        raise RuntimeError(f"`{shlex.join(argv)}` failed ({done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")
    return done


# --- the course's environment, as every user sees it ----------------------------------------
def environment_paths() -> list[Path]:
    """What every user's processes must reach: the environment, the Python it was made
    from, and the course's packages (in the repository when installed editable)."""
    import course.datasets

    import course
    import grader

    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable)),
             Path(course.__file__).resolve().parent, Path(grader.__file__).resolve().parent,
             *(Path(p).resolve() for p in course.datasets.__path__)}
    return sorted(paths)


def private_dirs(paths: list[Path]) -> list[Path]:
    """Directories on the way to `paths` that other users cannot traverse."""
    found = set()
    for path in paths:
        for folder in path.parents:  # the path itself cannot be masked: it must be open
            if not folder.stat().st_mode & stat.S_IXOTH:
                found.add(folder)
    return sorted(found, key=lambda p: len(p.parts))


def masks(paths: list[Path]) -> list[tuple[Path, list[str]]]:
    """[(folder, names to keep)]: each folder is replaced, in the namespace, by an empty
    one holding only those entries. The private directories on the way to `paths`, and
    the repository when the course is installed from it (editable)."""
    folders = private_dirs(paths)
    if (REPO / "solutions").is_dir() and any(p.is_relative_to(REPO) for p in paths):
        folders.append(REPO)
    result = []
    for folder in sorted(set(folders), key=lambda p: len(p.parts)):
        keep = sorted({p.relative_to(folder).parts[0] for p in paths
                       if p.is_relative_to(folder) and p != folder})
        result.append((folder, keep))
    return result


def namespace_script(plan: list[tuple[Path, list[str]]], stage: Path) -> str:
    """Shell commands, run in a new mount namespace, that apply `plan` (see masks)."""
    lines = ["set -e"]
    for number, (folder, keep) in enumerate(plan):
        for name in keep:
            held = stage / f"{number}-{name}"
            lines.append(f"mkdir -p {shlex.quote(str(held))}")
            lines.append(f"mount --rbind {shlex.quote(str(folder / name))} "
                         f"{shlex.quote(str(held))}")
        lines.append(f"mount -t tmpfs -o mode=0755,size=64k classroom {shlex.quote(str(folder))}")
        for name in keep:
            held = stage / f"{number}-{name}"
            lines.append(f"mkdir {shlex.quote(str(folder / name))}")
            lines.append(f"mount --move {shlex.quote(str(held))} "
                         f"{shlex.quote(str(folder / name))}")
        lines.append(f"mount -o remount,ro,bind {shlex.quote(str(folder))}")
    lines.append("exec sleep infinity")
    return "\n".join(lines)


# --- HTTP, as a browser's scripts do it ----------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def http(method: str, url: str, token: str | None = None, body=None,
         timeout: float = 300) -> Reply:
    """One request; the reply whatever its status (redirects are not followed)."""
    data = None
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"token {token}"
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with _OPENER.open(request, timeout=timeout) as reply:
            return Reply(reply.status, reply.read(), dict(reply.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), dict(error.headers))


# --- the classroom -----------------------------------------------------------------------
@dataclass
class Classroom:
    """A hub with real users on this machine; see the module docstring. Use `open_classroom`."""

    instructor: str
    students: list[str]
    port: int = 0
    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="ptb-classroom-")))
    users_made: list[str] = field(default_factory=list)
    holder: subprocess.Popen | None = None
    hub: subprocess.Popen | None = None
    driver_token: str = field(default_factory=lambda: secrets.token_hex(32))
    ports: dict[str, int] = field(default_factory=dict)
    _tokens: dict[str, str] = field(default_factory=dict)

    # paths
    def home(self, user: str) -> Path:
        return self.base / "home" / user

    @property
    def course_dir(self) -> Path:
        return self.home(self.instructor) / COURSE_FOLDER

    @property
    def exchange(self) -> Path:
        return self.base / "exchange"

    @property
    def shared_config(self) -> Path:
        return self.base / "etc" / "jupyter"

    @property
    def student_config(self) -> Path:
        return self.shared_config / "students"

    @property
    def state(self) -> Path:
        return self.base / "hub"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.state / "jupyterhub.log"

    # set-up
    def set_up(self) -> None:
        self.base.chmod(0o755)
        (self.base / "home").mkdir(mode=0o755)
        for user in [self.instructor, *self.students]:
            self._add_user(user)
        self._make_exchange()
        self._write_shared_config()
        self._make_course_dir()
        self._enter_namespace()
        self.check_environment()
        self._start_hub()

    def _add_user(self, user: str) -> None:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(user)
            raise ClassroomUnavailable(f"a user named {user!r} exists already on this machine")
        _run(["useradd", "--base-dir", str(self.base / "home"), "--create-home",
              "--user-group", "--shell", "/bin/bash",
              "--comment", "pigs-to-backprop classroom (temporary)", user])
        self.users_made.append(user)
        self.home(user).chmod(HOME_MODE)  # useradd's default (umask 022) is world-readable

    def _chown(self, path: Path, user: str) -> None:
        entry = pwd.getpwnam(user)
        for folder, _, files in os.walk(path):
            for item in [folder, *(os.path.join(folder, f) for f in files)]:
                os.lchown(item, entry.pw_uid, entry.pw_gid)

    def _make_exchange(self) -> None:
        self.exchange.mkdir()
        self.exchange.chmod(EXCHANGE_MODE)
        course = self.exchange / COURSE_ID
        course.mkdir(mode=0o755)
        self._chown(course, self.instructor)

    def _write_shared_config(self) -> None:
        self.shared_config.mkdir(parents=True)
        (self.base / "etc").chmod(0o755)
        self.shared_config.chmod(0o755)
        (self.shared_config / "nbgrader_config.py").write_text(hub_file(
            "nbgrader_config.py", {"c.Exchange.root": str(self.exchange)}))
        shutil.copytree(HUB_FILES / "students", self.student_config)

    def _make_course_dir(self) -> None:
        self.course_dir.mkdir()
        shutil.copy(REPO / "nbgrader_config.py", self.course_dir / "nbgrader_config.py")
        shutil.copytree(REPO / "solutions", self.course_dir / "solutions",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        jupyter = self.home(self.instructor) / ".jupyter"
        jupyter.mkdir()
        (jupyter / "nbgrader_config.py").write_text(hub_file(
            "instructor_nbgrader_config.py", {"c.CourseDirectory.root": str(self.course_dir)}))
        self._chown(self.course_dir, self.instructor)
        self._chown(jupyter, self.instructor)

    def _enter_namespace(self) -> None:
        """A mount namespace for the hub and every classroom user (module docstring)."""
        stage = self.base / "stage"
        stage.mkdir(mode=0o700)
        script = namespace_script(masks(environment_paths()), stage)
        self.holder = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True)  # Ctrl+C reaches us only: we stop things in order
        mine = os.readlink("/proc/self/ns/mnt")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.holder.poll() is not None:
                raise ClassroomUnavailable(
                    "could not make a private mount namespace (unshare --mount; a container "
                    f"needs CAP_SYS_ADMIN): {self.holder.stderr.read().decode().strip()}")
            with contextlib.suppress(OSError):
                if (os.readlink(f"/proc/{self.holder.pid}/ns/mnt") != mine
                        and Path(f"/proc/{self.holder.pid}/cmdline").read_bytes()
                        .startswith(b"sleep")):
                    return
            time.sleep(0.05)
        raise ClassroomUnavailable("the private mount namespace was not ready within 30 s")

    def command(self, argv: list[str], user: str | None = None, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> list[str]:
        """`argv` as run in the classroom's namespace, as `user` (None: root), in `cwd`
        (default: the user's home) with a clean environment like their server's."""
        assert self.holder is not None
        venv_bin = str(Path(sys.prefix) / "bin")
        variables = {"PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
                     "JUPYTER_CONFIG_PATH": str(self.shared_config), **(env or {})}
        if user:
            variables.update(HOME=str(self.home(user)), USER=user, LOGNAME=user)
        prefix = ["nsenter", f"--target={self.holder.pid}", "--mount", "--"]
        if user:
            prefix += ["runuser", "-u", user, "--"]
        folder = cwd or (self.home(user) if user else self.base)
        return [*prefix, "env", "-i", "-C", str(folder),
                *(f"{k}={v}" for k, v in variables.items()), *argv]

    def run_as(self, user: str | None, argv: list[str], cwd: Path | None = None,
               check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        """Run `argv` as `user` in the classroom (see `command`); output to files, not
        pipes, so a lingering child cannot hold the call."""
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            returncode = subprocess.run(self.command(argv, user, cwd), stdout=out, stderr=err,
                                        stdin=subprocess.DEVNULL, timeout=timeout).returncode
            out.seek(0)
            err.seek(0)
            done = subprocess.CompletedProcess(argv, returncode, out.read(), err.read())
        if check and returncode:
            raise RuntimeError(f"`{shlex.join(argv)}` as {user} failed ({returncode}):\n"
                               f"{done.stdout}\n{done.stderr}")
        return done

    def check_environment(self) -> None:
        """Every user can run the course's environment (module docstring)."""
        done = self.run_as(self.students[0], [sys.executable, "-c",
                                              "import course, grader, nbgrader, jupyterhub"],
                           check=False)
        if done.returncode:
            raise ClassroomUnavailable(
                f"a student cannot run the course's environment {sys.prefix}: every directory "
                "on the way to it and to its Python must be traversable by all (o+x) and its "
                f"files readable (o+r).\n{done.stderr.strip()}")

    def _start_hub(self) -> None:
        self.state.mkdir(mode=0o700)
        self.port = self.port or _free_port()
        self.ports = {"HUB_API_PORT": _free_port(), "PROXY_API_PORT": _free_port(),
                      "FORMGRADER_PORT": _free_port()}
        config = hub_file("jupyterhub_config.py", {
            "VENV": sys.prefix, "SHARED_CONFIG": str(self.shared_config),
            "STUDENT_CONFIG": str(self.student_config),
            "STATE": str(self.state), "COURSE_ID": COURSE_ID, "INSTRUCTOR": self.instructor,
            "COURSE_DIR": str(self.course_dir), "STUDENTS": list(self.students),
            "IP": "127.0.0.1", "PORT": self.port, **self.ports})
        config += (f"\n# --- added by grader/classroom_demo.py: the token it drives the hub "
                   f"with ---\n"
                   f"c.JupyterHub.services.append({{'name': {DRIVER!r}, "
                   f"'api_token': {self.driver_token!r}}})\n"
                   f"c.JupyterHub.load_roles.append({{'name': 'admin', "
                   f"'services': [{DRIVER!r}]}})\n")
        (self.state / "jupyterhub_config.py").write_text(config)
        log = open(self.log_file, "w")  # noqa: SIM115 - the hub writes it until stopped
        self.hub = subprocess.Popen(
            self.command([str(Path(sys.prefix) / "bin" / "jupyterhub"), "-f",
                          str(self.state / "jupyterhub_config.py")], cwd=self.state),
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.hub.poll() is not None:
                raise RuntimeError(f"jupyterhub exited:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                if self.api("GET", "/").status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"JupyterHub did not answer within 2 minutes:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_file.read_text().splitlines()[-lines:])
        return ""

    # the hub's REST API, with the driver's token
    def api(self, method: str, path: str, body=None) -> Reply:
        return http(method, f"{self.url}/hub/api{path}", self.driver_token, body)

    def token(self, user: str) -> str:
        """An API token of `user` (created once, through the hub's API)."""
        if user not in self._tokens:
            reply = self.api("POST", f"/users/{user}/tokens",
                             {"note": "pigs-to-backprop classroom", "expires_in": 3600})
            assert reply.status in (200, 201), (reply.status, reply.text)
            self._tokens[user] = reply.json()["token"]
        return self._tokens[user]

    def start_servers(self, users: list[str], timeout: float = 240) -> None:
        """Start these users' servers through the hub's API; wait until all are ready."""
        for user in users:
            reply = self.api("POST", f"/users/{user}/server")
            if reply.status not in (201, 202, 400):  # 400: already running
                raise RuntimeError(f"starting {user}'s server: {reply.status} {reply.text}")
        deadline = time.monotonic() + timeout
        waiting = list(users)
        while waiting and time.monotonic() < deadline:
            for user in list(waiting):
                server = self.api("GET", f"/users/{user}").json()["servers"].get("", {})
                if server.get("ready"):
                    waiting.remove(user)
            time.sleep(0.5)
        if waiting:
            raise RuntimeError(f"servers not ready after {timeout} s: {waiting}\n"
                               f"{self.log_tail()}")

    def user_url(self, user: str, path: str = "") -> str:
        """The address of `path` (with its query, if any) in `user`'s server."""
        path, _, query = path.lstrip("/").partition("?")
        return (f"{self.url}/user/{user}/{urllib.parse.quote(path)}"
                + (f"?{query}" if query else ""))

    def as_user(self, user: str, method: str, path: str, body=None) -> Reply:
        """A request to `user`'s own server with `user`'s token."""
        return http(method, self.user_url(user, path), self.token(user), body)

    # teardown
    def close(self) -> list[str]:
        """Stop every process, delete the users and `base`; return what went wrong."""
        problems = []
        if self.hub is not None and self.hub.poll() is None:
            self.hub.send_signal(signal.SIGTERM)  # stops the servers, services and proxy
            try:
                self.hub.wait(timeout=60)
            except subprocess.TimeoutExpired:
                problems.append("the hub did not stop within 60 s; killed")
                self.hub.kill()
                self.hub.wait()
        uids = set()
        for user in self.users_made:
            with contextlib.suppress(KeyError):
                uids.add(pwd.getpwnam(user).pw_uid)
        for attempt in range(3):
            left = self._our_processes(uids)
            if not left:
                break
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM if attempt == 0 else signal.SIGKILL)
            time.sleep(2)
        else:
            problems.append(f"processes still running: {self._our_processes(uids)}")
        if self.holder is not None and self.holder.poll() is None:
            self.holder.kill()
            self.holder.wait()
        for user in reversed(self.users_made):
            done = subprocess.run(["userdel", user], capture_output=True, text=True)
            if done.returncode:
                problems.append(f"userdel {user}: {done.stderr.strip()}")
            else:
                self.users_made.remove(user)
        shutil.rmtree(self.base, ignore_errors=True)
        if self.base.exists():
            problems.append(f"{self.base} could not be removed")
        return problems

    def _our_processes(self, uids: set[int]) -> list[int]:
        """Processes of the classroom's users, and any other in its namespace."""
        namespace = None
        if self.holder is not None and self.holder.poll() is None:
            with contextlib.suppress(OSError):
                namespace = os.readlink(f"/proc/{self.holder.pid}/ns/mnt")
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) in (os.getpid(), getattr(
                    self.holder, "pid", None)):
                continue
            try:
                mine = entry.stat().st_uid in uids
                if not mine and namespace is not None:
                    mine = os.readlink(entry / "ns" / "mnt") == namespace
            except OSError:
                continue
            if mine:
                found.append(int(entry.name))
        return found


@contextlib.contextmanager
def open_classroom(instructor: str, students: list[str], port: int = 0) -> Iterator[Classroom]:
    """A running classroom (see Classroom); everything it made is removed on exit, also
    when the set-up fails half way. Raises ClassroomUnavailable if this machine cannot."""
    why = missing()
    if why:
        raise ClassroomUnavailable(why)
    room = Classroom(instructor, list(students), port)
    try:
        room.set_up()
        yield room
    finally:
        # A second Ctrl+C must not leave users and processes behind half way.
        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main_thread else None
        try:
            problems = room.close()
        finally:
            if main_thread:
                signal.signal(signal.SIGINT, previous)
        if problems:
            print("classroom teardown: " + "; ".join(problems), file=sys.stderr)


# --- `pigs-to-backprop classroom-demo` -----------------------------------------------------
def main(port: int = 8000, students: int = 3) -> int:
    why = missing()
    if why:
        print(f"pigs-to-backprop classroom-demo: cannot run here: {why}.\n"
              "It is a trial on this machine; run it as root, e.g. "
              f"`sudo {sys.prefix}/bin/pigs-to-backprop classroom-demo`.", file=sys.stderr)
        return 2
    names = [f"demo-student{n}" for n in range(1, students + 1)]
    print("Setting up the classroom (users, exchange, course, hub)…", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    try:
        with open_classroom("demo-instructor", names, port) as room:
            print(DEMO_TEXT.format(url=room.url, instructor=room.instructor,
                                   students=", ".join(room.students),
                                   course=room.course_dir, base=room.base), flush=True)
            try:
                while not stop and room.hub.poll() is None:
                    time.sleep(0.5)
            finally:
                if room.hub.poll() is not None:
                    print(f"JupyterHub stopped:\n{room.log_tail()}", file=sys.stderr)
                print("Stopping the classroom: servers, users, files…", flush=True)
    except KeyboardInterrupt:
        pass  # the classroom is gone by now: open_classroom removed it
    except ClassroomUnavailable as problem:
        print(f"pigs-to-backprop classroom-demo: {problem}", file=sys.stderr)
        return 2
    print("Classroom removed: processes stopped, users and files deleted.")
    return 0


DEMO_TEXT = """
A classroom is running at {url}  (this machine only)

  log in as   {instructor}   (the instructor)  or  {students}
  password    anything (DummyAuthenticator: a trial, never for real users)

Try the whole round:
  1. {instructor}: Nbgrader > Formgrader > Manage Assignments: Generate and Release
     01-derivative.
  2. each student: Nbgrader > Assignments: Fetch, open the lesson, work, Validate, Submit.
  3. {instructor}: Formgrader: Collect; then in a Terminal of their server:
       cd {course}
       python -m grader autograde 01-derivative
       python -m grader feedback 01-derivative && nbgrader release_feedback 01-derivative
       python -m grader export
  4. each student: Assignments panel: Fetch Feedback.

Everything lives in {base}. Ctrl+C stops the hub and deletes the users and that folder.
"""

