"""The catalogue overview: every classification in the registry, newest version first in view."""

from __future__ import annotations

from kodeks.bootstrap import Kodeks
from kodeks.services import queries
from kodeks.web.contexts import ClassificationSummary, HomePage
from kodeks.web.visit import Visit


def home_page(kodeks: Kodeks, v: Visit) -> HomePage:
    known_at = v.when.known_at
    summaries = []
    for c in queries.list_classifications(kodeks.uow, known_at):
        versions = queries.versions(kodeks.uow, c.id, known_at)
        latest = versions[-1] if versions else None
        summaries.append(
            ClassificationSummary(
                c.id,
                c.title(v.lang),
                v.urls.classification(c.id),
                c.description,
                c.owner,
                c.licence,
                c.copyrighted,
                latest.label if latest else None,
                latest.release_date if latest else None,
                latest.item_count if latest else None,
            )
        )
    summaries.sort(key=lambda s: s.title.casefold())
    return HomePage(
        v.meta(v.t("catalog_title"), section="catalog"), tuple(summaries), v.urls.search().split("?")[0]
    )
