"""The article card, the most repeated piece of the reader site, written by one tag.

`{% card a %}` (`big=True` for the top story, `show_story=False` on a story's own page) writes
what an `{% include %}` of a card template would, from Python: a page of cards is the costliest
thing the site renders, and an include pays a template lookup, a context push and a dozen
variable lookups for every card.
"""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from khabar.newsroom.models import Article
from khabar.site.templatetags.khabar import ago
from khabar.site.templatetags.khabar import escaped as _e
from khabar.site.templatetags.media import img

register = template.Library()


@register.simple_tag
def card(a: Article, *, big: bool = False, show_story: bool = True) -> SafeString:
    """A card: picture, kicker (its story, else its section), title, lead when big, time."""
    url = _e(a.get_absolute_url())
    media = ""
    if a.hero_id and a.hero:
        picture = img(a.hero, "big" if big else "card", decorative=True, eager=big)
        media = (
            f'\n  <a class="card-media" href="{url}" tabindex="-1" aria-hidden="true">{picture}</a>'
        )
    kicker = ""
    if show_story and a.story_id and a.story:
        story = a.story
        kicker = f'<a class="kicker" href="{_e(story.get_absolute_url())}">{_e(story.title)}</a>'
    elif a.section_id and a.section:
        section = a.section
        kicker = f'<a class="kicker" href="{_e(section.get_absolute_url())}">{_e(section.name)}</a>'
    lead = f'\n    <p class="card-lead">{_e(a.lead)}</p>' if big and a.lead else ""
    published = a.published_at
    local = published
    if published and timezone.is_aware(published):
        local = timezone.localtime(published)
    stamp = local.isoformat() if local else ""
    return mark_safe(
        f'<article class="card{" card-big" if big else ""}">{media}\n  <div class="card-body">\n'
        f"    {kicker}\n"
        f'    <h3 class="card-title"><a href="{url}">{_e(a.title)}</a></h3>{lead}\n'
        f'    <time class="meta" datetime="{stamp}" dir="auto">{_e(ago(published))}</time>\n'
        "  </div>\n</article>"
    )
