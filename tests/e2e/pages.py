"""The pages every browser check visits: append a ``Page`` to ``PAGES`` to cover a new screen.

Each page is checked with axe-core (WCAG 2.1 A/AA) in chromium and with the Nu HTML checker,
once per interface language, signed out or signed in as the given demo account.

Paths may name demo records by key instead of by database id: ``{org[sreci-hnd]}`` is the id of
the organisation with that slug, ``{user[ceniss-hnd]}`` the id of the account whose e-mail
starts with ``ceniss-hnd@``, ``{commitment[ceniss-hnd]}`` the id of that organisation's first demo
commitment and ``{update[ceniss-hnd]}`` the latest progress update on it (see the ``demo_ids``
fixture). Add a mapping there for new kinds.
"""

from dataclasses import dataclass

from portal.demo.data import DEMO_ADMIN_EMAIL, DEMO_EMAIL_DOMAIN

#: Interface languages every page is checked in (the app's LANGUAGES).
LANGUAGES = ("es", "en")

#: Demo accounts used by the page checks. Never change these accounts' data (language,
#: password, role) in a test: the database is shared by the whole e2e session.
ADMIN = DEMO_ADMIN_EMAIL
ORG_ADMIN = f"sreci-hnd@{DEMO_EMAIL_DOMAIN}"
EDITOR = f"ceniss-hnd@{DEMO_EMAIL_DOMAIN}"
#: The IOM mission's account: follow-up staff who verify or question other organisations' updates.
IOM = f"oim-slv-gtm-hnd@{DEMO_EMAIL_DOMAIN}"
#: Reserved for the journeys (the language switch changes the account's language; the commitment
#: journey logs a commitment and reports progress): no page check uses it.
JOURNEY_OFFICIAL = f"dgpm-hnd@{DEMO_EMAIL_DOMAIN}"
#: Mexico's embassy: proposed as a partner of the demo's Migrant's Guide action, not yet answered (its
#: answer form is checked; the joint-action journey uses it too, and never answers that proposal).
PROPOSED_PARTNER = f"embamex-hnd@{DEMO_EMAIL_DOMAIN}"
#: Guatemala's foreign ministry, whose mobile consulates' deadline the demo renegotiated (page checks only).
EDITOR_OF_MINEX = f"minex-gtm@{DEMO_EMAIL_DOMAIN}"
#: The demo commitment the page checks use: CENISS's quarterly figures (owned by EDITOR's
#: organisation; public; an indicator; one verified and one pending update).
COMMITMENT = "{commitment[ceniss-hnd]}"


@dataclass(frozen=True)
class Page:
    """A page to check: its path, who views it (None: signed out) and the status it answers."""

    path: str
    account: str | None = None
    status: int = 200

    @property
    def id(self) -> str:
        who = self.account.split("@")[0] if self.account else "public"
        return f"{who}:{self.path}"

    def url(self, demo_ids: dict) -> str:
        """The path with the demo records' ids filled in."""
        return self.path.format(**demo_ids)

    def describe(self, lang: str) -> str:
        return f"{self.path} ({lang}, {self.account or 'signed out'})"


PAGES: list[Page] = [
    # Public pages
    Page("/"),
    Page("/account/login"),
    Page("/orgs/"),
    Page("/orgs/sreci-hnd"),
    Page("/countries/"),
    Page("/countries/HND"),
    Page("/countries/GTM"),
    # Country pages and home, signed in (partners-only items, figures counting them); the IOM's context-figure forms.
    Page("/", EDITOR),
    Page("/countries/HND", IOM),
    Page("/countries/HND/figures/new", IOM),
    Page("/countries/HND/figures/{figure[HND]}/edit", IOM),
    Page("/orgs/no-such-organisation", status=404),
    Page("/commitments/"),
    # Charts as the public sees them: the symposium's scorecard, a commitment's indicator.
    Page("/symposia/tegucigalpa-corresponsabilidad"),
    Page(f"/commitments/{COMMITMENT}"),
    # Signed-in pages
    Page("/account/", EDITOR),
    Page("/account/password", EDITOR),
    # Accounts: the forgotten-password form and a dead link; setting up two-step sign-in (its QR code);
    # the audit trail, whole and filtered. (The code step and the recovery codes: test_sign_in_steps.py.)
    Page("/account/reset"),
    Page("/account/reset/not-a-real-token", status=404),
    Page("/account/mfa", EDITOR),
    Page("/admin/audit/", ADMIN),
    Page("/admin/audit/?record_type=users&since=2020-01-01", ADMIN),
    # The organisation's dashboard: an editor's (action links) and the IOM mission's.
    Page("/dashboard", EDITOR),
    Page("/dashboard", IOM),
    # Commitments, signed in (pages that show more than the public sees): a filtered list with
    # partners-only items and follow-up flags; a page with progress, a verified and a pending
    # update, and the owner's buttons; the owner's forms; the IOM's review form.
    Page("/commitments/?flag=overdue&sort=title", EDITOR),
    Page(f"/commitments/{COMMITMENT}", EDITOR),
    Page("/commitments/new", EDITOR),
    # Importing commitments from a table, and the proposals drafted for other organisations.
    Page("/commitments/import", EDITOR),
    Page("/commitments/proposals", EDITOR),
    Page("/commitments/proposals", IOM),
    Page(f"/commitments/{COMMITMENT}/edit", EDITOR),
    Page(f"/commitments/{COMMITMENT}/updates/new", EDITOR),
    Page(f"/commitments/{COMMITMENT}/updates/{{update[ceniss-hnd]}}/review", IOM),
    Page("/admin/people/", ORG_ADMIN),
    Page("/admin/people/invite", ORG_ADMIN),
    Page("/admin/people/", ADMIN),
    Page("/admin/people/{user[ceniss-hnd]}/edit", ADMIN),
    Page("/admin/organisations/", ADMIN),
    Page("/admin/organisations/new", ADMIN),
    Page("/admin/organisations/{org[sreci-hnd]}/edit", ADMIN),
    # Minutes: the list; the approved symposium minutes, their revisions and the comparison of the two,
    # as the public and as their IOM author; the circulated follow-up minutes as an attending editor
    # (endorse button, comment form); the minutes form, the revision form, an action item's conversion.
    Page("/minutes/"),
    Page("/minutes/{minutes[symposium]}"),
    Page("/minutes/{minutes[symposium]}/revisions"),
    Page("/minutes/{minutes[symposium]}/compare?old=1&new=2"),
    Page("/minutes/{minutes[symposium]}", IOM),
    Page("/minutes/{minutes[follow-up]}", EDITOR),
    Page("/minutes/new", EDITOR),
    Page("/minutes/{minutes[symposium]}/revise", IOM),
    Page("/minutes/{minutes[symposium]}/actions/{minutes[item-ceniss-hnd]}/commitment", EDITOR),
    Page("/actions/from-minutes/{minutes[symposium]}/items/{minutes[item-ceniss-hnd]}", EDITOR),
    # Joint actions: the list (filtered), an action page and the corridor, as the public; the consular
    # project as its lead (buttons, proposals, history), its forms and plan; a party's own forms (the IOM's
    # share); the IOM's review of another party's update; a pending proposal's answer form (Mexico's embassy).
    Page("/actions/"),
    Page("/actions/?country=MEX&country_role=transit&status=in_progress"),
    Page("/actions/{action[oim-slv-gtm-hnd]}"),
    Page("/corridors/HND-MEX"),
    Page("/actions/{action[sreci-hnd]}", ORG_ADMIN),
    Page("/actions/new", EDITOR),
    Page("/actions/{action[sreci-hnd]}/edit", ORG_ADMIN),
    Page("/actions/{action[sreci-hnd]}/plan", ORG_ADMIN),
    Page("/actions/{action[sreci-hnd]}/parties/new", ORG_ADMIN),
    Page("/actions/{action[sreci-hnd]}/parties/{party[sreci-hnd.oim-slv-gtm-hnd]}/edit", IOM),
    Page("/actions/{action[sreci-hnd]}/parties/{party[sreci-hnd.oim-slv-gtm-hnd]}/updates/new", IOM),
    Page("/actions/{action[sreci-hnd]}/parties/{party[sreci-hnd.embamex-hnd]}/updates/"
         "{party_update[sreci-hnd.embamex-hnd]}/review", IOM),
    Page("/actions/{action[oim-slv-gtm-hnd]}/parties/{party[oim-slv-gtm-hnd.embamex-hnd]}/respond", PROPOSED_PARTNER),
    # Follow-up: the IOM board (filtered, sorted) and the update request forms for a commitment and a party's share;
    # the DGPM's guide distribution shows an answered request and the IOM's "Request an update" link.
    Page("/followup", IOM),
    Page("/followup?country=HND&sort=silent", IOM),
    Page("/followup", ADMIN),
    Page("/commitments/{commitment[dgpm-hnd]}", IOM),
    Page(f"/commitments/{COMMITMENT}/request-update", IOM),
    Page("/actions/{action[sreci-hnd]}/parties/{party[sreci-hnd.embamex-hnd]}/request-update", IOM),
    # Co-responsibility in depth: the crosswalk, a renegotiated deadline, and the framework lists' administration.
    Page("/frameworks/"),
    Page("/frameworks/gcm/21"),
    Page("/frameworks/sdg/10.7", EDITOR),
    Page("/commitments/{commitment[minex-gtm]}"),
    Page("/commitments/{commitment[minex-gtm]}/edit", EDITOR_OF_MINEX),
    Page("/admin/frameworks/", ADMIN),
    Page("/symposia/san-salvador-seguimiento/report"),
    Page("/symposia/tegucigalpa-corresponsabilidad/report", IOM),
    Page("/symposia/tegucigalpa-corresponsabilidad", IOM),
    Page("/symposia/tegucigalpa-corresponsabilidad/files/new", IOM),
    # Symposia in two languages: the list, and the side-by-side forms of the symposium and its programme.
    Page("/symposia/"),
    Page("/symposia/tegucigalpa-corresponsabilidad/edit", IOM),
    Page("/symposia/tegucigalpa-corresponsabilidad/programme", IOM),
    Page("/actions/{action[sreci-hnd]}/dates/propose", ORG_ADMIN),
    # Open data: the datasets page (with its JSON-LD) and the API reference.
    Page("/data"),
    Page("/api/"),
]
