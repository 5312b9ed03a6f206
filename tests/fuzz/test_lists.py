"""Every list's query parameters, found on the pages (filter forms and links), plus ``page`` on every
list, sent with hostile values, alone, together and repeated: never a server error."""

from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import PROFILE, ROLES
from tests.fuzz.discovery import crawl, id_pattern
from tests.fuzz.fuzzer import Fuzzer
from tests.fuzz.values import hostile_text
from tests.helpers import Browser


def query(pairs) -> str:
    return "&".join(f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'))}" for name, value in pairs)


def list_parameters(site) -> dict[str, list[str]]:
    """Each list page with the parameters it reads: those seen in its links and filter forms, and ``page``."""
    lists = {path: set(names) for path, names in site.parameters.items() if "<id>" not in id_pattern(path)}
    for page in site.pages:
        path = page.split("?")[0]
        if path.endswith("/") and "<id>" not in id_pattern(path):
            lists.setdefault(path, set())
    return {path: sorted(names | {"page"}) for path, names in lists.items()}


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_list_parameter_survives_hostile_values(demo_app, role):
    fuzzer = Fuzzer(demo_app, role) if role else None
    client = fuzzer.client if fuzzer else Browser(demo_app)
    site = crawl(client)
    lists = list_parameters(site)
    assert {"/commitments/", "/actions/", "/symposia/", "/minutes/"} <= set(lists), sorted(lists)
    if role == "site admin":
        assert "/admin/people/" in lists and "organisation" in lists["/admin/people/"]
    sender = fuzzer or Fuzzer(demo_app, None, client)

    for path, names in lists.items():
        # A GET changes nothing, so fewer examples per list than per form find what there is to find.
        @settings(settings.get_profile(PROFILE), max_examples=max(3, settings.get_profile(PROFILE).max_examples // 2))
        @given(pairs=st.lists(st.tuples(st.sampled_from(names), hostile_text()), min_size=1, max_size=4))
        def fuzz(pairs):
            response = sender.request("GET", f"{path}?{query(pairs)}")
            if response is not None and response.status_code not in (200, 301, 302, 303, 308, 400, 404):
                sender.problems.append(f"{role}: GET {path}?{query(pairs)[:200]} answered {response.status_code}")

        fuzz()

    # Numbers the database cannot hold, in every parameter at once.
    for path, names in lists.items():
        for number in ("9223372036854775808", "1" * 40, "-1", "٣"):
            sender.request("GET", f"{path}?{query([(name, number) for name in names])}")

    print(f"\n{role or 'anonymous'}: {len(lists)} lists, {sum(map(len, lists.values()))} parameters, "
          f"{sender.sent} requests")
    assert not sender.problems, "\n".join(sender.problems[:40])
