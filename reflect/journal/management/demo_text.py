"""Realistic demo journal text from templated sentence pools, with a fixed random seed.

Pure Python, no ORM. The demo writer is Jo, a shift supervisor at a distribution centre.
Over a year Jo's framing drifts from obligation, tasks and "not my place" toward choice,
the why, the team and asking across boundaries. Each sentence picks its pole with a
probability that drifts along a smooth curve with week-to-week noise, so the move is
visible in trends but never a step: early entries already have the odd "I decided", late
ones still have bad days.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta

PEOPLE = ["Priya", "Tom", "Aisha", "Marek", "Lena", "Sam", "Grace", "Kofi", "Nadia", "Ben"]
BOSSES = ["my manager", "Dave", "head office", "the site lead", "HR"]
TEAMS = ["the night shift", "the returns team", "IT", "transport planning", "the Leeds site",
         "customer service"]
TASKS = [
    "redo the rota", "chase the late deliveries", "fill in the audit forms",
    "cover the loading bay", "update the stock counts", "sort the overtime sheets",
    "clear the damaged-goods cage", "answer the escalation emails", "print the pick lists",
    "re-label the pallets",
]
PROJECTS = ["the new handover", "the pick-rate target", "the safety walk", "the peak plan",
            "the training buddy scheme", "the new scanner rollout"]
PURPOSES = ["nobody gets hurt on a busy night", "customers get their parcels when we promised",
            "new starters feel they belong by week two", "we stop firefighting every Monday"]
IDEAS = ["swapped the first hour with the night shift", "let new starters pick their buddy",
         "put the pick-rate board where everyone can see it", "ran the safety walk together",
         "asked the drivers what slows them down", "tried a ten-minute huddle instead of the email"]
HMW = ["cut the Monday backlog in half", "make handovers less of a scramble",
       "help new starters ask questions sooner", "share what the returns team already knows"]
NEXT_TIME = ["ask for help before it gets urgent", "say the why first, then the task",
             "invite Priya to run the huddle", "speak up in the planning meeting",
             "check in with the quiet ones", "leave the list alone for ten minutes and listen"]
LESSONS = ["people follow a reason more than a rule", "asking early saves a week",
           "a two-line explanation beats a long email", "the team sees problems before I do"]
SKILLS = ["giving feedback", "saying no kindly", "running the huddle", "explaining priorities"]

# {pole: {dimension: templates}}. Negative: obligation, tasks, only me, position, fixed.
NEGATIVE = {
    "obligation": [
        "I had to {task} again because {boss} asked for it.",
        "Was told to {task} by the end of the day, and I went along with it.",
        "Had to cancel my one-to-ones. No choice, really.",
        "I was supposed to {task}, so that's what the day was.",
        "Felt forced to stay late and {task}.",
        "{Boss} made me {task2} twice.",
        "I have to {task} every Monday whether I like it or not.",
    ],
    "task": [
        "Just getting through my list today: {task}, then {task2}, then emails.",
        "Ticked off {n} jobs and cleared the inbox.",
        "Mostly admin. Had to {task} and chase sign-offs.",
        "Kept my head down and got the job done.",
        "Spent all day trying to {task} on my own.",
        "My to-do list was the only thing I looked at.",
    ],
    "only_me": [
        "Not my place to say anything in the planning meeting.",
        "I stuck to my own work and left the rest to {boss}.",
        "That's above my pay grade, so I stayed quiet.",
        "Not my call. That's for {boss} to decide.",
        "I did my bit and went home.",
        "I focused on my own tasks and kept out of it.",
    ],
    "position": [
        "Leadership is for the managers. I'm just a supervisor.",
        "Waiting for {boss} to sign it off before I change anything.",
        "Nobody asked my opinion, and I don't have the title.",
        "I'm not senior enough to suggest that.",
    ],
    "fixed": [
        "I'm not a leader type, never have been.",
        "I'll never be a natural at this.",
        "Some people are born leaders. I'm not one of them.",
        "That's just how I am with conflict.",
    ],
}
POSITIVE = {
    "agency": [
        "I decided to take the new starters' training on myself instead of waiting.",
        "I didn't wait to be told. I just started.",
        "I chose to spend the first hour with the new starters.",
        "Nobody asked me to, but I took it on.",
        "I decided the rota could wait and went to help on the floor.",
    ],
    "vision": [
        "I explained the why behind {project} to {person}, and it landed.",
        "Reminded the team what {project} is really for: {purpose}.",
        "Talked through the bigger picture with {person}: {purpose}.",
        "Started the huddle with the why behind it, not the list.",
        "Shared the vision for {project} with the team: {purpose}.",
        "I tried to live what we say we care about, not just talk about it.",
    ],
    "team": [
        "We as a team agreed to try {project} for a week.",
        "Asked {person} what they needed and we sorted it together.",
        "{person} led the huddle today and we backed them up as a team.",
        "The whole team saw the problem before I did, and we fixed it together.",
        "I asked {person} how they'd like to grow this year.",
    ],
    "ripple": [
        "What if we {idea}? I put the question to {team}.",
        "How might we {hmw}? I've invited {person} to think it through with me.",
        "I asked {team} how they handle it and shared what we learned.",
        "What if we {idea}? {person} wants to try it on Thursday.",
    ],
    "choice": [
        "You don't need a title to lead. I ran the handover anyway.",
        "Leadership is a choice, and today I made it.",
        "I led myself first: set my own priorities before the day set them for me.",
    ],
    "growth": [
        "Next time I'll {next_time}.",
        "I used to think leading meant having the title; now I see it's a choice.",
        "Learned something today: {lesson}.",
        "Still learning, but I'm getting better at {skill}.",
    ],
}
CONTEXT = [
    "Long day at the depot.", "Rainy commute, the coffee was good.", "Quiet morning.",
    "The new rota started this week.", "Peak is coming and you can feel it.",
    "Two off sick.", "The scanners were down for an hour.", "Short shift today.",
    "Busy afternoon, trucks late again.", "Monday, so the backlog from the weekend.",
]
TONE_LOW = ["Felt drained by the end of it.", "Honestly exhausted.", "Frustrated, to be honest.",
            "Came home flat."]
TONE_HIGH = ["Came home proud of the team.", "Felt energised afterwards.",
             "Really glad I did it.", "A good day."]


def drift(t: float) -> float:
    """Share of sentences from the positive pools at point `t` (0 = a year ago, 1 = today):
    a smooth S-curve from about 0.12 to about 0.82."""
    return 0.12 + 0.70 / (1 + math.exp(-8 * (t - 0.5)))


class DemoWriter:
    def __init__(self, seed: int = 2026):
        self.rng = random.Random(seed)
        self.noise = 0.0

    def _fill(self, template: str) -> str:
        r = self.rng
        boss = r.choice(BOSSES)
        task, task2 = r.sample(TASKS, 2)
        text = template.format(
            task=task, task2=task2, boss=boss, Boss=boss[0].upper() + boss[1:],
            person=r.choice(PEOPLE), team=r.choice(TEAMS), project=r.choice(PROJECTS),
            purpose=r.choice(PURPOSES), idea=r.choice(IDEAS), hmw=r.choice(HMW),
            next_time=r.choice(NEXT_TIME), lesson=r.choice(LESSONS), skill=r.choice(SKILLS),
            n=r.randint(8, 30),
        )
        return text

    def new_week(self) -> None:
        """A slow random walk around the curve: some weeks are better than others."""
        self.noise = max(-0.15, min(0.15, 0.6 * self.noise + self.rng.gauss(0, 0.07)))

    def sentence_count(self) -> int:
        roll = self.rng.random()
        if roll < 0.10:
            return 1  # a very short entry
        if roll < 0.88:
            return self.rng.randint(2, 5)
        return self.rng.randint(7, 13)  # a long one

    def body(self, t: float, *, sentences: int | None = None) -> str:
        r = self.rng
        p = max(0.03, min(0.95, drift(t) + self.noise))
        count = sentences or self.sentence_count()
        lines: list[str] = []
        positives = 0
        if count > 1 and r.random() < 0.6:
            lines.append(r.choice(CONTEXT))
        while len(lines) < count:
            positive = r.random() < p
            positives += positive
            pools = POSITIVE if positive else NEGATIVE
            lines.append(self._fill(r.choice(r.choice(list(pools.values())))))
        if count > 2 and r.random() < 0.4:
            lines.append(r.choice(TONE_HIGH if positives * 2 >= count else TONE_LOW))
        if count >= 7 and r.random() < 0.3:
            # Long entries are sometimes lists.
            return lines[0] + "\n\n" + "\n".join(f"- {line}" for line in lines[1:])
        if count >= 7:
            middle = len(lines) // 2
            return " ".join(lines[:middle]) + "\n\n" + " ".join(lines[middle:])
        return " ".join(lines)


def writing_days(today: date, days: int, rng: random.Random) -> list[tuple[date, int]]:
    """The days written over the last `days` days, oldest first, with how many entries each:
    most weekdays, fewer weekends, two longer breaks, and the odd day with two entries."""
    out = []
    holidays: set[int] = set()
    if days >= 90:  # a summer holiday and a Christmas break, in a long enough journal
        summer, winter = days * 200 // 365, days * 330 // 365
        holidays = set(range(summer, summer + 9)) | set(range(winter, winter + 5))
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        index = days - 1 - offset
        if offset > 0 and index in holidays:
            continue
        skip = 0.45 if day.weekday() >= 5 else 0.12
        if offset > 0 and rng.random() < skip:
            continue
        out.append((day, 2 if rng.random() < 0.05 else 1))
    return out


def pick(rng: random.Random, items: Sequence):
    return items[rng.randrange(len(items))]
