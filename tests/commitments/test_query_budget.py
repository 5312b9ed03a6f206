"""The list and detail pages cost the same number of SQL queries however many commitments and updates exist."""

import pytest

from tests.commitments.support import browser, listed
from tests.helpers import budget

SMALL, LARGE = 10, 500


@pytest.fixture
def world(factory, cast):
    themes = factory.theme_ids()
    symposium = factory.symposium()
    return {"themes": [themes["safe_return"], themes["reintegration"]], "symposium": symposium}


def add_commitments(factory, cast, world, number: int) -> list[int]:
    """Spread ``number`` commitments over three organisations and every visibility."""
    ids = []
    owners = [(cast["owner"], cast["owner_editor"]), (cast["other"], cast["other_editor"]),
              (cast["iom"], cast["iom_editor"])]
    for index, (organisation, author) in enumerate(owners):
        share = number // 3 + (1 if index < number % 3 else 0)
        for visibility, part in (("public", share - 2 * (share // 3)), ("partners", share // 3),
                                 ("parties", share // 3)):
            if part:
                ids += factory.bulk_commitments(organisation, author, part, themes=world["themes"],
                                                visibility=visibility, symposium_id=world["symposium"].id,
                                                status="in_progress", review_state="pending")
    return ids


LIST_URLS = [
    "/commitments/",
    "/commitments/?q=Bulk&country=HND&status=in_progress&sort=title",
    "/commitments/?theme={theme}&symposium={symposium}&organisation={org}&sort=target&page=1",
    "/commitments/?flag=pending&country=HND",
]


def test_list_page_queries_do_not_grow_with_the_number_of_commitments(app, factory, cast, world):
    urls = [url.format(theme=world["themes"][0], symposium=world["symposium"].id, org=cast["owner"].id)
            for url in LIST_URLS]
    readers = {"anonymous": browser(app), "iom_editor": browser(app, cast["iom_editor"]),
               "owner_editor": browser(app, cast["owner_editor"])}
    add_commitments(factory, cast, world, SMALL)
    small = {(who, url): budget(app, client, url) for who, client in readers.items() for url in urls}
    admin = browser(app, cast["site_admin"])
    assert len(listed(admin.text("/commitments/"))) == SMALL
    add_commitments(factory, cast, world, LARGE - SMALL)
    assert f"{LARGE} commitments match" in admin.text("/commitments/")
    large = {(who, url): budget(app, client, url) for who, client in readers.items() for url in urls}
    print("list page queries with", SMALL, "and", LARGE, "commitments:", small, large)
    assert large == small


def test_detail_page_queries_do_not_grow_with_the_number_of_updates(app, factory, cast, world):
    readers = {"anonymous": browser(app), "iom_editor": browser(app, cast["iom_editor"]),
               "owner_editor": browser(app, cast["owner_editor"])}
    few = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], themes=world["themes"],
                             symposium_id=world["symposium"].id)
    many = factory.commitment(cast["owner"], "public", author=cast["owner_editor"], themes=world["themes"],
                              symposium_id=world["symposium"].id)
    factory.bulk_updates(few, cast["owner_editor"], 1, reviewer=cast["iom_editor"], with_files=True)
    factory.bulk_updates(many, cast["owner_editor"], 50, reviewer=cast["iom_editor"], with_files=True)
    add_commitments(factory, cast, world, SMALL)
    small = {who: budget(app, client, f"/commitments/{few.id}") for who, client in readers.items()}
    add_commitments(factory, cast, world, LARGE - SMALL)
    large = {who: budget(app, client, f"/commitments/{many.id}") for who, client in readers.items()}
    page = readers["iom_editor"].text(f"/commitments/{many.id}")
    assert page.count("Download evidence") == 50 and page.count("Verify or question this update") == 50
    print("detail page queries with 1 and 50 updates:", small, large)
    assert large == small
