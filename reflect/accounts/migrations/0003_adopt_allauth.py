# Sign-in moves to django-allauth. Every existing account keeps its password (the User table
# does not change) and gets its address as allauth's verified, primary EmailAddress: each was
# confirmed by the signed sign-up link, or made by an operator. Sign-ups still waiting for
# their link are dropped (the link stops working; signing up again sends allauth's).

from django.db import migrations


def verify_existing_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    db = schema_editor.connection.alias
    known = set(
        EmailAddress.objects.using(db).values_list("user_id", flat=True)
    )
    EmailAddress.objects.using(db).bulk_create(
        [
            EmailAddress(user_id=pk, email=email.lower(), verified=True, primary=True)
            for pk, email in User.objects.using(db).values_list("pk", "email").iterator()
            if pk not in known
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_throttle_events_and_signup_requests"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="signuprequest",
            name="signup_request_age",
        ),
        migrations.DeleteModel(
            name="SignupRequest",
        ),
        migrations.RunPython(verify_existing_addresses, migrations.RunPython.noop),
    ]
