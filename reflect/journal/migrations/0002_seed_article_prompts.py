from django.db import migrations

from reflect.journal.article_prompts import PROMPTS


def seed_article_prompts(apps, schema_editor):
    Prompt = apps.get_model("journal", "Prompt")
    for position, (text, source, category, passage) in enumerate(PROMPTS):
        Prompt.objects.get_or_create(
            text=text,
            defaults={"source": source, "category": category, "passage": passage, "position": position},
        )


def remove_article_prompts(apps, schema_editor):
    Prompt = apps.get_model("journal", "Prompt")
    Prompt.objects.filter(text__in=[p[0] for p in PROMPTS], entries__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [migrations.RunPython(seed_article_prompts, remove_article_prompts)]
