"""Property/fuzz tests: whatever bytes arrive under whatever extension, `parse_sop` either returns a
document or raises a documented `SopParseError` (whose message the uploader sees), never anything else.

Inputs: random bytes; random Markdown assembled from the line shapes SOPs use; and every committed
fixture (Markdown SOPs, PDF, DOCX and HTML fixtures) with random bytes flipped, cut, inserted or the
tail dropped, since damaged real files reach deeper into each reader than random bytes do. Hypothesis
runs derandomized with small example counts so the suite stays deterministic and takes seconds.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sops.errors import SopParseError
from sops.model import SopDocument
from sops.parse import parse_sop

ROOT = Path(__file__).resolve().parents[2]
EXTENSIONS = (".md", ".txt", ".html", ".docx", ".pdf")
SEEDS = sorted(
    [p for p in (ROOT / "lms" / "demo" / "sops").glob("*.md") if p.name != "SOURCES.md"]
    + [p for kind in ("pdf", "docx", "html") for p in (ROOT / "tests" / "fixtures" / kind).glob(f"*.{kind}")]
)
SEED_BYTES = {p.name: p.read_bytes() for p in SEEDS}

FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_LINES = (
    "# Cleaning the Biosafety Cabinet",
    "## 5. PROCEDURE",
    "### 5.1 Preparation",
    "Document Number: SOP-QA-012",
    "Revision: 4   Effective Date: 08/24/2022",
    "1. Put on gloves.",
    "2) Wipe the surface with 70% ethanol for 10 min.",
    "   a. If the spill is larger than 50 mL, call the Supervisor.",
    "    - sub-bullet",
    "Step 3: Incubate at 37 °C.",
    "(4) Record the result.",
    "4.2.1 Check the seal",
    "WARNING: surfaces are hot.",
    "**Procedure:**",
    "| Role | Responsibility |",
    "|---|---|",
    "| QA | approves |",
    "---",
    "```",
    "> quoted note",
    "Responsibilities",
    "==========",
    "",
    "{% include x %} [link](http://x) ![img](a.png)",
)


def _check(data: bytes, name: str) -> None:
    try:
        document = parse_sop(data, name)
    except SopParseError as error:
        assert str(error).strip(), f"empty message for {name}"
    else:
        assert isinstance(document, SopDocument)
        assert document.steps


@settings(FUZZ, max_examples=40)
@given(data=st.binary(max_size=2048), extension=st.sampled_from(EXTENSIONS))
def test_random_bytes(data, extension):
    _check(data, f"upload{extension}")


@settings(FUZZ, max_examples=40)
@given(
    lines=st.lists(st.one_of(st.sampled_from(_LINES), st.text(max_size=40)), max_size=40),
    extension=st.sampled_from((".md", ".txt", ".html")),
)
def test_random_markdown(lines, extension):
    _check("\n".join(lines).encode("utf-8", "surrogatepass"), f"sop{extension}")


_MUTATION = st.tuples(
    st.sampled_from(("flip", "delete", "insert", "truncate")),
    st.floats(min_value=0, max_value=1),
    st.binary(min_size=1, max_size=16),
)


def _mutate(data: bytes, mutations: list[tuple[str, float, bytes]]) -> bytes:
    for kind, where, payload in mutations:
        at = int(where * len(data))
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ payload[0] or 1]) + data[at + 1 :]
        elif kind == "delete":
            data = data[:at] + data[at + len(payload) * 64 :]
        elif kind == "insert":
            data = data[:at] + payload + data[at:]
        else:
            data = data[:at]
    return data


@settings(FUZZ, max_examples=60)
@given(
    name=st.sampled_from(sorted(SEED_BYTES)),
    mutations=st.lists(_MUTATION, min_size=1, max_size=4),
    other=st.sampled_from(EXTENSIONS),
)
def test_mutated_fixtures(name, mutations, other):
    data = _mutate(SEED_BYTES[name], mutations)
    _check(data, name)  # under its own extension: the reader it was made for
    _check(data, f"renamed{other}")  # and renamed: a file whose extension lies


def test_every_fixture_kind_is_fuzzed():
    kinds = {Path(name).suffix for name in SEED_BYTES}
    assert {".md", ".pdf"} <= kinds
