"""Letters and notices to families: written from templates the council edits, kept exactly as sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from sendhub.core.append_only import AppendOnlyModel


class LetterTemplate(models.Model):
    """Template text in a sandbox (letters/sandbox.py): plain values only, checked when saved."""

    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200, help_text="Shown as the letter's heading and the PDF title")
    body = models.TextField(help_text=(
        "Django template language, limited to the values each kind of letter lists under 'What you can use'. "
        "Text is escaped; separate paragraphs with a blank line; a line starting '## ' is a heading."))
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title

    def clean(self):
        """Refuse, with the reason, a template that is broken or could reach beyond the letter's own values."""
        from .sandbox import check_template

        check_template(self.key, self.body)


class Letter(AppendOnlyModel):
    """One letter as it was sent: its rendered text never changes, even if the template does."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="letters")
    assessment = models.ForeignKey("assessments.EHCNeedsAssessment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="letters")
    review = models.ForeignKey("reviews.AnnualReview", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="letters")
    version = models.ForeignKey("plans.PlanVersion", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="letters", help_text="The plan version this letter covers, if any")
    template_key = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%-d %B %Y})"
