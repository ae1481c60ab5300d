"""pyproject.toml: the default install stays lean, the extras bring the rest."""

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="Python 3.11 reads pyproject.toml")

PROJECT = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def names(requirements: list[str]) -> set[str]:
    return {requirement.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()
            for requirement in requirements}


def test_the_default_install_does_not_pull_in_dask():
    assert names(PROJECT["dependencies"]).isdisjoint({"dask", "distributed", "pyarrow", "fsspec"})


def test_the_dask_extra_brings_the_cluster_and_parquet():
    assert names(PROJECT["optional-dependencies"]["dask"]) == {"dask", "distributed", "pyarrow", "fsspec"}
