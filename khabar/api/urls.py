from django.urls import path

from khabar.api import views

app_name = "api"

urlpatterns = [
    path("articles/", views.articles, name="articles"),
    path("articles/<int:pk>/", views.article, name="article"),
]
