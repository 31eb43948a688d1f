"""Ordered scales shared by the catalogue and the intake: education levels, CEFR, skill levels."""

from __future__ import annotations

# Dutch education levels, lowest first, each placed on the Dutch qualifications framework (NLQF)
# so that a "minimum education" can be compared: a vmbo diploma and mbo-2 both sit at NLQF 2,
# havo and mbo-4 at NLQF 4. vmbo covers bb/kb/gl/tl; master covers hbo and wo masters.
# Profiles, routes and vacancies all use this one list.
EDUCATION_NLQF = {
    "none": 0,
    "basisonderwijs": 0,
    "praktijkonderwijs": 1,
    "vmbo": 2,
    "mbo-1": 1,
    "mbo-2": 2,
    "mbo-3": 3,
    "mbo-4": 4,
    "havo": 4,
    "vwo": 4,
    "associate-degree": 5,
    "hbo-bachelor": 6,
    "wo-bachelor": 6,
    "master": 7,
    "doctorate": 8,
}
EDUCATION_LEVELS = tuple(EDUCATION_NLQF)

# Common European Framework of Reference for languages, lowest first.
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")

# Skill level: 1 beginner, 2 advanced beginner, 3 competent, 4 expert.
SKILL_LEVELS = (1, 2, 3, 4)
