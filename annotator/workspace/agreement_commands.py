"""Agreement between annotators' own layers: what `annotator agreement` and the window show.

The store reads the layers a chunk of documents at a time (store/agreement_rows.py); the figures
are core/agreement.py's. Read only: nothing here changes the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.agreement import AgreementReport, compute_agreement
from annotator.core.errors import UsageError
from annotator.store import agreement_rows
from annotator.store.store import Store


class TooFewAnnotators(UsageError):
    """Agreement needs two annotators with something to compare."""


def agreement(
    store: Store, labels: Sequence[str] = (), annotators: Sequence[str] = ()
) -> AgreementReport:
    """The agreement of ``annotators`` (default: everyone with a layer of their own or an
    assignment) on ``labels`` (default: every label they used)."""
    known_labels = {label.name for label in store.labels.all()}
    unknown = [name for name in labels if name not in known_labels]
    if unknown:
        choices = ", ".join(sorted(known_labels))
        raise UsageError(f"no label {', '.join(unknown)} (labels: {choices})")
    with_layers = agreement_rows.layer_annotators(store.database)
    if annotators:
        names = list(dict.fromkeys(annotators))
        known = agreement_rows.annotator_ids(store.database, names)
        missing = [name for name in names if name not in known]
        if missing:
            raise UsageError(f"no annotator {', '.join(missing)}")
    else:
        names = with_layers
    if len(names) < 2:
        have = ", ".join(with_layers) or "nobody"
        raise TooFewAnnotators(
            f"agreement needs two annotators with assignments or spans of their own (have: {have})"
        )
    documents = agreement_rows.agreement_documents(store.database, names)
    report = compute_agreement(documents, names, labels)
    if report.documents == 0:
        raise TooFewAnnotators(
            f"{', '.join(names)} share no document: nothing to compare (assign the same "
            "documents to two of them, or compare others)"
        )
    return report
