"""What each framing dimension means, in the words pages show: cheap to import (no lexicon).

The keys and their order are reflect.framing.lexicon.DIMENSIONS.
"""

# dimension -> (negative-pole label, positive-pole label, the article's idea)
DIMENSION_LABELS: dict[str, tuple[str, str, str]] = {
    "action_vision": (
        "tasks, organising, getting it done",
        "the why, the vision, communicating it, living it daily",
        "Management is action; leadership is understanding the vision and living it.",
    ),
    "position_choice": (
        "leadership as title, authority, permission",
        "leadership as a choice anyone makes, leading oneself",
        "Leadership does not belong to the person who holds a certain position.",
    ),
    "self_collective": (
        "me and my own tasks",
        "the team, others and their growth, a shared 'we'",
        "A leader inspires others; sometimes leadership is the team that sees the whole.",
    ),
    "obligation_agency": (
        "had to, no choice, decided for me",
        "I chose, I decided, I didn't wait",
        "Every day each of us chooses whether to show up as a leader.",
    ),
    "ripple": (
        "no outward influence",
        "asking across boundaries, inviting others to step up",
        "Self-leadership ripples out: 'what if…', 'how might we…'.",
    ),
    "fixed_growth": (
        "'not a leader type', 'never'",
        "learning, 'next time I'll…', 'I used to think… now'",
        "Every day is a new chance to show up as a leader.",
    ),
    "tone": (
        "drained, frustrated, low",
        "energised, proud, glad",
        "How would that feel?",
    ),
}

# Plain, non-judgemental words for the entry page: (leans negative, leans positive).
LEAN_PHRASES: dict[str, tuple[str, str]] = {
    "action_vision": (
        "you wrote mostly about the tasks and getting things done",
        "you wrote about the why and the bigger picture",
    ),
    "position_choice": (
        "you linked leading to a title, authority or permission",
        "you described leading as something anyone can choose",
    ),
    "self_collective": (
        "you focused on your own part of the work",
        "others and the team were part of how you saw it",
    ),
    "obligation_agency": (
        "you described this as something decided for you",
        "you described this as something you chose",
    ),
    "ripple": (
        "you kept this within your own work",
        "you reached out beyond your own work",
    ),
    "fixed_growth": (
        "you described things as fixed",
        "you described learning and trying again",
    ),
    "tone": (
        "the feeling in your words was heavy",
        "the feeling in your words was light",
    ),
}
