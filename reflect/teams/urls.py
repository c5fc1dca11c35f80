from django.urls import path

from reflect.teams import views

urlpatterns = [
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/join/<str:token>/", views.team_join, name="team_join"),
    path("teams/unsubscribe/<str:token>/", views.summary_unsubscribe, name="team_unsubscribe"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/invite/", views.team_invite, name="team_invite"),
    path("teams/<int:pk>/leave/", views.team_leave, name="team_leave"),
    path("teams/<int:pk>/threshold/", views.team_threshold, name="team_threshold"),
    path("teams/<int:pk>/prompts/", views.team_prompt_new, name="team_prompt_new"),
    path("teams/<int:pk>/paired/", views.team_paired, name="team_paired"),
    path("teams/<int:pk>/email/", views.team_email, name="team_email"),
    path("teams/<int:pk>/summary/", views.team_summary, name="team_summary"),
    path("teams/<int:pk>/members/<int:user_pk>/", views.named_summary, name="team_named"),
    path(
        "teams/<int:pk>/members/<int:user_pk>/remove/", views.member_remove,
        name="team_member_remove",
    ),
    path(
        "teams/<int:pk>/members/<int:user_pk>/promote/", views.member_promote,
        name="team_member_promote",
    ),
    path(
        "teams/<int:pk>/invitations/<int:invitation_pk>/withdraw/", views.invitation_withdraw,
        name="team_invitation_withdraw",
    ),
    path("teams/<int:pk>/shared/<int:shared_pk>/", views.shared_entry, name="team_shared_entry"),
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/<int:team_pk>/consent/", views.consent, name="sharing_consent"),
    path("sharing/<int:team_pk>/preview/", views.manager_view_preview, name="sharing_preview"),
    path("sharing/entries/<int:entry_pk>/share/", views.share_entry, name="share_entry"),
    path("sharing/shared/<int:pk>/revoke/", views.shared_revoke, name="shared_revoke"),
]
