"""Where solutions are marked, and how a learner's copy leaves them out: one home for both editions.

Two builders make a learner's copy of the material: the student edition of the labs
(:mod:`vmotion_labs.grading.studentize`) and the learner edition of the book site
(``book/_scripts/assemble.py``). Both read the markers, the placeholder and the instructor-only
file names from here, so they cannot drift apart.

A solution in a notebook code cell is the lines between :data:`BEGIN` and :data:`END` (nbgrader's
markers); a learner's copy shows :data:`PLACEHOLDER` in their place, at the same indentation.

>>> print(strip_solutions("x = 1\\n### BEGIN SOLUTION\\nx = 42\\n### END SOLUTION\\n"), end="")
x = 1
# YOUR CODE HERE
"""

__all__ = ["BEGIN", "END", "PLACEHOLDER", "INSTRUCTOR_ONLY", "has_solution", "strip_solutions"]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDER = "# YOUR CODE HERE"
#: files of a lab folder that only instructors get (the reference solution, the hidden checks)
INSTRUCTOR_ONLY = ("solution.py", "hidden.py")


def has_solution(source):
    """True when cell ``source`` text holds a solution block."""
    return any(line.strip() == BEGIN for line in source.splitlines())


def strip_solutions(source):
    """Replace every solution block in cell ``source`` text by :data:`PLACEHOLDER`.

    The placeholder keeps the indentation of the ``BEGIN`` line; everything outside the blocks
    is kept as it is.
    """
    out, inside = [], False
    for line in source.splitlines(keepends=True):
        if line.strip() == BEGIN:
            inside = True
            out.append(f"{line[: len(line) - len(line.lstrip())]}{PLACEHOLDER}\n")
        elif line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    return "".join(out)
