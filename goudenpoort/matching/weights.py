"""Every weight of the matching model, named in one place (the README lists them all)."""

from __future__ import annotations

# --- what a profile puts on a skill before weighting by rarity -----------------------------
ESSENTIAL_WEIGHT = 1.0  # a skill a route or vacancy cannot do without
OPTIONAL_WEIGHT = 0.4  # a nice-to-have skill counts for less than half
CLAIM_WEIGHT = 1.0  # a skill the candidate has
PAST_ESSENTIAL_WEIGHT = 0.5  # occupations only: an essential skill of a job the candidate held
PAST_OPTIONAL_WEIGHT = 0.2  # occupations only: an optional skill of a job the candidate held

# --- similarity beyond exact ids: the ESCO structure (propagation matrix P) ----------------
# A skill also puts part of its weight on its neighbours, on both sides of the comparison, so
# "TIG welding" meets "welding" (broader), two welding techniques meet through their common
# broader skill (siblings, BROADER_SKILL_WEIGHT squared), and ESCO's related skills meet directly.
STRUCTURE_SHARE = 0.6  # score = (1 - share) * cosine of exact ids + share * cosine after P
BROADER_SKILL_WEIGHT = 0.2  # skill -> its broader skill (skill-to-skill hierarchy); a strong
# pull to the broader skill made switchers' generic skills meet every route through it
GROUP_WEIGHT = 0.05  # skill -> its skill group (S1.2.3 ...), a coarser neighbour
RELATED_ESSENTIAL_WEIGHT = 0.5  # skill <-> skill ESCO marks as essentially related
RELATED_OPTIONAL_WEIGHT = 0.35  # skill <-> skill ESCO marks as optionally related
GENERIC_SPREAD = 0.5  # factor on edges from or to a transversal/cross-sector skill: "communicate
# with customers" is related to everything, so its neighbours add mostly noise
MAX_NEIGHBOURS = 8  # a hub spreads its weight over at most this many strongest neighbours

# --- skill level (1 beginner .. 4 expert) ---------------------------------------------------
LEVELS = 4
DEFAULT_LEVEL = 2  # a claim or need without a level
UNDER_PENALTY = 0.1  # per level the candidate is below what the item asks
OVER_PENALTY = 0.05  # per level the candidate is above it (over-qualified fits, a bit less)
LEVEL_FLOOR = 0.3  # a skill at the wrong level still counts for at least this much

# --- index -----------------------------------------------------------------------------------
PRUNE_BELOW = 0.02  # drop entries of a normalised item row below this (tiny propagated parts)

# --- explanations and guards ------------------------------------------------------------------
MIN_SKILLS = 3  # fewer known skills than this: "not enough data", not a list of weak guesses
UNLOCK_MIN_GAIN = 0.02  # a vacancy is "unlocked" by a route when its score rises at least this
