from django.urls import path

from reflect.journal import browse, images, portability, views

urlpatterns = [
    path("home/", views.home, name="home"),
    path("prompts/", views.prompt_list, name="prompts"),
    path("prompts/<int:pk>/hide/", views.prompt_hide, name="prompt_hide"),
    path("prompts/<int:pk>/show/", views.prompt_show, name="prompt_show"),
    path("write/", views.entry_new, name="entry_new"),
    path("write/save/", views.entry_save, name="entry_save"),
    path("write/autosave/", views.entry_autosave, name="entry_autosave"),
    path("write/preview/", views.entry_preview, name="entry_preview"),
    path("write/session/", views.session_status, name="session_status"),
    path("write/resume/", views.entry_resume, name="entry_resume"),
    path("write/offline/", views.entry_offline, name="entry_offline"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<int:pk>/restore/", views.entry_restore, name="entry_restore"),
    path("entries/<int:pk>/revisions/", views.revision_list, name="revisions"),
    path(
        "entries/<int:pk>/revisions/<int:revision_pk>/restore/",
        views.revision_restore,
        name="revision_restore",
    ),
    path("entries/<int:pk>/images/", images.image_attach, name="image_attach"),
    path("entries/<int:pk>/images/<int:image_pk>/", images.image_file, name="image_file"),
    path(
        "entries/<int:pk>/images/<int:image_pk>/delete/", images.image_delete,
        name="image_delete",
    ),
    path("trash/", views.trash, name="trash"),
    # Finding and revisiting.
    path("journal/", browse.journal, name="journal"),
    path("search/", browse.search, name="search"),
    path("calendar/", browse.calendar, name="calendar"),
    path("on-this-day/", browse.on_this_day, name="on_this_day"),
    path("prompts/<int:pk>/answers/", browse.then_and_now, name="then_and_now"),
    # Your data is yours.
    path("account/export/", portability.export_page, name="export"),
    path("account/export/<str:fmt>/", portability.export_download, name="export_download"),
    path("account/import/", portability.import_page, name="import"),
    path("account/import/<str:public_id>/", portability.import_status, name="import_status"),
    path("account/import/check/<str:public_id>/", portability.import_check, name="import_check"),
    path("account/delete/", portability.account_delete, name="account_delete"),
]
