"""Interactive views for the course (ipywidgets 8): explorer, Migrate wizard, network view, quiz.

Each widget keeps plain-Python state (``result``, ``findings``, ``update_count`` ...) for tests
and shows itself through ``.widget``; displaying the object itself works too.
"""

from .explorer import PrecopyExplorer
from .network_view import NetworkView
from .quiz import Feedback, Question, Quiz
from .wizard import MigrateWizard

__all__ = ["PrecopyExplorer", "MigrateWizard", "NetworkView", "Quiz", "Question", "Feedback"]
