"""The README documents every column of every table, as toolkit.SCHEMA defines them."""
from toolkit import SCHEMA

from .conftest import ROOT


def test_readme_lists_every_documented_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table, cols in SCHEMA.items():
        section = readme.split(f"**`{table}`**", 1)
        assert len(section) == 2, f"README has no section for table {table}"
        body = section[1].split("**`", 1)[0]
        for name, dtype, meaning in cols:
            assert f"| `{name}` | {dtype} | {meaning} |" in body, (table, name)
