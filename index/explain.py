"""What a query's words are widened to, for the user to see (`newsmon search --explain`, `explain=1`)."""
from __future__ import annotations

from index.gazetteer import Gazetteer, load_gazetteer
from index.lexicon import Lexicon, load_lexicon
from index.query import And, Node, Not, Or, Phrase, Term, alias_runs, widenings


def explain(node: Node, gazetteer: Gazetteer | None = None, concepts: bool = True,
            lexicon: Lexicon | None = None) -> list[dict]:
    """What each word and phrase of a parsed query is widened to (words under an exclusion too):
    the entities and concepts it names and the forms added, as `expand` widens them."""
    gaz = gazetteer or load_gazetteer()
    lex = (lexicon or load_lexicon()) if concepts else None
    out = []
    for leaf in _leaves(node, gaz, lex):
        named = not leaf.exact
        out.append({"text": leaf.text, "field": leaf.field, "exact": leaf.exact,
                    "entities": [e.id for e in gaz.entities_for(leaf.text)] if named else [],
                    "concepts": [c.id for c in lex.concepts_for(leaf.text)] if named and lex else [],
                    "forms": widenings(leaf, gaz, lex)})
    return out


def _leaves(node: Node, gaz: Gazetteer, lex: Lexicon | None) -> list[Term]:
    """Words and phrases, each run of words naming an entity or a concept followed by its phrase."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return _leaves(node.child, gaz, lex)
    if isinstance(node, Or):
        return [t for c in node.children for t in _leaves(c, gaz, lex)]
    out: list[Term] = []
    for c in alias_runs(node.children, gaz, lex) if isinstance(node, And) else ():
        if isinstance(c, tuple):
            out += [*c, Phrase(" ".join(t.text for t in c), c[0].field)]
        else:
            out += _leaves(c, gaz, lex)
    return out
