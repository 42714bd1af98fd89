from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "khabar.api"
    label = "khabar_api"
    verbose_name = "API"
