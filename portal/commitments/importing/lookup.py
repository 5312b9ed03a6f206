"""Matching the names in a file to the portal's organisations, symposia, themes, statuses and framework tags:
by code or by name in either language, without case or accents; an unknown value names the closest known ones."""

import difflib

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.commitments.importing.columns import normalise
from portal.commitments.models import Theme
from portal.core.permissions import VISIBILITY_LABELS, Visibility
from portal.extensions import db
from portal.frameworks.models import FrameworkTag
from portal.organisations.models import Organisation
from portal.progress.models import STATUS_LABELS
from portal.symposia.models import Symposium


class Vocabulary:
    """Known values of one kind, keyed by each of their names; ``find`` answers (value, error)."""

    def __init__(self, what):
        self.what = what
        self.by_key: dict[str, object] = {}
        self.shown: dict[str, str] = {}

    def add(self, value, *names) -> None:
        for name in names:
            if name:
                self.by_key.setdefault(normalise(str(name)), value)
                self.shown.setdefault(normalise(str(name)), str(name))

    def find(self, text: str):
        """The value named by ``text``, or (None, a message naming the closest known values)."""
        if (value := self.by_key.get(normalise(text))) is not None:
            return value, None
        close = difflib.get_close_matches(normalise(text), list(self.by_key), n=3, cutoff=0.6)
        if close:
            names = "; ".join(f"\u201c{self.shown[key]}\u201d" for key in close)
            return None, _l("Unknown %(what)s \u201c%(value)s\u201d. Did you mean %(names)s?",
                            what=self.what, value=text, names=names)
        return None, _l("Unknown %(what)s \u201c%(value)s\u201d.", what=self.what, value=text)


def _both(labels: dict) -> dict:
    names = {}
    for language in ("en", "es"):
        with force_locale(language):
            for code, label in labels.items():
                names.setdefault(code, []).append(str(label))
    return names


class References:
    """Every vocabulary an import matches against, read once per file."""

    def __init__(self):
        self.organisations = Vocabulary(_l("organisation"))
        for org in db.session.scalars(select(Organisation).where(Organisation.is_active.is_(True))):
            self.organisations.add(org, org.slug, org.name, org.name_en, org.acronym)
        self.symposia = Vocabulary(_l("symposium"))
        for symposium in db.session.scalars(select(Symposium)):
            self.symposia.add(symposium, symposium.slug, symposium.title_es, symposium.title_en)
        self.themes = Vocabulary(_l("theme"))
        for theme in db.session.scalars(select(Theme).where(Theme.is_active.is_(True))):
            self.themes.add(theme, theme.code, theme.name_es, theme.name_en)
        self.tags = Vocabulary(_l("international framework"))
        for tag in db.session.scalars(select(FrameworkTag).where(FrameworkTag.is_active.is_(True))):
            self.tags.add(tag, tag.slug, tag.name_es, tag.name_en, *_both({tag.slug: tag.label})[tag.slug])
        self.statuses = Vocabulary(_l("status"))
        for code, names in _both(STATUS_LABELS).items():
            self.statuses.add(str(code), str(code), *names)
        self.visibilities = Vocabulary(_l("visibility"))
        for code, names in _both(VISIBILITY_LABELS).items():
            self.visibilities.add(str(code), str(code), *names)
        # The short words a person types in a spreadsheet, beside the labels of the form.
        for code, words in {Visibility.PUBLIC: ("público", "pública"), Visibility.PARTNERS: ("socios", "socias"),
                            Visibility.PARTIES: ("partes",)}.items():
            self.visibilities.add(str(code), *words, *(str(label).split(":")[0] for label in
                                                        _both({code: VISIBILITY_LABELS[code]})[code]))

    def find_many(self, vocabulary: Vocabulary, text: str):
        """Values separated by ";" (as the exports write them): (values, first error or None)."""
        found = []
        for part in (piece.strip() for piece in text.replace("\n", ";").split(";")):
            if not part:
                continue
            value, error = vocabulary.find(part)
            if error:
                return found, error
            if value not in found:
                found.append(value)
        return found, None
