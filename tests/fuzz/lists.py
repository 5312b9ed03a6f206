"""Every list's query parameters, found on the pages (filter forms and links), plus ``page`` on every
list, sent with hostile values, alone, together and repeated: never a server error."""

from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import PROFILE
from tests.fuzz.discovery import id_pattern
from tests.fuzz.values import hostile_text

CORE_LISTS = {"/commitments/", "/actions/", "/symposia/", "/minutes/"}


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


def fuzz_lists(sender, lists: dict[str, list[str]]) -> None:
    """Send each list hostile values in its parameters; problems go to ``sender.problems``."""
    # A GET changes nothing, so fewer examples per list than per form find what there is to find.
    profile = settings.get_profile(PROFILE)
    for path, names in lists.items():
        @settings(profile, max_examples=max(3, profile.max_examples // 2))
        @given(pairs=st.lists(st.tuples(st.sampled_from(names), hostile_text()), min_size=1, max_size=4))
        def fuzz(pairs):
            response = sender.request("GET", f"{path}?{query(pairs)}")
            if response is not None and response.status_code not in (200, 301, 302, 303, 308, 400, 404):
                sender.problems.append(f"{sender.role}: GET {path}?{query(pairs)[:200]} answered {response.status_code}")

        fuzz()
        # Numbers the database cannot hold, in every parameter at once.
        for number in ("9223372036854775808", "1" * 40, "-1", "٣"):
            sender.request("GET", f"{path}?{query([(name, number) for name in names])}")
