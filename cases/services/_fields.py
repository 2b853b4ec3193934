"""Small helpers shared by the case services."""


def creator(user):
    return user if getattr(user, "is_authenticated", False) else None


def assign(record, fields: dict) -> list[str]:
    """Set the fields that differ; the names of those that changed."""
    changed = sorted(name for name, value in fields.items() if getattr(record, name) != value)
    for name in changed:
        setattr(record, name, fields[name])
    return changed
