from django.urls import path

from khabar.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<str:slug>/", views.section, name="section"),
    path("story/<str:slug>/", views.story, name="story"),
    path("article/<int:pk>/", views.article, name="article-short"),
    path("article/<int:pk>/<str:slug>/", views.article, name="article"),
]
