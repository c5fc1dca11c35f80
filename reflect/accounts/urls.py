from allauth.account import views as allauth_views
from django.urls import include, path
from django.views.decorators.http import require_POST

from reflect.accounts import views

# allauth's pages (sign-in, sign-up, verification, reset, MFA, SSO, sessions) at the root, so
# /login/ and /signup/ keep their addresses. The short names the rest of the app links to
# ("login", "signup", ...) name the same views; they come first so that they resolve.
urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", require_POST(allauth_views.logout), name="logout"),
    path("signup/", allauth_views.signup, name="signup"),
    path("password/change/", allauth_views.password_change, name="password_change"),
    path("password/reset/", allauth_views.password_reset, name="password_reset"),
    path("password/reset/done/", allauth_views.password_reset_done, name="password_reset_done"),
    path("account/", views.profile, name="profile"),
    path("", include("allauth.urls")),
]
