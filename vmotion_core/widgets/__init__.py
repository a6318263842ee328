"""Interactive views for the course (ipywidgets 8): explorer, Migrate wizard, network view, quiz.

Each widget keeps plain-Python state (``result``, ``findings``, ``update_count`` ...) for tests
and shows itself through ``.widget``; displaying the object itself works too.
"""

from .explorer import PrecopyExplorer
from .quiz import Feedback, Question, Quiz

__all__ = ["PrecopyExplorer", "Quiz", "Question", "Feedback"]
