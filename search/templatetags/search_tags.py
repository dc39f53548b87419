from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def search_url(params, **changes) -> str:
    """The search page URL for these params with some changed (page resets unless given)."""
    changes.setdefault("page", None)
    return f"{reverse('search:page')}?{urlencode(params.as_query(**changes))}"
