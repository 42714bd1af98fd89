from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "khabar.newsroom"
    verbose_name = "غرفة الأخبار"

    def ready(self) -> None:
        from khabar.newsroom import (
            live_changes,
            search_index,  # noqa: F401  (connects the index signals)
        )

        live_changes.connect()
