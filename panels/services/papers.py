"""Meeting papers: the agenda sent before a meeting and the minutes after it, as the content
a page shows and as a Word document. Cases appear only by their pseudonymised label."""

from collections import Counter
from dataclasses import dataclass

from ..models import Action, CaseReview, Meeting, PanelMember
from .actions import agenda_actions


@dataclass
class Agenda:
    meeting: Meeting
    members: list[PanelMember]  # the current members, who are invited
    carried_forward: list[Action]  # open actions from earlier meetings
    cases: list[CaseReview]  # the cases to review


@dataclass
class Minutes:
    meeting: Meeting
    attendees: list[PanelMember]
    apologies: list[PanelMember]  # current members who did not attend
    carried_forward: list[Action]
    cases: list[CaseReview]
    actions: list[Action]  # raised at this meeting

    @property
    def other_attendees(self) -> list[str]:
        return [line.strip() for line in self.meeting.other_attendees.splitlines() if line.strip()]

    @property
    def themes(self) -> list[tuple[str, int]]:
        return Counter(t.name for case in self.cases for t in case.themes.all()).most_common()


def _cases(meeting: Meeting) -> list[CaseReview]:
    return list(
        meeting.cases.select_related("proposed_by").prefetch_related("themes").order_by("sequence")
    )


def meeting_agenda(meeting: Meeting) -> Agenda:
    return Agenda(
        meeting=meeting,
        members=[m for m in meeting.panel.members.all() if m.active],
        carried_forward=agenda_actions(meeting),
        cases=_cases(meeting),
    )


def meeting_minutes(meeting: Meeting) -> Minutes:
    attendees = list(meeting.attendees.all())
    present = {m.pk for m in attendees}
    return Minutes(
        meeting=meeting,
        attendees=attendees,
        apologies=[m for m in meeting.panel.members.all() if m.active and m.pk not in present],
        carried_forward=agenda_actions(meeting),
        cases=_cases(meeting),
        actions=list(
            meeting.actions.select_related("owner", "pillar", "case").order_by("due_date", "pk")
        ),
    )


def agenda_docx(agenda: Agenda) -> bytes:
    """The agenda as a Word document, in the order of the page."""
    meeting = agenda.meeting
    doc = _document(f"{meeting.panel.name}: agenda", meeting)
    doc.add_heading("1. Welcome, attendance and apologies", level=2)
    for member in agenda.members:
        doc.add_paragraph(_member(member), style="List Bullet")
    doc.add_heading("2. Actions carried forward", level=2)
    _action_table(doc, agenda.carried_forward, empty="No open actions from earlier meetings.")
    doc.add_heading("3. Cases for review", level=2)
    if agenda.cases:
        for case in agenda.cases:
            doc.add_paragraph(f"{case.label}: {_chosen(case)}. {_crime(case)}", style="List Bullet")
    else:
        doc.add_paragraph("No cases added yet.")
    if meeting.agenda.strip():
        doc.add_heading("4. Other items", level=2)
        _paragraphs(doc, meeting.agenda)
    return _save(doc)


def minutes_docx(minutes: Minutes) -> bytes:
    """The minutes as a Word document, in the order of the page."""
    meeting = minutes.meeting
    doc = _document(f"{meeting.panel.name}: minutes", meeting)
    if not meeting.is_finalised:
        doc.add_paragraph("DRAFT: not yet finalised by the chair.")
    doc.add_heading("Present", level=2)
    for member in minutes.attendees:
        doc.add_paragraph(_member(member), style="List Bullet")
    for name in minutes.other_attendees:
        doc.add_paragraph(f"{name} (also present)", style="List Bullet")
    if minutes.apologies:
        doc.add_heading("Apologies", level=2)
        doc.add_paragraph("; ".join(m.name for m in minutes.apologies) + ".")
    doc.add_heading("Actions carried forward", level=2)
    _action_table(doc, minutes.carried_forward, empty="None.", progress=True)
    doc.add_heading("Cases reviewed", level=2)
    if not minutes.cases:
        doc.add_paragraph("No cases were reviewed.")
    for case in minutes.cases:
        doc.add_heading(case.label, level=3)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in (
            ("Crime", _crime(case)),
            ("Chosen", _chosen(case)),
            ("Judgement", case.get_judgement_display() or "Not given"),
            ("Comment", case.judgement_comment),
            ("Findings", case.findings),
            ("Learning themes", ", ".join(t.name for t in case.themes.all()) or "None"),
            ("Referred back for further investigation", "Yes" if case.referred_back else "No"),
        ):
            cells = table.add_row().cells
            cells[0].text = label
            cells[1].text = value or "—"
    doc.add_heading("Learning themes", level=2)
    if minutes.themes:
        for name, count in minutes.themes:
            doc.add_paragraph(
                f"{name}: {count} case{'s' if count != 1 else ''}", style="List Bullet"
            )
    else:
        doc.add_paragraph("None recorded.")
    doc.add_heading("Actions raised", level=2)
    _action_table(doc, minutes.actions, empty="None.", source=True)
    if meeting.notes.strip():
        doc.add_heading("Notes", level=2)
        _paragraphs(doc, meeting.notes)
    return _save(doc)


def _document(title: str, meeting: Meeting):
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(title, level=1)
    doc.add_paragraph(
        f"{meeting.panel.force.full_name}. Meeting on {meeting.date.day} {meeting.date:%B %Y}. "
        "Cases are named by their number in the meeting and the start of their pseudonymised "
        "reference; crime references never appear."
    )
    return doc


def _action_table(
    doc, actions: list[Action], *, empty: str, progress: bool = False, source: bool = False
) -> None:
    if not actions:
        doc.add_paragraph(empty)
        return
    header = ["Action", "Owner", "Due", "Status", "Pillar"]
    header += ["Progress"] if progress else []
    header += ["From"] if source else []
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for action in actions:
        status = action.get_status_display() + (" (overdue)" if action.is_overdue else "")
        row = [
            action.title,
            action.owner.get_full_name() or action.owner.username,
            f"{action.due_date.day} {action.due_date:%b %Y}",
            status,
            f"Pillar {action.pillar.number}",
        ]
        row += [action.progress_note] if progress else []
        row += [action.case.label if action.case else ""] if source else []
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _member(member: PanelMember) -> str:
    text = f"{member.name} ({member.get_organisation_type_display()}"
    text += f", {member.organisation})" if member.organisation else ")"
    return text + (", chair" if member.is_chair else "")


def _chosen(case: CaseReview) -> str:
    text = case.get_selection_display()
    if case.proposed_by:
        text += f" by {case.proposed_by.name}"
    if case.criterion:
        text += f": {case.get_criterion_display()}"
    return text


def _crime(case: CaseReview) -> str:
    parts = [f"Offence {case.offence_code}" if case.offence_code else "Offence not recorded"]
    if case.outcome_type:
        parts.append(f"outcome {case.outcome_type}")
    if case.outcome_date:
        parts.append(f"on {case.outcome_date.day} {case.outcome_date:%b %Y}")
    return ", ".join(parts) + "."


def _paragraphs(doc, text: str) -> None:
    for para in text.split("\n"):
        if para.strip():
            doc.add_paragraph(para.strip())


def _save(doc) -> bytes:
    import io

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
