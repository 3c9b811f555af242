"""The model pages' texts, Danish first (the UI speaks Danish by default), English on request."""

from __future__ import annotations

_TEXTS = {
    "models": ("Informationsmodeller", "Information models"),
    "models_intro": (
        "Begrebs-, informations- og datamodeller efter de fællesoffentlige modelregler.",
        "Concept, information and data models under the Danish model rules.",
    ),
    "search_models": ("Søg i modeller og klassifikationer", "Search models and classifications"),
    "search": ("Søg", "Search"),
    "name": ("Navn", "Name"),
    "version": ("Version", "Version"),
    "kind": ("Modeltype", "Model type"),
    "classes": ("Klasser", "Classes"),
    "attributes": ("Egenskaber", "Attributes"),
    "associations": ("Associationer", "Associations"),
    "enumerations": ("Enumerationer", "Enumerations"),
    "concepts": ("Begreber", "Concepts"),
    "instances": ("Instanser", "Instances"),
    "packages": ("Pakker", "Packages"),
    "versions": ("Versioner", "Versions"),
    "check": ("Tjek mod modelreglerne", "Check against the model rules"),
    "no_findings": ("Ingen fund.", "No findings."),
    "exports": ("Eksport", "Export"),
    "diagram": ("Klassediagram", "Class diagram"),
    "no_graphviz": (
        "Diagrammet kræver Graphviz, som ikke er installeret; klasserne står i listen nedenfor.",
        "The diagram needs Graphviz, which is not installed; the classes are listed below.",
    ),
    "definition": ("Definition", "Definition"),
    "type": ("Type", "Type"),
    "multiplicity": ("Multiplicitet", "Multiplicity"),
    "value_domain": ("Værdimængde", "Value domain"),
    "supertypes": ("Specialisering af", "Specialises"),
    "subtypes": ("Specialiseres af", "Specialised by"),
    "outgoing": ("Relationer", "Relations"),
    "incoming": ("Relationer hertil", "Relations to this"),
    "values": ("Værdier", "Values"),
    "tags": ("Tagged values", "Tagged values"),
    "stereotypes": ("Stereotyper", "Stereotypes"),
    "hits": ("Fund i modeller", "Found in models"),
    "classification_hits": ("Fund i klassifikationer", "Found in classifications"),
    "no_hits": ("Ingen fund.", "Nothing found."),
    "source": ("Kilde", "Source"),
    "usages": ("Modeller der bruger klassifikationen", "Models that use the classification"),
    "element": ("Element", "Element"),
    "model": ("Model", "Model"),
    "valid_at": ("Gyldig på", "Valid on"),
    "subpackages": ("Underpakker", "Sub-packages"),
    "alias": ("Alias", "Alias"),
}


def labels(lang: str) -> dict[str, str]:
    index = 0 if lang == "da" else 1
    return {key: pair[index] for key, pair in _TEXTS.items()}
