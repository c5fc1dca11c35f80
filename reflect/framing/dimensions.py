"""The dimension registry: one key, one name and one set of plain words per framing dimension,
used by every page, email and CSV (the entry panel, trends, team summaries). Cheap to import:
no lexicon. The keys and their order are reflect.framing.lexicon.DIMENSIONS, which the
analyzer reads; tests/test_dimensions.py checks that the two agree and that no page uses
another name.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str  # the one name shown everywhere
    poles: tuple[str | None, str]  # short words for sentences: "more agency language"
    low_label: str  # the scale's ends, in plain words
    high_label: str
    idea: str  # the article's idea behind the scale
    lean: tuple[str, str]  # what leaning each way means for one entry, addressed to the writer
    y_min: float = -1.0
    y_max: float = 1.0

    @property
    def is_feeling(self) -> bool:
        return self.key == "tone"

    @property
    def one_sided(self) -> bool:
        return self.y_min == 0.0


REGISTRY: dict[str, Dimension] = {
    "action_vision": Dimension(
        key="action_vision",
        name="Tasks and vision",
        poles=("task", "vision"),
        low_label="tasks, organising, getting it done",
        high_label="the why, the vision, communicating it, living it daily",
        idea="Management is action; leadership is understanding the vision and living it.",
        lean=(
            "you wrote mostly about the tasks and getting things done",
            "you wrote about the why and the bigger picture",
        ),
    ),
    "position_choice": Dimension(
        key="position_choice",
        name="Title and self-leadership",
        poles=("position", "self-leadership"),
        low_label="leadership as title, authority, permission",
        high_label="leadership as a choice anyone makes, leading oneself",
        idea="Leadership does not belong to the person who holds a certain position.",
        lean=(
            "you linked leading to a title, authority or permission",
            "you described leading as something anyone can choose",
        ),
    ),
    "self_collective": Dimension(
        key="self_collective",
        name="Me and the team",
        poles=("individual", "team"),
        low_label="me and my own tasks",
        high_label="the team, others and their growth, a shared 'we'",
        idea="A leader inspires others; sometimes leadership is the team that sees the whole.",
        lean=(
            "you focused on your own part of the work",
            "others and the team were part of how you saw it",
        ),
    ),
    "obligation_agency": Dimension(
        key="obligation_agency",
        name="Obligation and choice",
        poles=("obligation", "choice"),
        low_label="had to, no choice, decided for me",
        high_label="I chose, I decided, I didn't wait",
        idea="Every day each of us chooses whether to show up as a leader.",
        lean=(
            "you described this as something decided for you",
            "you described this as something you chose",
        ),
    ),
    "ripple": Dimension(
        key="ripple",
        name="Ripple",
        poles=(None, "ripple"),
        low_label="no outward influence",
        high_label="asking across boundaries, inviting others to step up",
        idea="Self-leadership ripples out: 'what if…', 'how might we…'.",
        lean=("you kept this within your own work", "you reached out beyond your own work"),
        y_min=0.0,
    ),
    "fixed_growth": Dimension(
        key="fixed_growth",
        name="Fixed and growth",
        poles=("fixed", "growth"),
        low_label="'not a leader type', 'never'",
        high_label="learning, 'next time I'll…', 'I used to think… now'",
        idea="Every day is a new chance to show up as a leader.",
        lean=("you described things as fixed", "you described learning and trying again"),
    ),
    "tone": Dimension(
        key="tone",
        name="Feelings",
        poles=("drained", "energised"),
        low_label="drained, frustrated, low",
        high_label="energised, proud, glad",
        idea="How would that feel?",
        lean=("the feeling in your words was heavy", "the feeling in your words was light"),
    ),
}

# Older shapes of the same facts, derived from the registry.
DIMENSION_LABELS: dict[str, tuple[str, str, str]] = {
    k: (d.low_label, d.high_label, d.idea) for k, d in REGISTRY.items()
}
LEAN_PHRASES: dict[str, tuple[str, str]] = {k: d.lean for k, d in REGISTRY.items()}
DIMENSION_NAMES: dict[str, str] = {k: d.name for k, d in REGISTRY.items()}
