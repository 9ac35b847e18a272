"""Packaging conventions users expect: typed, licensed, runnable with -m, every error exported,
every third-party import declared, README links that resolve inside the repository."""

import ast
import inspect
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import extractor
from extractor import errors

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_public_error_is_exported_from_the_package() -> None:
    public = {name for name, obj in inspect.getmembers(errors, inspect.isclass)
              if issubclass(obj, errors.ExtractorError) and not name.startswith("_")}
    assert public <= set(extractor.__all__)
    for name in public:
        assert getattr(extractor, name) is getattr(errors, name)


def test_typed_marker_and_license_ship_with_the_package() -> None:
    assert (ROOT / "extractor" / "py.typed").is_file()
    license_text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in license_text and "Version 2.0" in license_text
    assert "Qwen2.5-Coder-1.5B-Instruct" in license_text  # the embedded model's notice
    assert PYPROJECT["project"]["license"]["text"] == "Apache-2.0"
    assert "License :: OSI Approved :: Apache Software License" in \
        PYPROJECT["project"]["classifiers"]


def test_distribution_name_is_not_the_unrelated_pypi_extractor() -> None:
    name = PYPROJECT["project"]["name"]
    assert _norm(name) != "extractor"
    assert set(PYPROJECT["project"]["urls"]) >= {"Homepage", "Source", "Issues"}
    dev = PYPROJECT["project"]["optional-dependencies"]["dev"]
    assert any(_norm(d).startswith(_norm(name) + "[") for d in dev)  # the extras self-reference


def test_python_dash_m_runs_the_command_line() -> None:
    res = subprocess.run([sys.executable, "-m", "extractor", "--help"], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "extract" in res.stdout and "schema" in res.stdout


def _imported_top_names() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "extractor").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"extractor", "__future__"}


def test_every_third_party_import_is_declared() -> None:
    declared = {_norm(re.split(r"[\s\[<>=!~;]", d, maxsplit=1)[0])
                for d in PYPROJECT["project"]["dependencies"]}
    for extra in PYPROJECT["project"]["optional-dependencies"].values():
        declared |= {_norm(re.split(r"[\s\[<>=!~;]", d, maxsplit=1)[0]) for d in extra}
    dists = metadata.packages_distributions()
    undeclared = []
    for name in sorted(_imported_top_names()):
        owners = {_norm(d) for d in dists.get(name, [])}
        if not owners & declared:
            undeclared.append(f"{name} (from {sorted(owners) or 'no installed distribution'})")
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_readme_links_only_to_files_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"\]\(([^)\s]+)\)", readme)
    assert links
    for link in links:
        if link.startswith("#"):
            continue
        assert not re.match(r"[a-z]+://", link), f"README links outside the repository: {link}"
        target = link.split("#", 1)[0]
        assert (ROOT / target).exists(), f"README links to a missing file: {link}"
    assert "docs/labelling.md" in links or any(x.startswith("docs/labelling.md") for x in links)
