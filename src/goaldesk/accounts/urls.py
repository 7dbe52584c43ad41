from django.contrib.auth import views as auth_views
from django.urls import path

from goaldesk.accounts import settings_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.SignInView.as_view(), name="login"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signin/forgot/", views.PasswordResetView.as_view(), name="password_reset"),
    path("signin/forgot/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "signin/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "signin/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The link of an invitation e-mail (the token is the key; no organisation in the address).
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/language/", views.language_set, name="language"),
    path("account/organisations/", views.organisation_list, name="organisations"),
    path("account/organisations/new/", views.organisation_new, name="organisation_new"),
    # The first run; answers 404 once any user exists.
    path("setup/", views.first_run, name="first_run"),
    path("account/profile/", settings_views.profile, name="profile"),
]

# Organisation settings (owner and manager pages), under /o/<org_slug>/settings/.
_settings = "o/<slug:org_slug>/settings/"
urlpatterns += [
    path(_settings, settings_views.settings_landing, name="settings"),
    path(f"{_settings}general/", settings_views.settings_general, name="settings_general"),
    path(f"{_settings}hours/", settings_views.settings_hours, name="settings_hours"),
    path(f"{_settings}holidays/", settings_views.settings_holidays, name="settings_holidays"),
    path(
        f"{_settings}holidays/<int:holiday_id>/delete/",
        settings_views.holiday_delete,
        name="holiday_delete",
    ),
    path(f"{_settings}members/", settings_views.members, name="members"),
    path(
        f"{_settings}members/<int:membership_id>/role/",
        settings_views.member_role,
        name="member_role",
    ),
    path(
        f"{_settings}members/<int:membership_id>/remove/",
        settings_views.member_remove,
        name="member_remove",
    ),
    path(f"{_settings}invitations/", settings_views.invitations, name="invitations"),
    path(
        f"{_settings}invitations/<int:invitation_id>/revoke/",
        settings_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        f"{_settings}invitations/<int:invitation_id>/resend/",
        settings_views.invitation_resend,
        name="invitation_resend",
    ),
    path(f"{_settings}tokens/", settings_views.tokens, name="tokens"),
    path(
        f"{_settings}tokens/<int:token_id>/revoke/",
        settings_views.token_revoke,
        name="token_revoke",
    ),
]
