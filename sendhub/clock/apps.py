from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "sendhub.clock"
    label = "clock"

    def ready(self):
        from django.apps import apps

        # Keeps the deadlines projection in step with every write; the clock's command alone runs without the cases.
        if all(apps.is_installed(f"sendhub.{name}") for name in ("assessments", "reviews", "plans")):
            from . import signals  # noqa: F401
