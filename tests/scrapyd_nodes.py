"""Real Scrapyd processes on 127.0.0.1 standing for crawl machines, for the cluster tests.

Each node runs from a Python environment that has the dependencies but not the checkout (as a real
node has), so its jobs run the code of the deployed egg and nothing else: a venv without pip whose
only ``.pth`` points at this venv's site-packages (whose own ``.pth`` files, among them the editable
install of the checkout, are not read from there).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
LEAKY_ENV = ("CRAWLER_DB", "CRAWLER_CONFIG", "CRAWLER_SNAPSHOT_DIR", "CRAWLER_MAX_PAGE_COUNT", "PYTHONPATH")
START_TIMEOUT = 30.0


def dependencies_only_python(folder: Path) -> Path:
    """A Python that imports Scrapy, Scrapyd and the crawler's dependencies, but not the crawler."""
    venv.EnvBuilder(with_pip=False, symlinks=True).create(folder)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ScrapydNode:
    """One ``scrapyd`` with its own folder, port and node database; ``stop()`` kills it and its jobs."""

    def __init__(self, python: Path, folder: Path, *, port: int | None = None) -> None:
        self.python = python
        self.folder = folder
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db(self) -> Path:
        return self.folder / "node.db"

    def write_conf(self) -> None:
        conf = {
            "bind_address": "127.0.0.1",
            "http_port": self.port,
            "eggs_dir": self.folder / "eggs",
            "logs_dir": self.folder / "logs",
            "items_dir": self.folder / "items",
            "dbs_dir": self.folder / "dbs",
            "jobs_to_keep": 100,
            "finished_to_keep": 100,
            "max_proc": 5,
            "poll_interval": 0.2,
        }
        lines = ["[scrapyd]", *(f"{key} = {value}" for key, value in conf.items())]
        (self.folder / "scrapyd.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def start(self) -> ScrapydNode:
        self.launch()
        self.wait_ready()
        return self

    def launch(self) -> None:
        """Start scrapyd without waiting for it (``wait_ready``): nodes start side by side."""
        self.write_conf()
        env = {key: value for key, value in os.environ.items() if key not in LEAKY_ENV}
        env["CRAWLER_DB"] = str(self.db)  # the node's own fetch state
        log = (self.folder / "scrapyd.out").open("ab")
        self.process = subprocess.Popen(
            [str(self.python), "-m", "scrapyd", "--nodaemon", "--pidfile="],
            cwd=self.folder,  # scrapyd reads ./scrapyd.conf
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stop() kills scrapyd and its crawl jobs together, as a machine going down
        )
        log.close()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"scrapyd on {self.url} exited: {self.log_tail()}")
            try:
                with urlopen(f"{self.url}/daemonstatus.json", timeout=2) as answer:
                    if json.loads(answer.read()).get("status") == "ok":
                        return
            except (URLError, OSError, ValueError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"scrapyd on {self.url} did not answer within {START_TIMEOUT} s: {self.log_tail()}")

    def log_tail(self) -> str:
        path = self.folder / "scrapyd.out"
        return path.read_text(encoding="utf-8", errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        """Kill scrapyd and every job it started (one process group): the machine is gone."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # the group may be gone already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None


def deploy(egg: Path, nodes: list[ScrapydNode], folder: Path, project: str = "bulletin_crawler") -> str:
    """``scrapyd-deploy`` of ``egg`` to every node, from a scrapy.cfg naming them as targets (one
    scrapyd-deploy per target, side by side: each node checks the egg with ``scrapy list``)."""
    folder.mkdir(parents=True, exist_ok=True)
    targets = "\n".join(f"[deploy:node{n}]\nurl = {node.url}/\nproject = {project}\n" for n, node in enumerate(nodes))
    (folder / "scrapy.cfg").write_text(f"[settings]\ndefault = crawler.settings\n\n{targets}", encoding="utf-8")
    command = [str(Path(sys.executable).with_name("scrapyd-deploy")), "-p", project, "--egg", str(egg)]
    uploads = [
        subprocess.Popen([*command, f"node{n}"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(len(nodes))
    ]
    output = ""
    for upload in uploads:
        out, err = upload.communicate(timeout=120)
        assert upload.returncode == 0, err[-3000:]
        output += err + out
    return output


def build_egg(target: Path) -> Path:
    """``scrapyd-deploy --build-egg`` in the checkout, as an operator builds it."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("scrapyd-deploy")), "--build-egg", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return target
