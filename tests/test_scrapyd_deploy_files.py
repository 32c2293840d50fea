"""The node's files in deploy/ agree with the project: its Python gets the crawler's dependencies and not
the crawler, and its Scrapyd keeps the feeds that ``crawler ingest`` reads."""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_node_requirements_are_the_dependencies_without_the_crawler() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = (ROOT / "deploy/node-requirements.txt").read_text(encoding="utf-8").splitlines()
    wanted = [line for line in lines if line and not line.startswith("#")]
    assert wanted == ["scrapyd>=1.6", *project["dependencies"]]
    assert not any(line.startswith(("bulletin-crawler", "-e", ".")) for line in wanted)


def test_the_node_scrapyd_conf_keeps_feeds_and_is_not_open_to_all() -> None:
    conf = configparser.ConfigParser()
    conf.read(ROOT / "deploy/scrapyd.conf")
    node = conf["scrapyd"]
    assert node["items_dir"] and int(node["jobs_to_keep"]) >= 50
    assert node["bind_address"] not in ("0.0.0.0", "::")


def test_scrapy_cfg_deploys_the_project_the_settings_name() -> None:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "scrapy.cfg")
    defaults = tomllib.loads((ROOT / "crawler/defaults.toml").read_text(encoding="utf-8"))
    assert cfg["settings"]["default"] == "crawler.settings"
    assert cfg["deploy"]["project"] == defaults["scrapyd_project"]
