"""A real JupyterLab in a real browser, for tests/test_browser.py.

`LabServer` starts `jupyter lab` on 127.0.0.1 over a temporary folder and stops it;
`Lab` drives Debian's Chromium through Python Playwright (`npx playwright install`
cannot work here, so Playwright uses the system browser at CHROMIUM). Written by hand
because no maintained library drives JupyterLab 4 from Python: Galata, JupyterLab's
own UI-test tool, is TypeScript-only and needs Playwright's bundled browsers.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
# Headless flags that work on this closed network (see the machine notes): without the
# background-networking ones Chromium keeps trying to reach Google's hosts.
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
TOKEN = "pigs-to-backprop-browser-test"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"  # the notebook's kernel is idle


def missing_browser() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed (pip install -e '.[test]')"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# `pigs-to-backprop start` for the course in argv[1], with JupyterLab options argv[2:]
# (not the console script: it would find this checkout's course, not the test's copy).
START = ("import sys; from pathlib import Path; from grader import workspace; "
         "workspace.start(Path(sys.argv[1]), None, sys.argv[2:])")


class LabServer:
    """`jupyter lab` serving `root`, with JupyterLab's news pop-up turned off and every
    cell kept in the page (no windowing), so tests can find any cell's output.

    `settings={}` leaves JupyterLab's settings as a new user has them. `learner=True`
    starts it as `pigs-to-backprop start` does (grader/workspace.py, grader/learner_lab.py)
    for the course in `root`: the lab serves `root/work`. `options`: more for `jupyter lab`.
    """

    SETTINGS = {
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        "notebook-extension/tracker": {"windowingMode": "none"},
    }

    def __init__(self, root: Path, settings: dict | None = None, learner: bool = False,
                 options: list[str] = ()):
        self.root, self.port = root, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        settings_dir = root / ".lab-settings"
        settings_dir.mkdir(exist_ok=True)
        for name, values in (self.SETTINGS if settings is None else settings).items():
            file = settings_dir / "@jupyterlab" / f"{name}.jupyterlab-settings"
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(values))
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # inline plots
        env.update(JUPYTERLAB_SETTINGS_DIR=str(settings_dir),
                   PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""))
        options = ["--no-browser", f"--port={self.port}", "--ServerApp.ip=127.0.0.1",
                   f"--IdentityProvider.token={TOKEN}", *options]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            options.append("--allow-root")  # CI machines run as root
        if learner:
            command = [sys.executable, "-c", START, str(root), *options]
        else:
            command = [sys.executable, "-m", "jupyter", "lab", *options,
                       f"--ServerApp.root_dir={root}"]
        self.log = open(root / "jupyterlab.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, cwd=root, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited: {(self.root / 'jupyterlab.log').read_text()}")
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={TOKEN}", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("jupyter lab did not start within a minute")

    def shutdown_kernels(self) -> None:
        """Stop every kernel the notebooks opened so far started (they outlive their page)."""
        api = f"{self.url}/api/kernels"
        for kernel in json.loads(urllib.request.urlopen(f"{api}?token={TOKEN}").read()):
            request = urllib.request.Request(f"{api}/{kernel['id']}?token={TOKEN}",
                                             method="DELETE")
            urllib.request.urlopen(request)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Notebook:
    """One notebook open in JupyterLab, in its own browser page."""

    def __init__(self, page, server: LabServer, path: str):
        self.page, self.server, self.path = page, server, path
        self._open(path)
        self.panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        self.panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
        self._wait_for_kernel()

    def _open(self, path: str) -> None:
        """Open `path` in the page's JupyterLab; load JupyterLab first if the page is new.

        A page is reused from test to test (loading JupyterLab costs seconds of CPU): the
        tests close every tab when done (`close_all`), so each notebook opens alone.

        Opening the notebook's URL directly races JupyterLab 4.6: a notebook that opens
        before the kernel list has loaded gets the "Select Kernel" dialog although its
        kernel exists (SessionContext.startKernel reads specsManager.specs without
        awaiting it). Seen in CI on a busy machine; a learner would just click "Select".
        """
        if not self.page.url.startswith(self.server.url):
            # `reset`: a fresh workspace, not the tabs an earlier run left open.
            self.page.goto(f"{self.server.url}/lab?reset&token={TOKEN}")
            self.page.locator(".jp-LauncherCard", has_text="Python 3").first.wait_for(
                timeout=60_000)
        self.menu("File", "Open from Path")
        dialog = self.page.locator(".jp-Dialog")
        dialog.locator("input").fill(path)
        dialog.get_by_role("button", name="Open").click()
        dialog.wait_for(state="detached", timeout=30_000)

    def _wait_for_kernel(self, timeout: float = 90) -> None:
        """Wait until the notebook's own kernel is connected and idle; fail clearly if
        JupyterLab asks instead (with the server log, which says why a kernel failed)."""
        kernel_name = self.panel.locator(".jp-KernelName, .jp-Toolbar-kernelName").first
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.dialogs():
                log = (self.server.root / "jupyterlab.log").read_text()[-3000:]
                raise AssertionError(f"JupyterLab shows a dialog: {self.dialogs()}\n{log}")
            if "Python 3" in kernel_name.inner_text() and self.page.locator(IDLE).count():
                return
            time.sleep(0.25)
        raise AssertionError(f"no idle kernel after {timeout} s: {kernel_name.inner_text()!r}")

    def close_all(self) -> None:
        """Close every tab without saving (what a test changed after its last save is of
        no use), so the page can open the next test's notebook alone."""
        self.page.keyboard.press("Escape")  # a menu or a completer left open
        self.menu("File", "Close All Tabs")
        discard = self.page.locator(".jp-Dialog").get_by_role("button", name="Discard")
        deadline = time.time() + 30
        while self.page.locator(".jp-NotebookPanel").count() and time.time() < deadline:
            if discard.count():
                discard.first.click()
            time.sleep(0.1)

    def dialogs(self) -> list[str]:
        return [d.inner_text() for d in self.page.locator(".jp-Dialog").all()]

    def wait_idle(self, timeout: int = 120_000) -> None:
        self.page.wait_for_selector(IDLE, timeout=timeout)

    def menu(self, menu: str, item: str) -> None:
        open_dialogs = self.dialogs()
        assert not open_dialogs, f"JupyterLab shows a dialog: {open_dialogs}"
        self.page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
        self.page.locator(".lm-Menu-itemLabel", has_text=item).first.click()

    def run_all(self, timeout: int = 120) -> nbformat.NotebookNode:
        """Run All Cells; once every code cell has run, save and return the notebook.

        If a run stalls (now and then a widget cell never reports back, cf.
        jupyter/nbclient#312), Run All is asked once more before giving up.
        """
        everything_ran = """() => [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
            .every(p => /\\[\\d+\\]/.test(p.textContent))"""
        for attempt in (1, 2):
            self.menu("Run", "Run All Cells")
            try:
                self.page.wait_for_function(everything_ran, timeout=timeout * 1000)
                break
            except Exception:  # noqa: BLE001 - Playwright's TimeoutError
                if attempt == 2:
                    raise
        self.wait_idle()
        return self.save()

    def save(self) -> nbformat.NotebookNode:
        """Save from the browser; return the notebook as JupyterLab wrote it to disk.

        Jupyter Server overwrites the file in place (it only keeps a backup copy while
        writing), so a read can catch it half written: read again until it parses.
        """
        file = self.server.root / self.path
        before = file.stat().st_mtime_ns
        self.menu("File", "Save Notebook")
        deadline = time.time() + 30
        while time.time() < deadline:
            if file.stat().st_mtime_ns != before:
                try:
                    return nbformat.reads(file.read_text(), as_version=4)
                except ValueError:  # NotJSONError, or JSON cut short: still being written
                    pass
            time.sleep(0.2)
        raise AssertionError(f"JupyterLab did not save {self.path} within 30 s")

    def widget_outputs(self):
        """Cell outputs that hold a rendered widget (not outputs inside a widget)."""
        return self.panel.locator(".jp-Cell-outputArea > .jp-OutputArea-child > "
                                  ".jp-OutputArea-output:has(> .jupyter-widgets)")

    def move_a_slider(self) -> tuple[str, str]:
        """Press arrow keys on sliders until what a widget shows (its picture and its text)
        changes; return that before and after. (Some widgets redraw only on a button, e.g. a training playground.)

        The picture is looked up afresh each time: a redraw replaces the <img> element.
        """
        widgets = self.widget_outputs().filter(has=self.page.locator(".noUi-handle"))
        before = after = None
        for number in range(widgets.count()):
            widget = widgets.nth(number)
            widget.scroll_into_view_if_needed()
            picture = widget.locator("img").first
            if picture.count() == 0:
                continue
            before = self._look(widget, picture)
            for key in ("ArrowRight", "ArrowLeft"):  # the other way if it starts at its end
                widget.locator(".noUi-handle").first.focus()
                for _ in range(3):
                    self.page.keyboard.press(key)
                deadline = time.time() + 15
                while time.time() < deadline and self._look(widget, picture) == before:
                    time.sleep(0.25)
                if self._look(widget, picture) != before:
                    self.wait_idle()  # every key press redraws: let the last one finish
                    time.sleep(1)
                    return before, self._look(widget, picture)
            after = self._look(widget, picture)
        return before, after

    @staticmethod
    def _look(widget, picture) -> str:
        """What a widget shows: its picture, and its text (readouts, lock messages)."""
        return f"{picture.get_attribute('src')}\n{widget.inner_text()}"

    def type_into_cell(self, containing: str, text: str) -> None:
        """Replace the text of the code cell that shows `containing`, as a learner would
        after clicking into it (insert_text: no auto-indent or auto-closed brackets)."""
        cell = self.panel.locator(".jp-CodeCell", has_text=containing).first
        cell.scroll_into_view_if_needed()
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.insert_text(text)

    def run_cell_and_the_next(self) -> None:
        """Shift+Enter twice: the cell being edited, then the one under it (its check)."""
        for _ in range(2):
            self.page.keyboard.press("Shift+Enter")
        self.wait_idle()

    def click_validate(self) -> str:
        """nbgrader's Validate button; return the text of the dialog it opens."""
        self.panel.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate").click()
        dialog = self.page.locator(".jp-Dialog")
        dialog.wait_for(timeout=180_000)
        self.page.wait_for_function(
            "() => !/Validating/i.test(document.querySelector('.jp-Dialog').innerText)",
            timeout=180_000)
        text = dialog.inner_text()
        dialog.get_by_role("button", name="Ok").click()  # the page is reused: close it
        dialog.wait_for(state="detached", timeout=30_000)
        return text
