"""URL converters."""

from werkzeug.routing import BaseConverter, IntegerConverter


class IdConverter(IntegerConverter):
    """A record id: a positive integer that fits the database's INTEGER column.

    Larger numbers would overflow the driver and end in a server error; they answer 404 instead.
    """

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)


class SlugConverter(BaseConverter):
    """A lower-case ASCII slug, as made by ``portal.core.text.slugify``; anything else is a 404."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class CountryCodeConverter(BaseConverter):
    """An ISO 3166-1 alpha-3 code in any case; the view redirects lower case to upper case."""

    regex = r"[A-Za-z]{3}"
