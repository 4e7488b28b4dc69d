"""Synthetic exhibitions with latent needs and outcomes, for evaluation, tests and the bench.

Five generators built on different assumptions, so that the matcher is checked against
more than one story of how the world works:

- variant "a" (catalogue world): each company has true HS subheadings from a mould-industry
  catalogue; what it states is a noisy, partial, sometimes coarser version of them; texts
  are written from the true products in Korean, Japanese or English; a meeting ends well
  with a probability that grows with how well true needs meet true products (hierarchy),
  the exhibitor's hidden quality and a shared language.
- variant "b" (latent-factor world): companies are points in an 8-d taste space; HS codes
  are only the nearest catalogue clusters of that point (coarse, often headings or chapters
  only), texts are drawn from topic-concept mixtures, buyers pick whom to meet half at
  random, and quality weighs more than fit.
- variant "c" (held-out check, never used to choose anything in the matcher): written
  apart from the two above, with its own meeting process. Needs and products are HS
  headings drawn with a skew (a few headings are common); a good outcome is a noisy
  logistic mixture of heading affinity, language match, exhibitor quality damped by how
  overloaded the exhibitor is against its capacity at that show, and buyer pickiness.
  Statements are sparse and coarse (a third of buyers state chapters only, a quarter of
  exhibitors leave their description empty, some buyers write nothing); buyers meet 3–6
  exhibitors found partly by searching the directory for their stated codes, partly by
  walking the floor.
- variant "d" (issue 11): stated codes mislead (buyers state what they make, not what they
  need), buyers differ strongly in what matters to them, many exhibitors are new to the show.
- variant "e" (issue 11, held out until the end): the sides state at opposite precision,
  language does not matter, responsiveness and relationships (going back to a supplier
  that ended well) do, needs drift from show to show.

`World` holds plain Python data; `engine_inputs()` turns it into the engine's arrays for a
temporal split; `save_world()` writes it into the database (companies, exhibitions,
participations, meeting history) for the bench, the demo and tests.
"""

from .catalogue import CATALOGUE, POSITIVE, Company, World
from .held_out import world_c_test_show_gains
from .inputs import engine_inputs, save_world
from .worlds import generate

__all__ = [
    "CATALOGUE",
    "POSITIVE",
    "Company",
    "World",
    "engine_inputs",
    "generate",
    "save_world",
    "world_c_test_show_gains",
]
