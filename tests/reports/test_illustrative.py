"""Reports made from an illustrative register (the shipped samples: real company names,
invented figures) say on every page that the figures are invented; others say nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from clirun import run
from docx import Document
from paths import SAMPLES
from pypdf import PdfReader

from patentpool.cli import cli
from patentpool.reports.render import ILLUSTRATIVE


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _docx_headers(docx: bytes) -> list[str]:
    document = Document(io.BytesIO(docx))
    return [" ".join(p.text for p in s.header.paragraphs) for s in document.sections]


def test_every_page_of_every_demo_report_says_the_figures_are_invented(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    reports = sorted((folder / "reports").iterdir())
    assert {p.suffix for p in reports} == {".html", ".md", ".pdf", ".docx", ".xlsx"}
    for path in reports:
        if path.suffix == ".xlsx":
            import openpyxl

            for sheet in openpyxl.load_workbook(path):
                lines = [row[0] for row in sheet.iter_rows(max_row=4, values_only=True)]
                assert ILLUSTRATIVE in lines, f"{path.name} sheet {sheet.title}"
        elif path.suffix == ".pdf":
            pages = _pages(path.read_bytes())
            assert len(pages) > 1, path.name
            for number, text in enumerate(pages, 1):
                assert ILLUSTRATIVE in text, f"{path.name} page {number}"
        elif path.suffix == ".docx":
            headers = _docx_headers(path.read_bytes())
            assert headers
            assert all(ILLUSTRATIVE in h for h in headers), path.name
        else:
            assert ILLUSTRATIVE in path.read_text(encoding="utf-8"), path.name


@pytest.fixture(scope="module")
def igrs(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('igrs') / 'pool.db'}"
    assert run(url, "db", "upgrade")[0] == 0
    code, _, err = run(url, "import", str(SAMPLES / "igrs-v1"))
    assert code == 0, err
    return url


def test_reports_from_the_igrs_sample_carry_the_mark(igrs: str, tmp_path: Path) -> None:
    base = ("report", "pool", "--as-of", "2026-03-31")
    code, out, err = run(igrs, *base)
    assert code == 0, err
    assert f'<p class="illustrative" role="note">{ILLUSTRATIVE}</p>' in out
    assert f'content: "{ILLUSTRATIVE}"' in out  # the running header of every printed page
    code, out, _ = run(igrs, *base, "--format", "md")
    assert out.startswith(f"**{ILLUSTRATIVE}**\n")
    code, out, _ = run(igrs, *base, "--format", "json")
    assert json.loads(out)["illustrative"] == ILLUSTRATIVE
    pdf = tmp_path / "pool.pdf"
    assert run(igrs, *base, "--format", "pdf", "-o", str(pdf))[0] == 0
    pages = _pages(pdf.read_bytes())
    assert len(pages) > 1
    assert all(ILLUSTRATIVE in text for text in pages)
    invoice = ("report", "invoice", "--licensee", "example-home", "--program", "igrs-v1")
    code, out, err = run(igrs, *invoice, "--period", "2026Q1", "--format", "md")
    assert code == 0, err
    assert ILLUSTRATIVE in out


def test_the_flag_is_kept_and_exported(igrs: str, tmp_path: Path) -> None:
    code, _, err = run(igrs, "export", "--register-only", str(tmp_path / "out"))
    assert code == 0, err
    alliance = yaml.safe_load((tmp_path / "out" / "alliance.yaml").read_text())["alliance"]
    assert alliance == {"id": "igrs", "name": "IGRS Industry Alliance", "illustrative": True}


def test_a_register_not_marked_illustrative_has_no_mark(
    small_register: str, tmp_path: Path
) -> None:
    code, out, err = run(small_register, "report", "pool")
    assert code == 0, err
    assert "Illustrative" not in out
    assert "illustrative" not in json.loads(
        run(small_register, "report", "pool", "--format", "json")[1]
    )
    pdf = tmp_path / "pool.pdf"
    assert run(small_register, "report", "pool", "--format", "pdf", "-o", str(pdf))[0] == 0
    assert not any("Illustrative" in text for text in _pages(pdf.read_bytes()))
    docx = tmp_path / "pool.docx"
    assert run(small_register, "report", "pool", "--format", "docx", "-o", str(docx))[0] == 0
    assert not any(h.strip() for h in _docx_headers(docx.read_bytes()))
