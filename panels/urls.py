from django.urls import path

from .views import actions, meetings, panels, papers, reports

app_name = "panels"

panel_patterns = [
    path("", panels.panel_list, name="list"),
    path("new/", panels.panel_create, name="panel-create"),
    path("<int:panel_id>/", panels.panel_detail, name="panel"),
    path("<int:panel_id>/members/add/", panels.member_add, name="member-add"),
    path("members/<int:member_id>/", panels.member_edit, name="member-edit"),
    path("<int:panel_id>/meetings/new/", meetings.meeting_create, name="meeting-create"),
]

meeting_patterns = [
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path("meetings/<int:meeting_id>/cases/add/", meetings.case_add, name="case-add"),
    path("meetings/<int:meeting_id>/dip-sample/", meetings.dip_sample_add, name="dip-sample-add"),
    path("meetings/<int:meeting_id>/actions/add/", meetings.action_add, name="action-add"),
    path("meetings/<int:meeting_id>/finalise/", meetings.meeting_finalise, name="finalise"),
    path("meetings/<int:meeting_id>/reopen/", meetings.meeting_reopen, name="reopen"),
    path("meetings/<int:meeting_id>/agenda/", papers.meeting_agenda, name="agenda"),
    path("meetings/<int:meeting_id>/agenda.docx", papers.meeting_agenda_docx, name="agenda-docx"),
    path("meetings/<int:meeting_id>/minutes/", papers.meeting_minutes, name="minutes"),
    path(
        "meetings/<int:meeting_id>/minutes.docx", papers.meeting_minutes_docx, name="minutes-docx"
    ),
    path("cases/<int:case_id>/", meetings.case_detail, name="case"),
    path("cases/<int:case_id>/remove/", meetings.case_remove, name="case-remove"),
]

action_patterns = [
    path("actions/", actions.action_list, name="actions"),
    path("actions/<int:action_id>/", actions.action_detail, name="action"),
]

report_patterns = [
    path("reports/", reports.report, name="report"),
    path("reports/download.<str:fmt>", reports.report_download, name="report-download"),
]

urlpatterns = panel_patterns + meeting_patterns + action_patterns + report_patterns
