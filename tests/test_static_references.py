"""Every static file a template names exists: a page that loads a script that is not there
draws no charts and raises no error (the problem profile did, after the plotly bundle
changed)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""")


def test_every_static_file_a_template_names_exists():
    named = {
        (str(template.relative_to(ROOT)), path)
        for template in (ROOT / "templates").rglob("*.html")
        for path in STATIC.findall(template.read_text())
    }
    assert len(named) > 10
    missing = [
        (template, path)
        for template, path in sorted(named)
        if not (ROOT / "static" / path).exists()
    ]
    assert missing == []
