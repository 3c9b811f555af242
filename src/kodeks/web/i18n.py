"""Every UI string, in Danish (the default) and English, in one table; and how values are shown.

The language comes from ``?lang=en`` (which also sets a cookie), else the ``kodeks_lang`` cookie,
else Danish. ``t(key, **values)`` returns plain text: templates escape it like any other value.
Dates are shown in ISO form (``2012-05-01``), the same as in every permalink.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from kodeks.domain.period import Period
from kodeks.web.requirements.strings import STRINGS as _REQUIREMENT_STRINGS


def _part_strings() -> dict[str, tuple[str, str]]:
    """The strings of the parts with their own table; a key may not replace one of this table's."""
    clash = sorted(set(_REQUIREMENT_STRINGS) & set(STRINGS))
    if clash:
        raise RuntimeError(f"UI strings defined twice: {', '.join(clash)}")
    return _REQUIREMENT_STRINGS


LANGS = ("da", "en")
DEFAULT = "da"
COOKIE = "kodeks_lang"

STRINGS: dict[str, tuple[str, str]] = {
    # layout
    "skip_to_content": ("Gå til indholdet", "Skip to content"),
    "tagline": ("klassifikationer i den offentlige sektor", "classifications of the Danish public sector"),
    "nav_main": ("Hovedmenu", "Main menu"),
    "nav_catalog": ("Katalog", "Catalogue"),
    "nav_search": ("Søg", "Search"),
    "nav_api": ("API", "API"),
    "nav_breadcrumbs": ("Du er her", "You are here"),
    "other_language": ("English", "Dansk"),
    "footer_about": (
        "Kodeks er et åbent, bitemporalt register over de klassifikationer, kommunerne deler.",
        "Kodeks is an open, bitemporal registry of the classifications Danish municipalities share.",
    ),
    "footer_api": ("API-dokumentation", "API documentation"),
    "known_at_notice": (
        "Du ser registret, som det var registreret {known_at}.",
        "You are looking at the registry as recorded at {known_at}.",
    ),
    # dates and the date picker
    "show_as_of": ("Vis som den var", "Show as of"),
    "show": ("Vis", "Show"),
    "show_today": ("Vis i dag", "Show today"),
    "always": ("altid", "always"),
    "since": ("fra {start}", "from {start}"),
    # end dates are exclusive: the last day a period holds is shown, "til og med" (through)
    "until": ("til og med {last}", "through {last}"),
    "between": ("fra {start} til og med {last}", "from {start} through {last}"),
    "open_start": ("altid", "always"),
    # catalog
    "catalog_title": ("Klassifikationskatalog", "Classification catalogue"),
    "catalog_heading": ("Klassifikationskatalog", "Classification catalogue"),
    "catalog_lead": (
        "Find de klassifikationer, kommunerne deler, se hvordan de så ud på en given dato, og hent dem "
        "i åbne formater.",
        "Find the classifications Danish municipalities share, see them as they were on any date, "
        "and download them in open formats.",
    ),
    "classifications_heading": ("Klassifikationer ({count})", "Classifications ({count})"),
    "latest_version": ("Seneste version", "Latest version"),
    "n_items": ("{count} koder", "{count} codes"),
    "catalog_empty": (
        "Registret er tomt. Indlæs data med »kodeks import« eller »kodeks demo«.",
        "The registry is empty. Load data with 'kodeks import' or 'kodeks demo'.",
    ),
    "owner": ("Ejer", "Owner"),
    "publisher": ("Udgiver", "Publisher"),
    "licence": ("Licens", "Licence"),
    "copyright": ("Ophavsret", "Copyright"),
    "copyrighted_note": (
        "Indholdet er ophavsretligt beskyttet af ejeren; læs ejerens vilkår før videregivelse.",
        "The content is the owner's copyright; read the owner's terms before passing it on.",
    ),
    "identifier": ("Identifikator", "Identifier"),
    # catalogue entries (DCAT-AP-DK)
    "external_heading": (
        "Andre klassifikationer i kataloget ({count})",
        "Other classifications in the catalogue ({count})",
    ),
    "external_lead": (
        "Kodeks har ikke deres koder, men fortæller, hvor de findes.",
        "Kodeks does not hold their codes but tells where to find them.",
    ),
    "catalog_entry": ("Katalogoplysninger", "Catalogue entry"),
    "kind_registry": ("i registret", "in the registry"),
    "kind_external": ("ekstern", "external"),
    "show_classification": ("Se koderne i Kodeks", "See the codes in Kodeks"),
    "themes": ("Temaer", "Themes"),
    "used_by": ("Bruges af", "Used by"),
    "related": ("Relaterede", "Related"),
    "distributions": ("Hent og adgang", "Downloads and access"),
    "rights": ("Rettigheder", "Rights"),
    "access": ("Adgang", "Access"),
    "access_PUBLIC": ("offentlig", "public"),
    "access_RESTRICTED": ("begrænset", "restricted"),
    "access_NON_PUBLIC": ("ikke offentlig", "not public"),
    "subject_area": ("Emneområde", "Subject area"),
    "frequency": ("Opdateres", "Updated"),
    "frequency_ANNUAL": ("årligt", "annually"),
    "frequency_BIENNIAL": ("hvert andet år", "every two years"),
    "frequency_TRIENNIAL": ("hvert tredje år", "every three years"),
    "frequency_QUARTERLY": ("kvartalsvis", "quarterly"),
    "frequency_MONTHLY": ("månedligt", "monthly"),
    "frequency_WEEKLY": ("ugentligt", "weekly"),
    "frequency_DAILY": ("dagligt", "daily"),
    "frequency_CONT": ("løbende", "continuously"),
    "frequency_IRREG": ("uregelmæssigt", "irregularly"),
    "frequency_NEVER": ("aldrig", "never"),
    "frequency_UNKNOWN": ("ukendt", "unknown"),
    "frequency_OTHER": ("andet", "other"),
    "status": ("Status", "Status"),
    "status_Completed": ("færdig", "completed"),
    "status_UnderDevelopment": ("under udvikling", "under development"),
    "status_Deprecated": ("forældet", "deprecated"),
    "status_Withdrawn": ("trukket tilbage", "withdrawn"),
    "issued": ("Første gang udgivet", "First issued"),
    "modified": ("Senest ændret", "Last modified"),
    "contact": ("Kontakt", "Contact"),
    "contact_page": ("Kontaktside", "Contact page"),
    "landing_page": ("Hjemmeside", "Landing page"),
    "dcat_json": ("Posten som JSON (DCAT-AP-DK)", "The entry as JSON (DCAT-AP-DK)"),
    "email": ("E-mail", "E-mail"),
    # editor screens (governance workflow)
    "nav_editor": ("Redaktion", "Editing"),
    "editor_title": ("Redaktion", "Editing"),
    "login_title": ("Log ind som redaktør", "Sign in as an editor"),
    "login_lead": (
        "Redaktører og godkendere logger ind med deres Kodeks-nøgle (API-token).",
        "Editors and reviewers sign in with their Kodeks API token.",
    ),
    "login_token": ("Nøgle (API-token)", "Token (API token)"),
    "login_get_token": (
        "Har du ingen nøgle? En administrator eller ejer i din organisation udsteder den med "
        "»kodeks governance tokens issue BRUGER --name FORMÅL« (den vises én gang). Kører du demoen, "
        "står demo-redaktørens og demo-godkenderens nøgler i filen kodeks-demo-tokens.txt.",
        "No token? An administrator or owner in your organisation issues one with "
        "'kodeks governance tokens issue USER --name PURPOSE' (it is shown once). In the demo, the demo "
        "editor's and reviewer's tokens are in the file kodeks-demo-tokens.txt.",
    ),
    "login_button": ("Log ind", "Sign in"),
    "login_hint": (
        "Nøglen gemmes kun i en sikker cookie i denne browser, til du logger ud (højst 8 timer).",
        "The token is kept only in a secure cookie in this browser until you sign out (8 hours at most).",
    ),
    "login_failed": (
        "Nøglen er ikke gyldig, er udløbet eller er trukket tilbage.",
        "The token is not valid, has expired or has been revoked.",
    ),
    "login_needed": ("Log ind for at fortsætte.", "Sign in to continue."),
    "logout": ("Log ud", "Sign out"),
    "signed_in_as": ("Logget ind som {user}.", "Signed in as {user}."),
    "no_roles": (
        "Du har ingen roller på klassifikationer endnu. Bed en ejer om en rolle.",
        "You have no role on any classification yet. Ask an owner for one.",
    ),
    "change_sets_of": ("Ændringssæt for {title}", "Change sets of {title}"),
    "change_set": ("Ændringssæt", "Change set"),
    "change_set_title": ("{title} ({label})", "{title} ({label})"),
    "no_change_sets": ("Ingen ændringssæt endnu.", "No change sets yet."),
    "new_draft": ("Nyt udkast", "New draft"),
    "draft_title": ("Hvad ændres (titel)", "What changes (title)"),
    "version_label": ("Versionsnavn", "Version label"),
    "effective": ("Gælder fra", "Takes effect"),
    "open_draft": ("Opret udkast", "Open the draft"),
    "title_and_label_required": ("Skriv en titel og et versionsnavn.", "Give a title and a version label."),
    "state": ("Status", "State"),
    "state_draft": ("udkast", "draft"),
    "state_submitted": ("indsendt", "submitted"),
    "state_approved": ("godkendt", "approved"),
    "state_published": ("udgivet", "published"),
    "state_rejected": ("afvist", "rejected"),
    "author": ("Forfatter", "Author"),
    "reviewer": ("Godkender", "Reviewer"),
    "published_by": ("Udgivet af", "Published by"),
    "reason": ("Begrundelse", "Reason"),
    "see_published": ("Se den udgivne version", "See the published version"),
    "entries": ("Ændrede koder", "Changed codes"),
    "no_entries": ("Udkastet har ingen koder endnu.", "The draft has no codes yet."),
    "now": ("Nu", "Now"),
    "after_change": ("Efter ændringen", "After the change"),
    "actions": ("Handlinger", "Actions"),
    "new_code_marker": ("(ny kode)", "(new code)"),
    "expires_on": ("udløber {day}", "expires {day}"),
    "edit": ("Ret", "Edit"),
    "drop": ("Fjern", "Remove"),
    "edit_code": ("Tilføj eller ret en kode", "Add or edit a code"),
    "save_code": ("Gem koden i udkastet", "Save the code in the draft"),
    "code_required": ("Skriv en kode.", "Give a code."),
    "title_required": ("Koden skal have en dansk titel.", "The code needs a Danish title."),
    "expire_code": ("Lad en kode udløbe", "Let a code expire"),
    "expires_date": (
        "Udløbsdato (første dag, koden ikke gælder)",
        "Expiry date (first day the code no longer applies)",
    ),
    "expire_which": ("Kode, der skal udløbe", "Code to expire"),
    "expire_button": ("Lad koden udløbe", "Let the code expire"),
    "workflow": ("Godkendelse og udgivelse", "Review and publication"),
    "submit_hint": (
        "Når udkastet er færdigt, sendes det til en godkender.",
        "When the draft is done, send it to a reviewer.",
    ),
    "submit_button": ("Indsend til godkendelse", "Submit for review"),
    "approve_note": ("Bemærkning (valgfri)", "Note (optional)"),
    "approve_button": ("Godkend", "Approve"),
    "publish_note": ("Bemærkning til udgivelsen", "Publication note"),
    "publish_button": ("Udgiv som ny version", "Publish as a new version"),
    "reject_reason": ("Begrundelse for afvisning", "Reason for rejecting"),
    "reject_button": ("Afvis", "Reject"),
    "refused": ("Ikke udført", "Not done"),
    "msg_opened": (
        "Udkastet er oprettet. Tilføj eller ret koder nedenfor.",
        "The draft is open. Add or edit codes below.",
    ),
    "msg_saved": ("Koden er gemt i udkastet.", "The code is saved in the draft."),
    "msg_expired_code": (
        "Koden udløber, når udkastet udgives.",
        "The code will expire when the draft is published.",
    ),
    "msg_dropped": ("Koden er fjernet fra udkastet.", "The code is removed from the draft."),
    "msg_submitted": ("Udkastet er sendt til godkendelse.", "The draft has been submitted for review."),
    "msg_approved": (
        "Ændringssættet er godkendt og kan udgives.",
        "The change set is approved and can be published.",
    ),
    "msg_rejected": ("Ændringssættet er afvist.", "The change set has been rejected."),
    "msg_published": (
        "Ændringssættet er udgivet som en ny version.",
        "The change set is published as a new version.",
    ),
    "refusal_not_draft": (
        "Ændringssæt {a} er {b}; kun et udkast kan ændres.",
        "Change set {a} is {b}; only a draft can be changed.",
    ),
    "refusal_submitted_meanwhile": (
        "Ændringssæt {a} er sendt til godkendelse imens; kun et udkast kan ændres.",
        "Change set {a} was submitted meanwhile; only a draft can be changed.",
    ),
    "refusal_empty": (
        "Ændringssæt {a} er tomt; tilføj koder, før det indsendes.",
        "Change set {a} is empty; add codes before submitting it.",
    ),
    "refusal_code_exists": (
        "{a} har allerede koden »{b}«; ret den i stedet.",
        "{a} has the code “{b}” already; edit it instead.",
    ),
    "refusal_four_eyes_approve": (
        "Fire øjne: {a} har skrevet ændringssæt {b} og må ikke selv godkende det.",
        "Four eyes: {a} wrote change set {b} and may not approve it.",
    ),
    "refusal_four_eyes_publish": (
        "Fire øjne: {a} har skrevet ændringssæt {b} og må ikke selv udgive det.",
        "Four eyes: {a} wrote change set {b} and may not publish it.",
    ),
    "refusal_stale": (
        "{a} er ændret, siden du hentede siden. Hent den igen, og gentag din ændring.",
        "{a} has changed since you read it. Read it again and reapply your edit.",
    ),
    "refusal_no_role": (
        "{a} har ingen rolle, der tillader dette ({b}) på {c}.",
        "{a} has no role that allows this ({b}) on {c}.",
    ),
    "refusal_may_not": (
        "{a} må ikke gøre dette ({b}) på {c}: {d}.",
        "{a} may not do this ({b}) on {c}: {d}.",
    ),
    "refusal_parent": (
        "Den overordnede kode »{a}« for {b} findes ikke den {c}.",
        "The parent code “{a}” of {b} does not exist on {c}.",
    ),
    "refusal_unknown_parent": (
        "Koden »{a}« har en overordnet kode, der ikke findes: »{b}«.",
        "The code “{a}” has a parent that does not exist: “{b}”.",
    ),
    "refusal_cycle": ("Hierarkiet går i ring: {a}.", "The hierarchy goes round in a circle: {a}."),
    "refusal_unauthorized": ("Log ind igen.", "Sign in again."),
    "refusal_forbidden": ("Du har ikke lov til dette.", "You are not allowed to do this."),
    "refusal_conflict": (
        "Det kan ikke lade sig gøre i ændringssættets nuværende tilstand.",
        "This cannot be done in the change set's present state.",
    ),
    "refusal_not_found": ("Det findes ikke (længere).", "It does not exist (any more)."),
    "refusal_invalid": (
        "Oplysningerne kan ikke bruges; ret dem og prøv igen.",
        "The values cannot be used; correct them and try again.",
    ),
    "refusal_other": ("Det blev ikke udført.", "It was not done."),
    "error_401": ("Log ind først", "Sign in first"),
    "error_403": ("Ikke tilladt", "Not allowed"),
    "error_409": ("Konflikt", "Conflict"),
    # catalogue editing
    "new_entry": ("Ny ekstern katalogpost", "New external catalogue entry"),
    "edit_entry": ("Ret katalogposten", "Edit the catalogue entry"),
    "edit_entry_title": ("Katalogpost: {title}", "Catalogue entry: {title}"),
    "entry_id": ("Id (a-z, 0-9 og bindestreg)", "Id (a-z, 0-9 and hyphen)"),
    "description_in": ("Beskrivelse ({lang})", "Description ({lang})"),
    "one_per_line": ("én pr. linje", "one per line"),
    "url_then_title": ("én pr. linje: adresse, mellemrum, titel", "one per line: address, space, title"),
    "related_hint": ("én pr. linje: katalog-id eller adresse", "one per line: catalogue id or address"),
    "save_entry": ("Gem katalogposten", "Save the catalogue entry"),
    "cancel": ("Fortryd", "Cancel"),
    "msg_entry_saved": ("Katalogposten er gemt.", "The catalogue entry is saved."),
    # search
    "search_title": ("Søg", "Search"),
    "search_heading": ("Søg i klassifikationer og koder", "Search classifications and codes"),
    "search_label": ("Søg efter emne, ord eller kode", "Search for a subject, word or code"),
    "search_button": ("Søg", "Search"),
    "classification": ("Klassifikation", "Classification"),
    "all_classifications": ("Alle klassifikationer", "All classifications"),
    "level": ("Niveau", "Level"),
    "valid_on": ("Gyldig på dato", "Valid on date"),
    "include_expired": ("Medtag udgåede koder", "Include expired codes"),
    "n_results": ("{count} resultater for »{q}«", "{count} results for “{q}”"),
    "showing": ("Viser {first}–{last} af {total}", "Showing {first}–{last} of {total}"),
    "previous_page": ("Forrige side", "Previous page"),
    "next_page": ("Næste side", "Next page"),
    "pages": ("Sider", "Pages"),
    "facets": ("Fordelt på klassifikationer", "By classification"),
    "all_facets": ("alle", "all"),
    "matched_in_alt": ("fundet i en anden titel", "found in another title"),
    "matched_in_keywords": ("fundet i stikord", "found in the keywords"),
    "matched_in_body": ("fundet i beskrivelse eller vejledning", "found in the description or guidance"),
    "no_results": (
        "Ingen resultater. Prøv et andet ord, en kortere kode eller medtag udgåede koder.",
        "No results. Try another word, a shorter code, or include expired codes.",
    ),
    "search_unavailable": (
        "Søgningen er ikke tilgængelig i denne installation endnu.",
        "Search is not available in this installation yet.",
    ),
    # classification page
    "hierarchy_as_of": ("Hierarki pr. {day}", "Hierarchy as of {day}"),
    "tree_hint": (
        "Åbn et punkt med knappen foran det (Enter eller mellemrum); titlen fører til koden.",
        "Open an entry with the button in front of it (Enter or Space); the title leads to the code.",
    ),
    "expand_children": ("Underpunkter til {code}", "Entries under {code}"),
    "show_more": ("Vis flere ({count} tilbage)", "Show more ({count} left)"),
    "no_items_at": ("Ingen koder var gyldige {day}.", "No codes were valid on {day}."),
    "downloads": ("Hent", "Download"),
    "downloads_note": (
        "Hele klassifikationen, som den var {day}.",
        "The whole classification as it was on {day}.",
    ),
    "levels": ("Niveauer", "Levels"),
    "compare_dates": ("Sammenlign to datoer", "Compare two dates"),
    "model_usages": ("Bruges i informationsmodeller", "Used in information models"),
    "model_usage_model": ("Model", "Model"),
    "model_usage_element": ("Element", "Element"),
    "model_usage_valid_at": ("Gyldig på", "Valid on"),
    "model_impact": (
        "Ændringen fra {from_date} til {to_date} rammer disse værdimængder:",
        "The change from {from_date} to {to_date} affects these value domains:",
    ),
    "model_impact_none": (
        "Ingen ændring fra {from_date} til {to_date}.",
        "No change from {from_date} to {to_date}.",
    ),
    "model_impact_details": ("Ændringerne", "The changes"),
    "from_date": ("Fra dato", "From date"),
    "to_date": ("Til dato", "To date"),
    "compare": ("Sammenlign", "Compare"),
    "versions": ("Versioner", "Versions"),
    "versions_caption": ("Versioner af {title}", "Versions of {title}"),
    "version": ("Version", "Version"),
    "release_date": ("Udgivet", "Released"),
    "governs": ("Gælder", "Governs"),
    "kind": ("Art", "Kind"),
    "items_count": ("Koder", "Codes"),
    "recorded": ("Registreret", "Recorded"),
    "changes": ("Ændringer", "Changes"),
    "kind_snapshot": ("øjebliksbillede", "snapshot"),
    "kind_history": ("med historik", "with history"),
    "kind_patch": ("rettelse", "patch"),
    "changes_since_previous": ("siden forrige", "since the previous"),
    # item page
    "valid": ("Gyldig", "Valid"),
    "expired_badge": ("udgået {day}", "expired {day}"),
    "guidance": ("Vejledning", "Guidance"),
    "note": ("Note", "Note"),
    "history": ("Historik", "History"),
    "full_history": ("Hele historikken med registreringer", "Full history with recordings"),
    "legal_refs": ("Retsgrundlag", "Legal references"),
    "keywords": ("Stikord", "Keywords"),
    "keywords_by_weight": (
        "De vigtigste først (efter kildens vægtning).",
        "The most important first (by the source's weighting).",
    ),
    "place": ("Placering", "Place"),
    "parent": ("Overordnet", "Parent"),
    "parents": ("Overordnede", "Parents"),
    "groups": ("Grupper", "Groups"),
    "texts": ("Definitioner og noter", "Definitions and notes"),
    "text_definition": ("Definition", "Definition"),
    "text_scopeNote": ("Anvendelsesnote", "Scope note"),
    "text_note": ("Note", "Note"),
    "text_example": ("Eksempel", "Example"),
    "text_historyNote": ("Historisk note", "History note"),
    "text_editorialNote": ("Redaktionel note", "Editorial note"),
    "text_changeNote": ("Ændringsnote", "Change note"),
    "concept_created": ("Begreb oprettet", "Concept created"),
    "concept_modified": ("Begreb ændret", "Concept modified"),
    "groups_title": ("Grupper i {name}", "Groups in {name}"),
    "group_members": ("Medlemmer", "Members"),
    "subgroups": ("Undergrupper", "Subgroups"),
    "no_groups": ("Klassifikationen har ingen grupper.", "The classification has no groups."),
    "alphabet_title": ("Alfabetisk indeks: {name}", "Alphabetical index: {name}"),
    "alphabet_language": ("Sprog", "Language"),
    "alphabet_letters": ("Begyndelsesbogstaver", "Initial letters"),
    "alphabet_alt": ("brug", "use"),
    "alphabet_link": ("Alfabetisk indeks", "Alphabetical index"),
    "browse": ("Gennemse", "Browse"),
    "top_level": ("øverste niveau", "top level"),
    "children": ("Underpunkter", "Children"),
    "none": ("ingen", "none"),
    "predecessors": ("Afløser", "Replaces"),
    "successors": ("Afløst af", "Replaced by"),
    "successors_now": ("Gyldig i dag som", "Valid today as"),
    "show_in_tree": ("Vis i hierarkiet", "Show in the hierarchy"),
    "details": ("Detaljer", "Details"),
    "title_in": ("Titel ({lang})", "Title ({lang})"),
    "alt_title_in": ("Anden titel ({lang})", "Other title ({lang})"),
    "property_bevaring": ("Bevaring (arkivloven)", "Preservation (Archives Act)"),
    "property_sletning": ("Sletning (persondataloven)", "Deletion (data protection)"),
    "property_oprettet": ("Oprettet", "Created"),
    "property_rettet": ("Rettet", "Amended"),
    "property_historisk": ("Status", "Status"),
    "property_filtre": ("Filtre", "Filters"),
    "property_withdrawn": ("Trukket tilbage", "Withdrawn"),
    "property_notation": ("Kortkode", "Short code"),
    # timeline and history
    "event_created": ("Oprettet", "Created"),
    "event_renamed": ("Omdøbt", "Renamed"),
    "event_moved": ("Flyttet", "Moved"),
    "event_changed": ("Indhold ændret", "Content changed"),
    "event_expired": ("Udgået", "Expired"),
    "event_reinstated": ("Genoptaget", "Reinstated"),
    "from_to": ("»{old}« → »{new}«", "“{old}” → “{new}”"),
    "moved_from_to": ("fra {old} til {new}", "from {old} to {new}"),
    "replaced_by": ("afløst af", "replaced by"),
    "show_then": ("vis", "show"),
    "history_title": ("Historik for {code}", "History of {code}"),
    "history_of": ("Historik: {code} {title}", "History: {code} {title}"),
    "back_to_item": ("Tilbage til koden", "Back to the code"),
    "timeline": ("Tidslinje", "Timeline"),
    "timeline_hint": (
        "Hvad der skete med koden i gyldighedstid (virkning).",
        "What happened to the code in valid time.",
    ),
    "valid_periods": ("Gyldighedsperioder", "Valid periods"),
    "valid_periods_caption": ("Perioder som registreret nu", "Periods as recorded now"),
    "corrections": ("Tidligere registreringer", "Earlier recordings"),
    "corrections_hint": (
        "Registreringer, som senere er erstattet (registreringstid).",
        "Recordings that were later replaced (recorded time).",
    ),
    "corrections_caption": ("Erstattede registreringer", "Replaced recordings"),
    "no_corrections": ("Ingen registreringer er erstattet.", "No recording has been replaced."),
    "title": ("Titel", "Title"),
    "recorded_from": ("Registreret fra", "Recorded from"),
    "recorded_to": ("Registreret til", "Recorded until"),
    "still_held": ("gældende", "current"),
    "replaced_change": ("Ændret af den nye registrering", "Changed by the new recording"),
    "field_valid": ("gyldighed", "validity"),
    "field_title": ("titel", "title"),
    "field_alt_titles": ("andre titler", "other titles"),
    "field_place": ("placering", "place"),
    "field_guidance": ("vejledning", "guidance"),
    "field_notes": ("noter", "notes"),
    "field_keywords": ("stikord", "keywords"),
    "field_legal_refs": ("retsgrundlag", "legal references"),
    "field_successors": ("afløsere", "successors"),
    "field_properties": ("øvrige oplysninger", "other details"),
    "field_uuid": ("UUID", "UUID"),
    "field_withdrawn": ("trukket tilbage", "withdrawn"),
    "field_nothing": ("intet synligt", "nothing visible"),
    # changes
    "changes_title": ("Ændringer i {title}", "Changes in {title}"),
    "changes_in": ("Ændringer i {title}", "Changes in {title}"),
    "suggested_comparisons": ("Sammenlign versioner", "Compare versions"),
    "changes_between": ("Fra {fra} til {til}", "From {fra} to {til}"),
    "count_added": ("{count} tilføjet", "{count} added"),
    "count_expired": ("{count} udgået", "{count} expired"),
    "count_renamed": ("{count} omdøbt", "{count} renamed"),
    "count_moved": ("{count} flyttet", "{count} moved"),
    "added": ("Tilføjet", "Added"),
    "expired": ("Udgået", "Expired"),
    "renamed": ("Omdøbt", "Renamed"),
    "moved": ("Flyttet", "Moved"),
    "code": ("Kode", "Code"),
    "old_title": ("Gammel titel", "Old title"),
    "new_title": ("Ny titel", "New title"),
    "old_code": ("Gammel kode", "Old code"),
    "new_code": ("Ny kode", "New code"),
    "how": ("Hvordan", "How"),
    "move_replaced": ("afløst af ny kode", "replaced by a new code"),
    "move_reparented": ("ny placering", "new parent"),
    # errors
    "error_status": ("Fejlkode {status}", "Error code {status}"),
    "error_400": ("Forespørgslen kan ikke bruges", "The request cannot be used"),
    "error_404": ("Siden findes ikke", "Page not found"),
    "error_4xx": ("Forespørgslen blev afvist", "The request was refused"),
    "error_500": ("Der skete en fejl", "Something went wrong"),
    "error_500_message": (
        "Fejlen er logget. Prøv igen senere.",
        "The error has been logged. Please try again later.",
    ),
    "no_such_page": ("Der er ingen side på adressen {path}.", "There is no page at {path}."),
    "bad_date": (
        "»{value}« er ikke en dato. Skriv den som ÅÅÅÅ-MM-DD, fx 2012-05-01.",
        "“{value}” is not a date. Write it as YYYY-MM-DD, e.g. 2012-05-01.",
    ),
    "bad_timestamp": (
        "»{value}« er ikke et tidspunkt. Skriv det som ÅÅÅÅ-MM-DDTTT:MM, fx 2024-01-31T12:00.",
        "“{value}” is not a timestamp. Write it as YYYY-MM-DDTHH:MM, e.g. 2024-01-31T12:00.",
    ),
    "bad_number": (
        "»{value}« er ikke et helt tal mellem {low} og {high}.",
        "“{value}” is not a whole number from {low} to {high}.",
    ),
    "too_long": (
        "»{name}« er for lang (højst {limit} tegn).",
        "“{name}” is too long (at most {limit} characters).",
    ),
    "to_before_from": (
        "Til-datoen ({til}) ligger før fra-datoen ({fra}).",
        "The to date ({til}) is before the from date ({fra}).",
    ),
    "not_valid": (
        "{code} er ikke gyldig på den valgte dato. Den er gyldig {periods}.",
        "{code} is not valid on the chosen date. It is valid {periods}.",
    ),
    "not_valid_on": (
        "{code} var ikke gyldig {day}. Den er gyldig {periods}.",
        "{code} was not valid on {day}. It is valid {periods}.",
    ),
    "no_title": ("(titel ikke i nogen udgave)", "(no title in any release)"),
    "no_longer_valid": ("{code} er ikke længere gyldig", "{code} is no longer valid"),
    "not_valid_heading": ("{code} er ikke gyldig på datoen", "{code} is not valid on that date"),
    "replaced_by_codes": ("Den er afløst af {codes}.", "It was replaced by {codes}."),
    "successor_link": ("Gå til afløseren {code} {title}", "Go to its successor {code} {title}"),
    "no_such_code": ("{cid} har ingen kode »{code}«.", "{cid} has no code “{code}”."),
    "no_such_classification": (
        "Der er ingen klassifikation »{cid}« i registret.",
        "There is no classification “{cid}” in the registry.",
    ),
    "show_valid_then": ("Vis {code}, som den var {day}", "Show {code} as it was on {day}"),
    "go_catalog": ("Gå til kataloget", "Go to the catalogue"),
    "go_search": ("Søg i stedet", "Search instead"),
    "go_classification": ("Gå til {title}", "Go to {title}"),
    "lang_da": ("dansk", "Danish"),
    "lang_en": ("engelsk", "English"),
    "lang_bg": ("bulgarsk", "Bulgarian"),
    "lang_cs": ("tjekkisk", "Czech"),
    "lang_de": ("tysk", "German"),
    "lang_el": ("græsk", "Greek"),
    "lang_es": ("spansk", "Spanish"),
    "lang_et": ("estisk", "Estonian"),
    "lang_fi": ("finsk", "Finnish"),
    "lang_fr": ("fransk", "French"),
    "lang_ga": ("irsk", "Irish"),
    "lang_hr": ("kroatisk", "Croatian"),
    "lang_hu": ("ungarsk", "Hungarian"),
    "lang_it": ("italiensk", "Italian"),
    "lang_lt": ("litauisk", "Lithuanian"),
    "lang_lv": ("lettisk", "Latvian"),
    "lang_mt": ("maltesisk", "Maltese"),
    "lang_nl": ("nederlandsk", "Dutch"),
    "lang_no": ("norsk", "Norwegian"),
    "lang_pl": ("polsk", "Polish"),
    "lang_pt": ("portugisisk", "Portuguese"),
    "lang_ro": ("rumænsk", "Romanian"),
    "lang_sk": ("slovakisk", "Slovak"),
    "lang_sl": ("slovensk", "Slovenian"),
    "lang_sv": ("svensk", "Swedish"),
    "lang_is": ("islandsk", "Icelandic"),
}
STRINGS.update(_part_strings())  # the requirement and screening pages (web/requirements/strings.py)


_OPAQUE = re.compile(r"^[0-9a-f]{8}[-_]?[0-9a-f]{4}[-_]?[0-9a-f]{4}[-_]?[0-9a-f]{4}[-_]?[0-9a-f]{12}$", re.I)


def is_opaque(code: str) -> bool:
    """A code that is an identifier rather than a notation (a UUID)."""
    return bool(_OPAQUE.match(code))


def text_lang(titles: dict[str, str], lang: str) -> str | None:
    """The language of the title shown when the page is in ``lang``: ``None`` when it is ``lang``
    itself, else the language it falls back to (WCAG 3.1.2: parts in another language are marked)."""
    if not titles or lang in titles:
        return None
    return next(iter(titles))


def choose(query: str | None, cookie: str | None) -> tuple[str, bool]:
    """The language to use and whether the query chose it (then the cookie is set)."""
    if query in LANGS:
        return query, True
    if cookie in LANGS:
        return cookie, False
    return DEFAULT, False


class Translator:
    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else DEFAULT
        self._column = LANGS.index(self.lang)

    def __call__(self, key: str, **values: object) -> str:
        text = STRINGS[key][self._column]
        return text.format(**values) if values else text

    def maybe(self, key: str) -> str | None:
        """The string for ``key`` when the table has it (keys made from data values)."""
        return self(key) if key in STRINGS else None

    def lang_name(self, tag: str) -> str:
        return self(f"lang_{tag}") if f"lang_{tag}" in STRINGS else tag


class Formatter:
    """How dates, periods, times and numbers read in each language (dates stay ISO, as in URLs)."""

    def __init__(self, t: Translator) -> None:
        self.t = t

    def day(self, value: date | None) -> str:
        return value.isoformat() if value else self.t("open_start")

    def period(self, period: Period) -> str:
        start, end = period.start, period.end
        if start is None and end is None:
            return self.t("always")
        if end is None:
            return self.t("since", start=self.day(start))
        last = (end - timedelta(days=1)).isoformat()
        if start is None:
            return self.t("until", last=last)
        return self.t("between", start=start.isoformat(), last=last)

    def stamp(self, value: datetime) -> str:
        """Seconds shown: recordings made by one import run lie seconds apart."""
        return value.strftime("%Y-%m-%d %H:%M:%S") + " UTC"

    def number(self, value: int) -> str:
        text = f"{value:,}"
        return text.replace(",", ".") if self.t.lang == "da" else text

    def shorten(self, text: str, limit: int) -> str:
        return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"

    def is_web(self, value: str) -> bool:
        return value.startswith(("https://", "http://")) and not any(c in value for c in " <>\"'")

    def shown_code(self, code: str) -> str:
        """The code as readers see it; opaque identifiers (FSIII's UUIDs) are not shown as codes."""
        return "" if is_opaque(code) else code

    def property_name(self, name: str) -> str:
        key = f"property_{name}"
        return self.t(key) if key in STRINGS else name
