"""What the family and the young person add themselves: "All about me", kept as they wrote it."""

from django.db import models
from django.utils import timezone

from sendhub.core.append_only import AppendOnlyModel

PROMPTS = [
    ("likes", "What people like and admire about me"),
    ("important", "What is important to me"),
    ("support", "How best to support me"),
    ("hopes", "My hopes and dreams for the future"),
]


class AllAboutMe(AppendOnlyModel):
    """One telling of the child's or young person's views, in their words (CoP 9.22); newer ones add to it."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="all_about_me")
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    written_with_child = models.BooleanField(default=False, help_text="A parent wrote it with the child")
    likes = models.TextField(blank=True)
    important = models.TextField(blank=True)
    support = models.TextField(blank=True)
    hopes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def answers(self) -> list[tuple[str, str]]:
        return [(label, getattr(self, name)) for name, label in PROMPTS if getattr(self, name)]


class AllAboutMePicture(AppendOnlyModel):
    """A picture the child chose (a drawing, a photo of something they love), with words describing it."""

    entry = models.ForeignKey(AllAboutMe, on_delete=models.PROTECT, related_name="pictures")
    file = models.FileField(upload_to="all-about-me/%Y/%m/")
    description = models.CharField(max_length=300, help_text="Read out by screen readers")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
