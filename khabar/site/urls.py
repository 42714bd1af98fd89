from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from khabar.site import feeds, live, people, readcount, search, sitemaps, video, views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search.search_page, name="search"),
    path("section/<str:slug>/", views.section, name="section"),
    path("story/<str:slug>/", views.story, name="story"),
    path("tag/<str:kind>/<str:slug>/", views.tag, name="tag"),
    path("author/<str:slug>/", people.author, name="author"),
    path("agency/<str:slug>/", people.agency, name="agency"),
    # The most-read beacon (read.js); under /api/ because it is for scripts, not readers.
    path("api/read/<int:pk>/", readcount.beacon, name="read"),
    path("videos/", video.videos, name="videos"),
    path("live/", live.live_index, name="live-index"),
    path("live/<str:slug>/", live.live_event, name="live"),
    path("live/<str:slug>/events", live.live_stream, name="live-events"),
    path("article/<int:pk>/", views.article, name="article-short"),
    path("article/<int:pk>/<str:slug>/", views.article, name="article"),
    # Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, sections, stories and tags.
    path("feed/rss/", feeds.LatestFeed(), name="feed-rss"),
    path("feed/atom/", feeds.atom(feeds.LatestFeed)(), name="feed-atom"),
    path("feed/json/", feeds.json_feed(feeds.LatestFeed), name="feed-json"),
    path("section/<str:slug>/rss/", feeds.SectionFeed(), name="section-rss"),
    path("section/<str:slug>/atom/", feeds.atom(feeds.SectionFeed)(), name="section-atom"),
    path("section/<str:slug>/json/", feeds.json_feed(feeds.SectionFeed), name="section-json"),
    path("story/<str:slug>/rss/", feeds.StoryFeed(), name="story-rss"),
    path("story/<str:slug>/atom/", feeds.atom(feeds.StoryFeed)(), name="story-atom"),
    path("story/<str:slug>/json/", feeds.json_feed(feeds.StoryFeed), name="story-json"),
    path("tag/<str:kind>/<str:slug>/rss/", feeds.TagFeed(), name="tag-rss"),
    path("tag/<str:kind>/<str:slug>/atom/", feeds.atom(feeds.TagFeed)(), name="tag-atom"),
    path("tag/<str:kind>/<str:slug>/json/", feeds.json_feed(feeds.TagFeed), name="tag-json"),
]

sitemap_patterns = [
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap-news"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
]
