"""Settings for bench/scale.py: the app's own, with mail written to files in SCALE_MAIL_DIR so
that the web and worker processes' messages can be counted afterwards."""

import os

from reflect.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ["SCALE_MAIL_DIR"]},
    }
}
