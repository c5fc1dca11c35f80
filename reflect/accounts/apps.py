from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reflect.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from reflect.accounts.middleware import start_session_clocks

        user_logged_in.connect(start_session_clocks, dispatch_uid="reflect-session-clocks")
