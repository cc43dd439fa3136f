from django.urls import path

from carepath.marac import views

urlpatterns = [
    path("refer/", views.marac_referral_new, name="marac_referral_new"),
    path("referrals/", views.marac_referrals_to_check, name="marac_referrals_to_check"),
    path("referrals/<int:referral_id>/accept/", views.marac_referral_accept_view, name="marac_referral_accept"),
    path("referrals/<int:referral_id>/return/", views.marac_referral_return_view, name="marac_referral_return"),
    path("cases/<int:case_id>/", views.marac_case_detail, name="marac_case_detail"),
    path("meetings/<int:meeting_id>/", views.marac_meeting_detail, name="marac_meeting_detail"),
    path("meetings/<int:meeting_id>/agenda.pdf", views.marac_agenda_pdf, name="marac_agenda_pdf"),
    path("cases/<int:case_id>/research/ask/", views.marac_research_request_view, name="marac_research_request"),
    path("cases/<int:case_id>/research/return/", views.marac_research_return_view, name="marac_research_return"),
    path("cases/<int:case_id>/heard/", views.marac_case_discuss_view, name="marac_case_discuss"),
    path("cases/<int:case_id>/actions/", views.marac_action_add_view, name="marac_action_add"),
    path(
        "cases/<int:case_id>/actions/<int:action_id>/",
        views.marac_action_update_view,
        name="marac_action_update",
    ),
    path("cases/<int:case_id>/plan/", views.marac_plan_view, name="marac_plan"),
    path("cases/<int:case_id>/close/", views.marac_case_close_view, name="marac_case_close"),
    path("cases/<int:case_id>/review/", views.marac_case_review_view, name="marac_case_review"),
    path("cases/<int:case_id>/transfer/", views.marac_case_transfer_view, name="marac_case_transfer"),
    path("meetings/<int:meeting_id>/attendance/", views.marac_attendance_view, name="marac_attendance"),
    path("meetings/<int:meeting_id>/held/", views.marac_meeting_held_view, name="marac_meeting_held"),
    path("meetings/<int:meeting_id>/minutes.pdf", views.marac_minutes_pdf, name="marac_minutes_pdf"),
    path("actions/", views.marac_actions, name="marac_actions"),
    path("actions/chase/", views.marac_actions_chase_view, name="marac_actions_chase"),
    path("returns/", views.marac_returns_view, name="marac_returns"),
    path("returns/download/", views.marac_return_download, name="marac_return_download"),
]
