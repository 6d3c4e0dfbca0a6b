"""Changes a family or young person makes: their child's "All about me" and their own message settings."""

from django.core.exceptions import ValidationError
from django.db import transaction

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change
from sendhub.core.uploads import PICTURES, UploadError, check_upload, max_total_bytes

from .models import PROMPTS, AllAboutMe, AllAboutMePicture

MAX_PICTURES = 6


def add_all_about_me(*, actor, child, answers: dict[str, str], pictures=(), written_with_child: bool = False,
                     request=None) -> AllAboutMe:
    """Keep what the child or young person said, with up to six pictures, each described in words."""
    texts = {name: (answers.get(name) or "").strip() for name, _ in PROMPTS}
    errors: dict[str, list[str]] = {}
    if not any(texts.values()) and not pictures:
        errors["__all__"] = ["Write something in at least one box, or add a picture"]
    if len(pictures) > MAX_PICTURES:
        errors.setdefault("pictures", []).append(f"Add up to {MAX_PICTURES} pictures at a time")
    checked = []
    if sum(upload.size for upload, _ in pictures) > max_total_bytes():
        errors.setdefault("pictures", []).append(
            f"The selected pictures add up to more than {max_total_bytes() // (1024 * 1024)}MB: add some of them now "
            "and the rest separately")
        pictures = ()
    for upload, description in pictures if len(pictures) <= MAX_PICTURES else ():
        try:
            clean = check_upload(upload, extensions=PICTURES)
        except UploadError as error:
            errors.setdefault("pictures", []).append(str(error))
            continue
        if not (description or "").strip():
            errors.setdefault("pictures", []).append(f"Say what the picture {upload.name} shows")
        else:
            checked.append((clean, description.strip()))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry = AllAboutMe.objects.create(child=child, author=actor, written_with_child=written_with_child, **texts)
        for upload, description in checked:  # stored as re-encoded: no EXIF, so no GPS location
            picture = AllAboutMePicture(entry=entry, description=description[:300], content_type=upload.content_type,
                                        size=upload.size)
            picture.file.save(f"{child.pk}-{entry.pk}.{upload.extension}", upload.file, save=False)
            picture.save()
        record_change(actor=actor, action=AuditAction.CREATE, obj=entry, child=child,
                      after={"answers": [name for name, text in texts.items() if text], "pictures": len(checked)},
                      summary="Added to All about me", request=request)
        return entry


def set_preferences(*, actor, email_notifications: bool, easy_read: bool, request=None):
    with transaction.atomic():
        before = {"email_notifications": actor.email_notifications, "easy_read": actor.easy_read}
        actor.email_notifications, actor.easy_read = email_notifications, easy_read
        actor.save(update_fields=["email_notifications", "easy_read"])
        record_change(actor=actor, action=AuditAction.UPDATE, obj=actor, before=before,
                      after={"email_notifications": email_notifications, "easy_read": easy_read},
                      summary="Changed how they get messages", request=request)
        return actor
