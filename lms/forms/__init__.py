"""WTForms classes (Flask-WTF adds the CSRF token to each)."""

from collections.abc import Iterable

from wtforms import SelectChoice


def choices_of(items: Iterable, label: str = "name") -> list[SelectChoice]:
    """Select options for database rows: the id as value, `label` as the text."""
    return [SelectChoice(value=item.id, label=getattr(item, label)) for item in items]
