"""Psychometrics for quiz results: Moodle-style classical item analysis, distractor analysis and IRT.

Plain Python + numpy/pandas (IRT also uses girth/scipy, imported only by `quizzes.psychometrics.irt`, so the
classical statistics stay cheap to import). Nothing here knows about Flask or the database: callers hand in
response matrices (rows = attempts, columns = items) as pandas DataFrames.
"""

from quizzes.psychometrics.attempts import select_attempts
from quizzes.psychometrics.classical import (
    ItemAnalysis,
    ItemStats,
    TestStats,
    item_analysis,
    pooled_item_analysis,
)
from quizzes.psychometrics.distractors import distractor_table
from quizzes.psychometrics.marks_csv import MarksFileError, read_marks_csv
from quizzes.psychometrics.review import review_reasons

__all__ = [
    "ItemAnalysis",
    "ItemStats",
    "MarksFileError",
    "TestStats",
    "distractor_table",
    "item_analysis",
    "pooled_item_analysis",
    "read_marks_csv",
    "review_reasons",
    "select_attempts",
]
