"""Run each grading kernel inside a bubblewrap (`bwrap`) sandbox.

`SandboxedKernelManager` is jupyter_client's `AsyncKernelManager` with its launch
command wrapped in `bwrap`; give it to nbclient (or nbgrader's `Execute`) as
`kernel_manager_class`. The kernel sees only:

- the Python environment and the system's /usr (and the /bin, /lib* links), read-only;
- a private, read-write copy of the submission, as its working directory and HOME;
- `visible_paths` (e.g. the kernel-side package `course` and its data), read-only;
- a private /tmp, a minimal /dev and /proc, and the directory of its unix sockets.

It has no network (only a private loopback: zmq talks over unix sockets, the `ipc`
transport), its own PID namespace (so every process it starts dies with it), no
capabilities, an environment of its own, and caps on memory and processes:

- where a cgroup can be made (root; a delegated cgroup v2 subtree), the whole sandbox runs
  in a cgroup of its own (grader/cgroups.py): `memory_limit_mb` for all its processes
  together, and at most `pids_limit` processes and threads; removed with the kernel;
- and in any case each process's address space is capped at `memory_limit_mb` (RLIMIT_AS,
  set on bwrap and inherited): a single too-big allocation is then a MemoryError the
  learner sees, not the kernel killed. Without a cgroup this per-process cap is all there
  is (a kernel with N children may use N times it); that is logged once.
"""

from __future__ import annotations

import functools
import glob
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import weakref

from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, List, Unicode

from grader import cgroups, settings

INSTALL_HINT = ("Install bubblewrap: `sudo apt-get install bubblewrap` (Debian/Ubuntu) or "
                "`sudo dnf install bubblewrap` (Fedora).")
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# All the kernel needs of /etc: the dynamic linker's cache, the time zone, and fontconfig's
# settings (matplotlib runs fc-list if it ever has to rebuild its font list).
ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/fonts")


_warned_per_process = False  # the "memory cap is per process" warning: once per grader


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing, or cannot create namespaces on this machine."""


def check_available() -> None:
    """Raise SandboxUnavailable, saying how to fix it, unless bwrap can sandbox here."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(f"bubblewrap (`bwrap`) is not on PATH. {INSTALL_HINT}")
    probe = subprocess.run([bwrap, "--unshare-all", "--ro-bind", "/", "/", "true"],
                           capture_output=True, text=True, timeout=60)
    if probe.returncode:
        raise SandboxUnavailable(
            f"`bwrap --unshare-all --ro-bind / / true` failed here: {probe.stderr.strip()}. "
            "bwrap needs unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone"
            "=1; in a container, one allowed to create namespaces) or to be setuid root. "
            + INSTALL_HINT)


@functools.cache
def _font_caches() -> tuple[str, ...]:
    """The host's matplotlib font list, built once here, copied into each sandbox:
    otherwise every fresh HOME rebuilds it (a second or more per kernel)."""
    import matplotlib
    from matplotlib import font_manager  # noqa: F401  (builds the cache if missing)

    return tuple(glob.glob(os.path.join(matplotlib.get_cachedir(), "fontlist-*.json")))


def _special_files(folder: str, names: list[str]) -> list[str]:
    """Names in `folder` not copied into the sandbox: notebooks (the kernel never needs
    one, and at grading nbgrader's copy holds the hidden tests) and anything that is
    neither a file, a folder nor a link (a FIFO would block the copy, a socket fail it)."""
    def plain(name: str) -> bool:
        path = os.path.join(folder, name)
        return os.path.islink(path) or os.path.isfile(path) or os.path.isdir(path)
    return [name for name in names if name.endswith(".ipynb") or not plain(name)]


def kernel_side_paths() -> list[str]:
    """What a lesson's kernel must read besides the Python environment: the `course`
    package and its data (in the repository when the course is installed editable)."""
    import course.datasets

    import course

    return sorted({os.path.dirname(os.path.abspath(course.__file__)),
                   *(os.path.abspath(p) for p in course.datasets.__path__)})


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run under bwrap (see the module's docstring)."""

    submission_dir = Unicode(
        "", config=True,
        help="Folder whose files are copied into the kernel's private working directory "
             "(also its HOME). Empty: the `cwd` given to start_kernel (nbclient passes the "
             "notebook's folder); neither: an empty folder.")
    memory_limit_mb = Integer(
        0, config=True,
        help="Memory cap in MiB: of the whole sandbox when a cgroup can be made, and of each "
             "process's address space (RLIMIT_AS) in any case; 0: none.")
    pids_limit = Integer(
        settings.PIDS_LIMIT, config=True,
        help="Most processes and threads the whole sandbox may have at once (needs a "
             "cgroup, as memory_limit_mb's whole-sandbox cap); 0: none.")
    visible_paths = List(
        Unicode(), config=True,
        help="Host paths the kernel may read, bound read-only at the same path.")

    _sandbox_dir: str | None = None  # holds home/ (cwd and HOME) and run/ (sockets)
    _cgroup: cgroups.Cgroup | None = None  # the whole sandbox's, if one could be made

    @property
    def kernel_spec(self):
        spec = super().kernel_spec
        if spec is not None:
            # bwrap does not pass a SIGINT on to the kernel in its PID namespace (and dies
            # of it, taking the kernel along): ipykernel interrupts itself when it gets an
            # `interrupt_request` on the control channel instead.
            spec.interrupt_mode = "message"
        return spec

    def _make_sandbox_dir(self, cwd: str | None) -> None:
        top = tempfile.mkdtemp(prefix="kernel-sandbox-")
        self._sandbox_dir = top
        self._remove_sandbox_dir = weakref.finalize(self, shutil.rmtree, top, True)
        home, run = os.path.join(top, "home"), os.path.join(top, "run")
        source = self.submission_dir or cwd
        if source:
            # symlinks=True: a link in a submission is copied as a link, never followed
            # (a link to ../../solutions must not bring the solutions in).
            shutil.copytree(source, home, symlinks=True, ignore=_special_files)
        else:
            os.mkdir(home)
        os.mkdir(run)
        mplconfig = os.path.join(home, ".matplotlib")
        os.makedirs(mplconfig, exist_ok=True)
        for path in _font_caches():
            shutil.copy(path, mplconfig)
        # zmq over unix sockets: the kernel has no network to reach a TCP port of ours.
        self.transport = "ipc"
        self.connection_file = os.path.join(run, "kernel.json")
        self.ip = os.path.join(run, "kernel")

    async def _async_pre_start_kernel(self, **kw):
        if self._sandbox_dir is None:  # a restart keeps its sandbox, as it keeps its ports
            self._make_sandbox_dir(kw.get("cwd"))
        home = os.path.join(self._sandbox_dir, "home")
        kw["cwd"] = home
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        if self._cgroup is None:  # a restart keeps its cgroup too
            self._cgroup = self._make_cgroup()
        # Run in bwrap between fork and exec: bwrap, and so every process of the sandbox,
        # starts inside the cgroup and under the rlimit (inherited; without capabilities
        # it cannot be raised).
        kw["preexec_fn"] = functools.partial(
            _enter_limits, self.memory_limit_mb * 2**20, self._cgroup, kw.get("preexec_fn"))
        return self.bwrap_argv(kernel_cmd), kw

    pre_start_kernel = _async_pre_start_kernel

    def _make_cgroup(self) -> cgroups.Cgroup | None:
        if self.memory_limit_mb <= 0 and self.pids_limit <= 0:
            return None
        try:
            return cgroups.create(self.memory_limit_mb, self.pids_limit)
        except cgroups.CgroupUnavailable as exc:
            global _warned_per_process
            if not _warned_per_process:
                _warned_per_process = True
                self.log.warning(
                    "The grading memory cap (%d MiB) holds per PROCESS only, not for a "
                    "kernel's processes together, and their number is not capped: %s. "
                    "Run the grader as root, or in a cgroup v2 subtree delegated to this "
                    "user with the memory and pids controllers enabled "
                    "(docs/instructors.md).", self.memory_limit_mb, exc)
            return None

    def bwrap_argv(self, kernel_cmd: list[str]) -> list[str]:
        """`kernel_cmd` wrapped in bwrap, for the sandbox made by start_kernel."""
        assert self._sandbox_dir is not None, "start_kernel makes the sandbox"
        home, run = os.path.join(self._sandbox_dir, "home"), os.path.join(self._sandbox_dir, "run")
        env = {
            "PATH": f"{sys.prefix}/bin:/usr/local/bin:/usr/bin:/bin",
            "HOME": home, "LANG": "C.UTF-8", "TMPDIR": "/tmp",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": os.path.join(home, ".matplotlib"),
            "PYTHONDONTWRITEBYTECODE": "1",  # the environment is read-only anyway
            # The kernel's parent is bwrap's init, PID 1: ipykernel then neither polls its
            # parent nor prints its "Ctrl-C will not work" banner to our stdout.
            "JPY_PARENT_PID": "1",
            # One BLAS thread: a grader runs one kernel per core, and per-thread buffers
            # would eat the address-space cap on a many-core machine.
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        }
        argv = [shutil.which("bwrap") or "bwrap",
                "--unshare-all",  # network, PID, IPC, UTS, cgroup and user namespaces
                # The grader dies: its kernels die. And shutdown_kernel(now=True) SIGKILLs
                # bwrap's process group only; the sandbox's init is in a session of its own.
                "--die-with-parent",
                "--new-session",  # that session: no TIOCSTI into the grader's terminal
                # Run by root, bwrap keeps all capabilities in the sandbox's user namespace,
                # enough to remount a read-only bind read-write (tried): drop them.
                "--cap-drop", "ALL",
                "--clearenv"]
        for name, value in env.items():
            argv += ["--setenv", name, value]
        argv += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        for path in SYSTEM_DIRS:
            if os.path.islink(path):  # merged /usr: /bin -> usr/bin
                argv += ["--symlink", os.readlink(path), path]
            elif os.path.isdir(path):
                argv += ["--ro-bind", path, path]
        for path in ETC_FILES:
            argv += ["--ro-bind-try", path, path]
        # The environment only, never the folder that holds it (.venv is in the repository).
        prefixes = {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix}
        for path in sorted(prefixes) + [os.path.abspath(p) for p in self.visible_paths]:
            argv += ["--ro-bind", path, path]
        argv += ["--bind", home, home, "--bind", run, run, "--chdir", home, "--"]
        return argv + kernel_cmd

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self._cgroup is not None:
            try:
                self._cgroup.remove()  # after killing what is left in it
            except OSError as exc:  # still busy after a while: leave it, say so
                self.log.warning("Could not remove the kernel's cgroup %s: %s",
                                 self._cgroup.dirs, exc)
            self._cgroup = None
        if not restart and self._sandbox_dir is not None:
            self._remove_sandbox_dir()
            self._sandbox_dir = None

    cleanup_resources = _async_cleanup_resources


def _enter_limits(address_space: int, cgroup: cgroups.Cgroup | None, then=None) -> None:
    """bwrap's preexec_fn: the caller's own preexec_fn, then the caps (see the module)."""
    if then is not None:
        then()
    if address_space > 0:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    if cgroup is not None:
        cgroup.join()
