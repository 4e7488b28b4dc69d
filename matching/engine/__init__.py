"""Pure scoring code for the matcher: numpy and scipy.sparse, no ORM (see scoring.py)."""

from .scoring import Companies, History, Model, Weights, prepare, score_chunk
from .shortlist import chunks, top_k

__all__ = ["Companies", "History", "Model", "Weights", "chunks", "prepare", "score_chunk", "top_k"]
