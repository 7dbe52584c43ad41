from django.contrib.auth import views as auth_views
from django.urls import path

from goaldesk.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.SignInView.as_view(), name="login"),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/language/", views.language_set, name="language"),
    path("account/organisations/", views.organisation_list, name="organisations"),
]

# Organisation settings (owner and manager pages), under /o/<org_slug>/settings/.
urlpatterns += [
    path("o/<slug:org_slug>/settings/", views.settings_general, name="settings"),
]
