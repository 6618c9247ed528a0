"""The kinds of rule; each module's ``KIND`` entry is registered here (``registry.KINDS``)."""

from annotator.rules.kinds import context, phrase, regex_kind, tagger, token
from annotator.rules.kinds.registry import KINDS, register

for _kind in (phrase.KIND, regex_kind.KIND, token.KIND, context.KIND, tagger.KIND):
    register(_kind)

__all__ = ["KINDS", "register"]
