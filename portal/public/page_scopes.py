"""Which cached pages a context figure can change (see ``portal.core.cache_generations``): its country's page only."""

from sqlalchemy import inspect

from portal.core.cache_generations import pages_changed_by
from portal.public.models import ContextFigure


def _figure_scopes(figure: ContextFigure) -> set[str]:
    countries = {figure.country_iso3, *inspect(figure).attrs.country_iso3.history.deleted}
    return {f"country:{code}" for code in countries if code}


pages_changed_by(ContextFigure.__tablename__, _figure_scopes)
