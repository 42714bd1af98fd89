"""Arabic function words the analyzer drops, at index time and at query time alike.

Chosen for news text: prepositions, pronouns, relatives, particles and the commonest auxiliaries.
Words that are also names or content words after normalization are left out on purpose: على
normalizes to علي (the name Ali), تحت and أمام head many headlines, and numbers are never dropped.
"""

from __future__ import annotations

from khabar.arabic import normalize

__all__ = ["STOP_WORDS", "is_stop_word"]

_LINES = (
    "في من إلى عن مع حتى منذ لدى لدي عبر نحو ضمن خلال بعد قبل بين عند عندما لكن لكنه لكنها",
    "بل أو أم ثم إن أن إنه أنه إنها أنها بأن لأن كأن وأن وإن فإن بأنه بأنها لأنه لأنها",
    "قد لقد وقد فقد لم لن لا ولا فلا ما وما مما بما كما مثل ليس ليست غير سوى إلا",
    "هو هي هم هما هن نحن أنا أنت أنتم وهو وهي وهم",
    "هذا هذه هذان هاتان هؤلاء ذلك تلك أولئك وهذا وهذه وذلك وتلك",
    "الذي التي الذين اللذان اللتان اللواتي اللاتي والذي والتي والذين",
    "كان كانت كانوا يكون تكون وكان وكانت",
    "كل بعض أي أيضا حيث إذ إذا كيف متى أين لماذا هل",
    "به بها بهم له لها لهم لهما منه منها منهم فيه فيها فيهم عليه عليها عليهم إليه إليها",
    "وفي ومن وإلى وعن ومع وبين وبعد وقبل وخلال ومنذ وحتى وعند وكل",
    "يا أيها ذات ذو",
    # Single letters left over when a clitic is written against a digit (و1000).
    "و ف ب ل ك",
)

STOP_WORDS: frozenset[str] = frozenset(normalize(word) for line in _LINES for word in line.split())


def is_stop_word(token: str) -> bool:
    """Return True if `token`, in the index form of `normalize`, is a stop word."""
    return token in STOP_WORDS
