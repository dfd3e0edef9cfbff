"""Diagrams of a process as text: Mermaid flowcharts and Graphviz DOT.

Both functions work in three steps: the process (and, optionally, a trajectory to highlight) is
read into a small private model of nodes and edges, and that model is written as text. Nothing
is drawn and nothing is imported: paste the Mermaid text into a Markdown page that renders it,
or feed the DOT text to ``dot -Tsvg``.

Every state is a node with its label in the chosen locale and its id; an entry point marks the
initial state, a double circle each terminal state. Every transition is an edge per source,
labelled with its trigger's label and its guards' kinds in brackets; automatic regressions are
dashed. A highlighted trajectory's current state is filled, and when it is stalled (the process
can ``resume`` from it) the state it remembers is marked too.

Example:
    >>> import coopflow as cf
    >>> from coopflow.diagram import to_mermaid
    >>> states = (
    ...     cf.State("idea", {"en": "Idea", "nl": "Idee"}, initial=True),
    ...     cf.State("done", {"en": "Done", "nl": "Klaar"}, terminal=True),
    ... )
    >>> finish = cf.Transition("finish", "idea", "done", labels={"en": "Finish", "nl": "Afronden"})
    >>> print(to_mermaid(cf.Process("tiny", states, (finish,)), locale="nl"), end="")
    flowchart LR
        entry((" "))
        idea["Idee"]
        done((("Klaar")))
        entry --> idea
        idea -->|"Afronden"| done
        style entry fill:#000,stroke:#000
"""

from coopflow._diagram import to_dot, to_mermaid

__all__ = ["to_dot", "to_mermaid"]
