"""bot/yamlfile.py reads every knowledge file exactly as `yaml.safe_load` does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot import yamlfile

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
FILES = sorted(KNOWLEDGE.rglob("*.yaml"))


def test_the_knowledge_files_are_found() -> None:
    assert len(FILES) >= 8


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(KNOWLEDGE)))
def test_a_knowledge_file_reads_as_safe_load_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert repr(yamlfile.load(text)) == repr(yaml.safe_load(text))


def test_the_fast_parser_is_used_when_pyyaml_has_it() -> None:
    assert yamlfile._LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_what_the_safe_loader_refuses_stays_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        yamlfile.load("!!python/object/apply:os.system ['true']")
