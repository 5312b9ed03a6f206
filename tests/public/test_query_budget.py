"""The home page, the countries index and a country page cost the same number of SQL queries however much
data there is, for every kind of reader; and a country page stays light at scale."""

import pytest

from tests.commitments.support import browser
from tests.public.support import add_action, add_figure
from tests.helpers import budget

URLS = ["/", "/countries/", "/countries/HND", "/countries/MEX"]


def add_data(app, factory, cast, scale: int) -> None:
    """Commitments of every visibility in two countries, verified and pending updates, joint actions in every
    role and visibility, symposia, context figures and organisations, ``scale`` times over."""
    for organisation, author in ((cast["ministry"], cast["ministry_editor"]), (cast["mexico"], cast["mexico_editor"])):
        for visibility in ("public", "partners", "parties"):
            ids = factory.bulk_commitments(organisation, author, 4 * scale, visibility=visibility,
                                           status="in_progress", review_state="pending")
            for commitment_id in ids[:scale]:
                factory.bulk_updates(type("C", (), {"id": commitment_id})(), author, 2, reviewer=cast["iom_editor"])
    roles = ("origin", "transit", "destination", "return")
    for n in range(scale):
        for visibility in ("public", "partners"):
            add_action(app, cast["ministry_editor"], visibility=visibility, title=f"Acción {n} {visibility}",
                       countries=(("HND", roles[n % 4]), ("MEX", roles[(n + 1) % 4]), ("GTM", "destination")))
        factory.symposium(title=f"Simposio {n}")
        add_figure(app, cast["iom_editor"], label_en=f"Figure {n}")
        factory.organisation(country="HND")


@pytest.mark.parametrize("reader", [None, "mexico_editor", "iom_editor", "site_admin"])
def test_page_queries_do_not_grow_with_the_data(app, factory, cast, reader):
    client = browser(app, cast[reader] if reader else None)
    add_data(app, factory, cast, 1)
    small = {url: budget(app, client, url) for url in URLS}
    add_data(app, factory, cast, 30)
    large = {url: budget(app, client, url) for url in URLS}
    print(reader, "queries with small and large data:", small, large)
    assert large == small


def test_country_page_stays_under_80_kb_at_scale(app, factory, cast):
    add_data(app, factory, cast, 60)
    for who in (None, cast["site_admin"], cast["iom_editor"]):
        client = browser(app, who)
        for url in URLS:
            size = len(client.get(url).data)
            print(url, who and who.email, size)
            assert size < 80_000, url
