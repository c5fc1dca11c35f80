"""The prompt library seeded from the article "Management vs. leadership" (tests/data/article.txt).

Kept as plain data so that the data migration and the tests read the same list. The article's
own questions are verbatim; derived prompts keep the passage they come from.
"""

P_TITLE = "Management vs. leadership: Are they the same thing? My perspective."
P_OPENING = (
    "What is the difference between being a manager and a leader? And what do these "
    "differences mean to your business?"
)
P_ACTION = (
    "And yet I am solely responsible for managing ALL aspects of my business. I have been for "
    "almost 15 years. For me, management is about action. Getting the job done."
)
P_VISION = (
    "A leader is the person who understands the vision of the organization, communicates it to "
    "the team, and finds ways to personally implement the vision as part of their daily work. In "
    "some cases, this person also inspires others to see how their day-to-day actions move the "
    "organization towards its short- and long-term goals."
)
P_FRONT_LINE = (
    "This might be the Manager. Or it may be a front-line worker who is passionate about their "
    "work and recognizes the value of their daily work in relation to the big picture. When an "
    "individual understands their role in the achieving the big picture and they work towards it "
    "unfailingly, they show leadership."
)
P_CHECKLIST = (
    "A leader is the person who ensures that the: right information is available at the right "
    "time; business owner is organized; workplace is neat and tidy; marketing and sales funnels "
    "are flowing; staff are engaged and happy; and so on…"
)
P_WHAT_IF = (
    "Sometime leadership spans a group: the “team” that sees the whole and ensure the priorities "
    "are attended to. Or, maybe it’s those individuals who approach other departments to say, "
    "“what if…” or “how might we…” and by doing so find ways to streamline the work across the "
    "organization."
)
P_CHOICE = (
    "My point is that in every organization, we are all leaders—should we choose to be. "
    "Leadership does not belong to the person who holds a certain position. Every day each of us "
    "has the opportunity to show up as leader or not."
)
P_OURSELVES = (
    "When we as individuals understand how our unique contributions make a difference in moving "
    "our organization towards its goals and vision, then we are all leaders. And we all get to "
    "enjoy the outcomes associated with being a leader—even if all we are leading is ourselves."
)
P_MANAGERS = (
    "As managers, when we communicate that each person has a leadership role to play in making "
    "the vision a reality; we invite others to step up and out, we challenge our teams to perform "
    "at the edge of their abilities, and in doing so, we show a high-level of trust in the "
    "capability of each person. How do you think that would feel to your team?"
)
P_TITLE_WORDS = (
    "In my work as an employee, I never earned the title of Manager. […] I like to use my title "
    "to describe what it is I do every day for my clients rather than focusing in on what it is I "
    "do internally for my business."
)
P_CLOSING = (
    "Imagine the positive energy that could be created if each of us became inspired to step "
    "into our own personal version of leadership every day and in every situation. I leave you "
    "with these questions: What would the ripple effect be if each of stepped into "
    "self-leadership on achieving the organizational outcomes? How would our organizational "
    "culture shift? How would that feel? How would having a team of leaders impact your role as "
    "the manager of the “action”?"
)

# (text, source, category, passage)
PROMPTS: list[tuple[str, str, str, str]] = [
    # The article's own questions, verbatim.
    ("Management vs. leadership: Are they the same thing?", "article", "opening", P_TITLE),
    (
        "What is the difference between being a manager and a leader?",
        "article",
        "opening",
        P_OPENING,
    ),
    ("And what do these differences mean to your business?", "article", "opening", P_OPENING),
    ("How do you think that would feel to your team?", "article", "choice", P_MANAGERS),
    (
        "What would the ripple effect be if each of stepped into self-leadership on achieving "
        "the organizational outcomes?",
        "article",
        "closing",
        P_CLOSING,
    ),
    ("How would our organizational culture shift?", "article", "closing", P_CLOSING),
    ("How would that feel?", "article", "closing", P_CLOSING),
    (
        "How would having a team of leaders impact your role as the manager of the “action”?",
        "article",
        "closing",
        P_CLOSING,
    ),
    # The daily check-in.
    ("Did I show up as a leader today?", "derived", "daily", P_CHOICE),
    (
        "Where did you choose to lead today, even if all you led was yourself?",
        "derived",
        "daily",
        P_OURSELVES,
    ),
    ("What did you get done today, and why did it matter?", "derived", "daily", P_ACTION),
    (
        "What is one thing you will do tomorrow to live the vision, not just manage the tasks?",
        "derived",
        "daily",
        P_VISION,
    ),
    # The leader's checklist.
    (
        "Was the right information available at the right time today? What part did you play in that?",
        "derived",
        "checklist",
        P_CHECKLIST,
    ),
    (
        "What did you do to keep things organised for the people who depend on you?",
        "derived",
        "checklist",
        P_CHECKLIST,
    ),
    (
        "Where is the work flowing, and where is it stuck? What could you do about the stuck part?",
        "derived",
        "checklist",
        P_CHECKLIST,
    ),
    (
        "How engaged and happy are the people around you this week, and what did you do about it?",
        "derived",
        "checklist",
        P_CHECKLIST,
    ),
    (
        "What is on your own “and so on…” list: the unnamed things you look after?",
        "derived",
        "checklist",
        P_CHECKLIST,
    ),
    # What if… / how might we…
    (
        "Which “what if…” would you like to ask another team or department?",
        "derived",
        "what_if",
        P_WHAT_IF,
    ),
    (
        "Finish the sentence: “How might we…” for one thing that slows the work down.",
        "derived",
        "what_if",
        P_WHAT_IF,
    ),
    (
        "Who outside your own team could you approach to make the work flow better across the organisation?",
        "derived",
        "what_if",
        P_WHAT_IF,
    ),
    # The big picture.
    (
        "What is the vision of your organisation, in your own words?",
        "derived",
        "big_picture",
        P_VISION,
    ),
    (
        "How did your work today move the organisation towards its goals?",
        "derived",
        "big_picture",
        P_FRONT_LINE,
    ),
    ("What is your role in achieving the big picture?", "derived", "big_picture", P_FRONT_LINE),
    (
        "When did you last communicate the vision to someone? How did it land?",
        "derived",
        "big_picture",
        P_VISION,
    ),
    (
        "How does your unique contribution make a difference to where your organisation is going?",
        "derived",
        "big_picture",
        P_OURSELVES,
    ),
    # Choosing to lead.
    (
        "Where did you wait for permission to lead? What would choosing to lead have looked like?",
        "derived",
        "choice",
        P_CHOICE,
    ),
    (
        "If your title described what you actually do every day, what would it be?",
        "derived",
        "choice",
        P_TITLE_WORDS,
    ),
    ("Who did you invite to step up and out this week?", "derived", "choice", P_MANAGERS),
    (
        "Where did you show trust in someone’s capability, or where could you have?",
        "derived",
        "choice",
        P_MANAGERS,
    ),
    ("What would it look like to lead yourself this week?", "derived", "choice", P_OURSELVES),
]
