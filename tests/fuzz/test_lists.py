"""The lists a person who is not signed in can reach, with hostile query parameters (each role's lists are
fuzzed with its forms, in test_forms.py)."""

from tests.fuzz.discovery import crawl
from tests.fuzz.fuzzer import Fuzzer
from tests.fuzz.lists import CORE_LISTS, fuzz_lists, list_parameters
from tests.helpers import Browser


def test_every_public_list_parameter_survives_hostile_values(demo_app):
    client = Browser(demo_app)
    site = crawl(client)
    lists = list_parameters(site)
    assert CORE_LISTS <= set(lists), sorted(lists)
    sender = Fuzzer(demo_app, None, client)
    fuzz_lists(sender, lists)
    print(f"\nanonymous: {len(lists)} lists, {sum(map(len, lists.values()))} parameters, {sender.sent} requests")
    assert not sender.problems, "\n".join(sender.problems[:40])
