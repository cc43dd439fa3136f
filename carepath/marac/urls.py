from django.urls import path

from carepath.marac import views

urlpatterns = [
    path("referrals/", views.marac_referrals_to_check, name="marac_referrals_to_check"),
    path("referrals/<int:referral_id>/accept/", views.marac_referral_accept_view, name="marac_referral_accept"),
    path("referrals/<int:referral_id>/return/", views.marac_referral_return_view, name="marac_referral_return"),
    path("cases/<int:case_id>/", views.marac_case_detail, name="marac_case_detail"),
    path("meetings/<int:meeting_id>/", views.marac_meeting_detail, name="marac_meeting_detail"),
    path("meetings/<int:meeting_id>/agenda.pdf", views.marac_agenda_pdf, name="marac_agenda_pdf"),
    path("cases/<int:case_id>/research/ask/", views.marac_research_request_view, name="marac_research_request"),
    path("cases/<int:case_id>/research/return/", views.marac_research_return_view, name="marac_research_return"),
]
