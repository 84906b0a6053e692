"""Lessons read like the SOP: lists, nested lists, tables, links and code render as such, sanitised; a step is
printed once, with its number as written; warnings stand out."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.db import db
from lms.models import Enrolment
from lms.services import accounts, enrolments, quiz_review, sop_import
from lms.web.markup import inline_markdown, nest
from tests.conftest import Person, login

SOP = b"""# Plate incubation

## Procedure
1. Warm the incubator to 37 \xc2\xb0C for at least 30 minutes before loading plates.
   - Check the door seal.
   - Record the start time in the [incubator log](https://example.org/log).
2. Load the plates lid side down and incubate for 18 hours.
3. Open the [bad link](javascript:alert(1)) form and run the export <script>alert(1)</script>:

```
export-plates --since today
```

WARNING: Never open the incubator during the first 2 hours.

| Plate | Temperature | Time |
|-------|-------------|------|
| Blood agar | 37 \xc2\xb0C | 18 h |
| MacConkey | 35 \xc2\xb0C | 24 h |
"""


@pytest.fixture
def lesson_page(app, client, make_user) -> str:
    trainer = make_user("trainer")
    with app.app_context():
        role_id = accounts.create_job_role("Microbiology Technician", "Lab").id
    learner = make_user("learner", [role_id], name="Lena Learner")
    with app.app_context():
        revision = sop_import.import_sop(SOP, "plate-incubation.md", trainer.id)
        module = sop_import.modules_of(revision.id)[0]
        quiz_review.publish(module.id, trainer.id)
        enrolments.assign_module_to_role(module.id, role_id, 14, trainer.id)
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id))
        position = next(i for i, lesson in enumerate(module.lessons) if lesson.title == "Procedure")
        enrolment_id = enrolment.id  # logging in commits (a use case's boundary), which expires the row
        login(client, Person(learner.id, learner.email, learner.name))
    response = client.get(f"/my/training/{enrolment_id}/lessons/{position}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_steps_are_a_numbered_list_printed_once(lesson_page):
    assert '<ol class="sop-list numbered">' in lesson_page
    assert lesson_page.count("Load the plates lid side down and incubate for 18 hours.") == 1
    assert re.search(r'<li id="step-step-\d+" class="step"><span class="step-number">2</span>', lesson_page)
    # nested bullets stay under their step
    nested = re.search(r'<span class="step-number">1</span>(.*?)</li>\s*</ol>', lesson_page, re.S)
    assert nested and '<ul class="sop-list">' in nested.group(1) and "Check the door seal." in nested.group(1)


def test_links_code_and_tables_render_sanitised(lesson_page):
    link = '<a href="https://example.org/log" rel="noopener noreferrer nofollow">incubator log</a>'
    assert link in lesson_page
    assert 'href="javascript' not in lesson_page  # shown as text, never as a link
    assert "<script>alert" not in lesson_page and "&lt;script&gt;" in lesson_page
    assert '<pre tabindex="0"><code>export-plates --since today</code></pre>' in lesson_page
    assert '<th scope="col">Temperature</th>' in lesson_page and "<td>MacConkey</td>" in lesson_page
    assert re.search(
        r'<div class="table-scroll" tabindex="0" role="region" aria-label="Table \d+"><table>', lesson_page
    )


def test_warnings_stand_out(lesson_page):
    assert re.search(r'<p class="warning" role="note">WARNING: Never open the incubator', lesson_page)


def test_nest_builds_the_tree_a_browser_would():
    items = [{"depth": 0, "t": "a"}, {"depth": 1, "t": "b"}, {"depth": 3, "t": "c"}, {"depth": 0, "t": "d"}]
    tree = nest(items)
    assert [n["item"]["t"] for n in tree] == ["a", "d"]
    assert tree[0]["children"][0]["item"]["t"] == "b"
    assert tree[0]["children"][0]["children"][0]["item"]["t"] == "c"


def test_inline_markdown_keeps_only_safe_markup():
    html = str(inline_markdown("**Never** <img src=x onerror=alert(1)> [x](javascript:alert(1)) `ls -l`"))
    assert "<strong>Never</strong>" in html and "<code>ls -l</code>" in html
    assert "<img" not in html and 'href="javascript' not in html


def test_relative_and_scheme_relative_links_are_not_links():
    html = str(inline_markdown("[a](//evil.example/x) [b](/admin/users/1/delete) [c](https://example.org/)"))
    assert 'href="//evil' not in html and 'href="/admin' not in html
    assert 'href="https://example.org/"' in html
