"""Demo data: deterministic synthetic routes, vacancies, employers and candidates."""
