from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sendhub.core"
    label = "core"

    def ready(self):
        from django.db.backends.signals import connection_created

        from sendhub.core.append_only import register_teardown_function

        # SQLite's delete triggers ask a function that must exist on every connection sendhub opens.
        connection_created.connect(register_teardown_function, dispatch_uid="sendhub-teardown-function")
