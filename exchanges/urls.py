"""Exchange space URLs for people (mounted under /fr/echanges/ and /nl/echanges/)."""

from django.urls import path

from . import views

app_name = "exchanges"
urlpatterns = [
    path("", views.home, name="home"),
    path("inscription/", views.signup, name="signup"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("mot-de-passe/", views.password_reset, name="password_reset"),
    path("mot-de-passe/envoye/", views.password_reset_done, name="password_reset_done"),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("mot-de-passe/fait/", views.password_reset_complete, name="password_reset_complete"),
    path("charte/", views.charter, name="charter"),
    path("preferences/", views.preferences, name="preferences"),
    path("supprimer-mon-compte/", views.delete_account, name="delete_account"),
    path("recherche/", views.search, name="search"),
    path("canal/<slug:slug>/", views.channel_detail, name="channel"),
    path("canal/<slug:slug>/suivre/", views.follow, name="follow"),
    path("message/<int:pk>/", views.thread, name="thread"),
    path("message/<int:pk>/signaler/", views.report, name="report"),
    path("message/<int:pk>/moderer/", views.moderate, name="moderate"),
    path("piece-jointe/<int:pk>/", views.attachment, name="attachment"),
    path("referent/", views.referent_list, name="referent_list"),
    path("referent/nouvelle/", views.referent_new, name="referent_new"),
    path("referent/<int:pk>/", views.referent_detail, name="referent_detail"),
]
