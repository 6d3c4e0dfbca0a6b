"""Pages that give other people accounts: staff (team managers, administrators) and families (a child's page)."""

from django.urls import path

from . import views_manage

app_name = "manage"
urlpatterns = [
    path("staff/", views_manage.staff_list, name="staff"),
    path("staff/invite", views_manage.staff_invite, name="staff-invite"),
    path("staff/invitations/<int:invitation_pk>/send-again", views_manage.staff_invitation_resend,
         name="staff-invitation-resend"),
    path("staff/<int:pk>/", views_manage.staff_member, name="staff-member"),
    path("staff/<int:pk>/<slug:action>", views_manage.staff_action, name="staff-action"),
    path("children/<int:pk>/family-accounts", views_manage.child_family, name="child-family"),
    path("children/<int:pk>/family-accounts/invite", views_manage.child_invite, name="child-invite"),
    path("children/<int:pk>/family-accounts/<int:member_pk>/remove", views_manage.child_family_remove,
         name="child-family-remove"),
    path("children/<int:pk>/family-accounts/invitations/<int:invitation_pk>/withdraw",
         views_manage.child_invitation_withdraw, name="child-invitation-withdraw"),
]
