"""Every POST form each role can reach, found by crawling, sent with hostile values field by field; then
the role's lists with hostile query parameters (tests/fuzz/lists.py).

Each answer must be below 500; a refused value changes nothing; an accepted text reads back as typed;
a form sent twice at once makes one row. Forms are found, not listed: a new form is fuzzed the day it
appears on a page. The bounded profile fits in ``make test``; ``make fuzz`` runs the long one.
"""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import PROFILE, ROLES
from tests.fuzz.discovery import crawl
from tests.fuzz.fuzzer import Fuzzer
from tests.fuzz.lists import CORE_LISTS, fuzz_lists, list_parameters
from tests.fuzz.values import IDS, hostile_text, readable_text


def mutations(form):
    """A strategy of (kind, field, value) changes to one submission of ``form``."""
    names = sorted(form.fields)
    field = st.sampled_from(names)
    kinds = [
        st.tuples(st.just("value"), field, hostile_text()),
        st.tuples(st.just("readable"), field, readable_text()),
        st.tuples(st.just("missing"), field, st.none()),
        st.tuples(st.just("duplicate"), field, hostile_text()),
    ]
    if any(name.endswith("version") for name in names):
        kinds.append(st.tuples(st.just("stale version"), st.just(next(n for n in names if n.endswith("version"))),
                               st.sampled_from(["0", "-1", "1", "", "x", "99999999999"])))
    if re.search(r"/\d+(/|$)", form.action):
        kinds.append(st.tuples(st.just("address id"), st.just(""), st.sampled_from(IDS[2:5] + ["1", "3", "7"])))
    return st.one_of(kinds)


def apply(fuzzer, form, mutation):
    kind, name, value = mutation
    pairs = fuzzer.baseline(form)
    if kind == "missing":
        return [(n, v) for n, v in pairs if n != name], form.action
    if kind == "duplicate":
        return pairs + [(name, value)], form.action
    if kind == "address id":
        # Another (foreign or missing) record's id in the form's address.
        return pairs, re.sub(r"/\d+(?=/|$)", f"/{value}", form.action, count=1)
    return [(n, value if n == name else v) for n, v in pairs] + ([] if name in dict(pairs) else [(name, value)]), \
        form.action


@pytest.mark.parametrize("role", list(ROLES))
def test_every_form_a_role_can_reach_survives_hostile_values(demo_app, role):
    fuzzer = Fuzzer(demo_app, role)
    site = crawl(fuzzer.client)
    assert len(site.forms) >= 10, f"{role}: the crawl found only {[f.action for f in site.forms]}"

    for form in site.forms:
        @settings(settings.get_profile(PROFILE))
        @given(mutation=mutations(form))
        def fuzz(mutation):
            pairs, action = apply(fuzzer, form, mutation)
            fuzzer.submit(form, pairs, action)

        fuzz()
        fuzzer.double_submit(form)

    lists = list_parameters(site)
    assert CORE_LISTS <= set(lists), sorted(lists)
    if role == "site admin":
        assert "organisation" in lists.get("/admin/people/", ())
    fuzz_lists(fuzzer, lists)
    print(f"\n{role}: {len(site.forms)} forms, {len(lists)} lists, {len(site.pages)} pages crawled, "
          f"{fuzzer.sent} requests")
    assert not fuzzer.problems, "\n".join(fuzzer.problems[:40])
