"""The UI strings of the requirement and screening pages (Danish, English); merged into the one table
of ``kodeks.web.i18n``."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "nav_requirements": ("Krav", "Requirements"),
    "nav_screening": ("Screening", "Project screening"),
    "req_heading": ("Fælles kravbeskrivelser", "Common requirements"),
    "req_lead": (
        "Genbrugelige krav til udbud, afledt af de fællesoffentlige arkitekturprincipper. "
        "Vælg krav til et kravsæt, og hent det som regneark, Word-dokument eller ReqIF.",
        "Reusable requirements for tenders, derived from the common public architecture principles. "
        "Pick requirements for a set and download it as a spreadsheet, a Word document or ReqIF.",
    ),
    "req_search": ("Søg i kravene", "Search the requirements"),
    "req_principle": ("Princip eller regel", "Principle or rule"),
    "req_all_principles": ("Alle principper", "All principles"),
    "req_none": ("Ingen krav matcher.", "No requirement matches."),
    "req_count": ("{count} krav", "{count} requirements"),
    "req_id": ("Kravnr.", "No."),
    "req_title": ("Titel", "Title"),
    "req_category": ("Kategori", "Category"),
    "req_priority": ("Prioritet", "Priority"),
    "req_text": ("Kravtekst", "Requirement"),
    "req_rationale": ("Begrundelse", "Rationale"),
    "req_verification": ("Verifikation", "Verification"),
    "req_principles": ("Principper og regler", "Principles and rules"),
    "req_references": ("Henvisninger", "References"),
    "req_use_cases": ("Brugsscenarier", "Use cases"),
    "req_state": ("Status", "State"),
    "req_owner": ("Ejer", "Owner"),
    "req_versions": ("Versioner", "Versions"),
    "req_sets": ("Kravsæt til udbud", "Requirement sets for tenders"),
    "req_set": ("Kravsæt", "Requirement set"),
    "req_download": ("Hent kravsættet", "Download the set"),
    "req_xlsx": ("Regneark med svarkolonner (XLSX)", "Spreadsheet with response columns (XLSX)"),
    "req_docx": ("Word-dokument (DOCX)", "Word document (DOCX)"),
    "req_reqif": ("ReqIF til kravværktøjer", "ReqIF for requirement tools"),
    "req_tailored": ("Lokalt tilpasset", "Tailored locally"),
    "req_source": ("Kilde", "Source"),
    "req_compare": ("Leverandørernes svar", "Suppliers' answers"),
    "req_compare_signin": (
        "Log ind med en rolle hos kravsættets ejer for at se leverandørernes svar.",
        "Sign in with a role at the set's owner to see the suppliers' answers.",
    ),
    "req_upload": ("Indlæs en leverandørs udfyldte regneark", "Import a supplier's filled-in spreadsheet"),
    "req_upload_supplier": ("Leverandørens navn", "The supplier's name"),
    "req_upload_hint": (
        "Tomt: navnet i regnearkets række Leverandør. "
        "En ny indlæsning erstatter leverandørens tidligere svar.",
        "Empty: the name in the sheet's Leverandør row. "
        "A new import replaces the supplier's earlier answers.",
    ),
    "req_upload_file": ("Regneark (XLSX)", "Spreadsheet (XLSX)"),
    "req_upload_button": ("Indlæs svar", "Import answers"),
    "req_imported": ("{count} svar er indlæst.", "{count} answers were imported."),
    "req_no_answers": ("Der er ikke indlæst svar endnu.", "No answers have been imported yet."),
    "req_qualified": ("Opfylder alle skal-krav", "Meets every must requirement"),
    "req_gaps": ("Mangler skal-krav: {ids}", "Misses must requirements: {ids}"),
    "req_summary": (
        "{yes} ja, {partly} delvist, {no} nej, {unanswered} ubesvaret",
        "{yes} yes, {partly} partly, {no} no, {unanswered} unanswered",
    ),
    "priority_must": ("Skal", "Must"),
    "priority_should": ("Bør", "Should"),
    "compliance_yes": ("Ja", "Yes"),
    "compliance_partly": ("Delvist", "Partly"),
    "compliance_no": ("Nej", "No"),
    "compliance_none": ("Ikke besvaret", "Not answered"),
    "verification_documentation": ("Dokumentation", "Documentation"),
    "verification_demonstration": ("Fremvisning", "Demonstration"),
    "verification_test": ("Afprøvning", "Test"),
    "verification_inspection": ("Gennemgang", "Inspection"),
    "scr_heading": ("Screening af et projekt", "Screen a project"),
    "scr_lead": (
        "Svar på spørgsmålene om projektet. Det tager få minutter, og svaret fortæller, hvor meget "
        "arkitekturbehandling projektet har brug for, og hvilke krav, fælles løsninger og klassifikationer "
        "der er relevante.",
        "Answer the questions about the project. It takes a few minutes, and the answer tells how much "
        "architecture attention the project needs, and which requirements, common solutions and "
        "classifications apply.",
    ),
    "scr_none": (
        "Der er ikke oprettet et screeningsskema endnu (kodeks screening define).",
        "No questionnaire has been defined yet (kodeks screening define).",
    ),
    "scr_project": ("Projektets navn", "The project's name"),
    "scr_submit": ("Se resultatet", "See the result"),
    "scr_result": ("Resultat af screeningen", "Screening result"),
    "scr_level": ("Behov for arkitekturbehandling: {level}", "Architecture attention needed: {level}"),
    "scr_score": ("Point: {score} af {max}", "Score: {score} of {max}"),
    "scr_sets": ("Anbefalede kravsæt", "Recommended requirement sets"),
    "scr_solutions": ("Fælles løsninger", "Common solutions"),
    "scr_classifications": ("Klassifikationer", "Classifications"),
    "scr_notes": ("Det skal I være opmærksomme på", "Points to note"),
    "scr_answers": ("Svarene", "The answers"),
    "scr_print": (
        "Rapporten kan gemmes som PDF med browserens udskriftsfunktion.",
        "Save the report as PDF with the browser's print function.",
    ),
    "scr_results": ("Tidligere screeninger", "Earlier screenings"),
    "scr_when": ("Tidspunkt", "When"),
    "scr_questionnaire": ("Skema", "Questionnaire"),
    "scr_again": ("Screen et nyt projekt", "Screen another project"),
    "scr_compare": ("Sammenlign screeninger", "Compare screenings"),
    "scr_compare_button": ("Sammenlign de valgte", "Compare the chosen ones"),
    "scr_compare_pick": (
        "Vælg 1-{limit} screeninger at sammenligne.",
        "Choose 1-{limit} screenings to compare.",
    ),
    "scr_pick": ("Vælg {project}", "Choose {project}"),
    "scr_level_col": ("Niveau", "Level"),
    "scr_score_col": ("Point", "Score"),
}
