"""Reading the inbox."""


def name_children(notes, user) -> list:
    """The messages, each with `about`: the name of the child it is about, so a family with two children
    (or a professional with many) can tell them apart (issue 14). Empty when the message has no child,
    when its text already starts with the name (`messaging.moments` writes it so), or when the reader may
    no longer see that child (a young person of 16 or over has since shut their parents out)."""
    from sendhub.people.selectors import children_visible_to

    notes = list(notes)
    ids = {n.child_id for n in notes if n.child_id}
    visible = set(children_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    for note in notes:
        name = note.child.full_name if note.child_id in visible else ""
        note.about = "" if not name or note.body.startswith(name) else name
    return notes
