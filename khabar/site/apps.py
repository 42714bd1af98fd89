from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "khabar.site"
    label = "khabar_site"
    verbose_name = "الموقع"

    def ready(self) -> None:
        # Every process that writes (server, worker, ingest, demo) must invalidate cached pages.
        from khabar.site import pagecache

        pagecache.connect_signals()
