import time

from django.core.management.base import BaseCommand

from reflect.framing import lexicon


class Command(BaseCommand):
    help = (
        "Compile the framing lexicon into its artefact (reflect/framing/__lexcache__/, or "
        "$REFLECT_LEXICON_CACHE) so that no process pays the compile on its first analysis. "
        "Cheap when the artefact is current; make migrate and the deploy steps run it."
    )

    def handle(self, *args, **options) -> None:
        path = lexicon.artefact_path()
        if path.exists():
            self.stdout.write(f"Lexicon artefact is current: {path}")
            return
        started = time.perf_counter()
        written = lexicon.write_artefact(lexicon.build(), path)
        self.stdout.write(
            f"Compiled the lexicon in {time.perf_counter() - started:.1f} s: {written}"
        )
