"""A cgroup per sandboxed kernel: one memory cap and one process cap for ALL its processes.

RLIMIT_AS caps each process on its own, so a kernel that starts N children could use N
times the cap. A cgroup caps the sum: `create` makes one beside (v1) or below (v2) the
grader's own cgroup, with the memory limit (swap included) and a pids limit;
`Cgroup.join` moves the calling process in (the sandbox calls it between fork and exec
of bwrap, so every process of the sandbox starts inside); `Cgroup.remove` kills what is
left and removes it.

Where it can be made:
- cgroup v2: below the nearest ancestor of the grader's cgroup that we may write to and
  whose `cgroup.subtree_control` enables `memory` and `pids` (root on most machines; a
  user in a subtree delegated to them with those controllers enabled);
- cgroup v1: in the grader's own cgroup of the `memory` and `pids` hierarchies, when
  writable (root).
Elsewhere `create` raises CgroupUnavailable saying why, and the caller falls back to a
per-process cap.

Hand-written on purpose (about a hundred lines of file writes): cgroupspy and cgroupy
model the v1 hierarchies only, `systemd-run --scope -p MemoryMax=` needs a running
systemd (absent in containers and on CI machines like this one), and bubblewrap has no
cgroup option.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

PREFIX = "pigs-kernel-"  # + the grader's PID + a random tag
CONTROLLERS = ("memory", "pids")


class CgroupUnavailable(RuntimeError):
    """No cgroup with a memory and a pids limit can be made here (and why)."""


@dataclass(frozen=True)
class Cgroup:
    dirs: tuple[Path, ...]  # v2: one; v1: one per controller's hierarchy

    def join(self) -> None:
        """Move the calling process in (its future children are born inside)."""
        for folder in self.dirs:
            (folder / "cgroup.procs").write_text(str(os.getpid()))

    def pids(self) -> set[int]:
        found: set[int] = set()
        for folder in self.dirs:
            with contextlib.suppress(FileNotFoundError):
                found |= {int(p) for p in (folder / "cgroup.procs").read_text().split()}
        return found

    def remove(self, timeout: float = 5) -> None:
        """SIGKILL every process still inside, then remove the cgroup (once they are gone)."""
        deadline = time.monotonic() + timeout
        for folder in self.dirs:
            while folder.exists():
                _kill_all(folder)
                try:
                    folder.rmdir()
                except FileNotFoundError:
                    break
                except OSError:  # EBUSY: processes still exiting
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.02)


def _kill_all(folder: Path) -> None:
    if (folder / "cgroup.kill").exists():  # v2, Linux 5.14+
        (folder / "cgroup.kill").write_text("1")
        return
    with contextlib.suppress(FileNotFoundError):
        for pid in (folder / "cgroup.procs").read_text().split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)


def own_cgroups(text: str | None = None) -> dict[str, str]:
    """This process's cgroup path per v1 controller, and under "" its v2 path."""
    text = Path("/proc/self/cgroup").read_text() if text is None else text
    paths = {}
    for line in text.splitlines():
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            paths[name] = path
    return paths


def cgroup_mounts(text: str | None = None) -> dict[str, tuple[str, Path]]:
    """{v1 controller or "" for v2: (the mount's root in its hierarchy, mount point)}."""
    text = Path("/proc/self/mountinfo").read_text() if text is None else text
    mounts: dict[str, tuple[str, Path]] = {}
    for line in text.splitlines():
        fields, _, tail = line.partition(" - ")
        fstype, _, options = tail.split()[:3]
        root, point = fields.split()[3:5]
        if fstype == "cgroup2":
            mounts.setdefault("", (root, Path(point)))
        elif fstype == "cgroup":
            for name in set(options.split(",")) & set(CONTROLLERS):
                mounts.setdefault(name, (root, Path(point)))
    return mounts


def _folder(mount: tuple[str, Path], path: str) -> Path:
    """Where cgroup `path` (as /proc/self/cgroup names it) is under that mount."""
    root, point = mount
    relative = os.path.relpath(path, root)
    return point if relative == "." else point / relative


def _v2_parent(own: Path, mount_point: Path) -> Path | None:
    """The nearest of `own` and its ancestors below which we can make a cgroup with the
    memory and pids controllers."""
    for folder in (own, *own.parents):
        try:
            enabled = (folder / "cgroup.subtree_control").read_text().split()
        except OSError:
            enabled = []
        if set(CONTROLLERS) <= set(enabled) and os.access(folder, os.W_OK):
            return folder
        if folder == mount_point:
            return None
    return None


def parents(cgroup_text: str | None = None, mountinfo_text: str | None = None) -> list[Path]:
    """The folders in which to make a kernel's cgroup (one for v2, one per controller for
    v1); raises CgroupUnavailable."""
    own, mounts = own_cgroups(cgroup_text), cgroup_mounts(mountinfo_text)
    if "" in mounts and "" in own:
        found = _v2_parent(_folder(mounts[""], own[""]), mounts[""][1])
        if found:
            return [found]
    if all(name in mounts and name in own for name in CONTROLLERS):
        folders = [_folder(mounts[name], own[name]) for name in CONTROLLERS]
        if all(os.access(f, os.W_OK) for f in folders):
            return folders
    raise CgroupUnavailable(
        "cannot make a cgroup with the memory and pids controllers here (cgroup v2: no "
        "writable cgroup above this process enables them in cgroup.subtree_control; "
        "cgroup v1: the memory or pids hierarchy is missing or not writable)")


def _limits(folder: Path, memory_bytes: int, max_pids: int) -> dict[str, str]:
    """The files to write, in order (v1 needs memsw after memory, both >= the other)."""
    if (folder / "memory.max").exists():  # v2
        files = {"memory.max": memory_bytes, "memory.swap.max": 0, "pids.max": max_pids}
    else:
        files = {"memory.limit_in_bytes": memory_bytes,
                 "memory.memsw.limit_in_bytes": memory_bytes, "pids.max": max_pids}
    return {name: str(value) for name, value in files.items()
            if (folder / name).exists() and (value or name.endswith("swap.max"))}


def create(memory_mb: int, max_pids: int) -> Cgroup:
    """A new, empty cgroup with those limits (0: that limit unset). Raises CgroupUnavailable."""
    name = f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    made: list[Path] = []
    try:
        for parent in parents():
            _remove_stale(parent)
            (parent / name).mkdir()
            made.append(parent / name)
            for file, value in _limits(parent / name, memory_mb * 2**20, max_pids).items():
                (parent / name / file).write_text(value)
    except OSError as exc:
        Cgroup(tuple(made)).remove()
        raise CgroupUnavailable(f"making a cgroup failed: {exc}") from exc
    return Cgroup(tuple(made))


def _remove_stale(parent: Path) -> None:
    """Remove empty kernel cgroups left by graders that died without cleaning up."""
    for folder in parent.glob(PREFIX + "*"):
        match = re.match(re.escape(PREFIX) + r"(\d+)-", folder.name)
        if match and not _alive(int(match[1])):
            with contextlib.suppress(OSError):
                folder.rmdir()  # fails while processes are still inside


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@functools.cache
def unavailable_reason() -> str:
    """Why a kernel's processes cannot share one cap here; "" when they can (tried once)."""
    try:
        create(64, 16).remove()
    except (CgroupUnavailable, OSError) as exc:
        return str(exc)
    return ""
