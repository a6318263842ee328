"""Sphinx extension for the two editions of the book (learner and instructor). Not public.

sphinx-exercise's ``hide_solutions`` drops ``{solution}`` directives, but for the *gated* form
(``{solution-start}`` ... ``{solution-end}``) it only drops the opening directive, so the
content between the two would still be published. In the learner edition this extension removes
the whole gated block (start marker, everything up to and including ``solution-end``).

It also exposes the edition to page templates as ``vmotion_edition`` and removes sphinx-thebe's
scripts from every page (see ``_page_context``).
"""

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx_exercise.directive import SolutionStartDirective
from sphinx_exercise.nodes import solution_end_node


class _hidden_solution_start(nodes.Element):
    """Placeholder left where a gated solution starts; removed with its content."""


class _SolutionStart(SolutionStartDirective):
    def run(self):
        produced = super().run()
        if self.env.app.config.hide_solutions:
            return [_hidden_solution_start()]
        return produced


class _RemoveGatedSolutions(SphinxTransform):
    # before sphinx-exercise's own gated-directive transforms (priority 1 and 10)
    default_priority = 0

    def apply(self):
        if not self.app.config.hide_solutions:
            return
        for start in list(self.document.findall(_hidden_solution_start)):
            parent = start.parent
            i = parent.index(start)
            end = next((j for j in range(i + 1, len(parent))
                        if isinstance(parent[j], solution_end_node)), None)
            if end is None:  # sphinx-exercise reports the broken structure itself
                parent.remove(start)
                continue
            for child in parent.children[i:end + 1]:
                parent.remove(child)


def _is_thebe(js):
    body = getattr(js, "attributes", {}).get("body", "") or ""
    return "THEBE_JS_URL" in body or str(getattr(js, "filename", js)).endswith("sphinx-thebe.js")


def _page_context(app, pagename, templatename, context, doctree):
    context["vmotion_edition"] = app.config.vmotion_edition
    # Jupyter Book always loads sphinx-thebe, which puts a CDN address (unpkg.com) into every
    # page. Live code needs a kernel the static site does not have, so drop it entirely.
    if "script_files" in context:
        context["script_files"] = [js for js in context["script_files"] if not _is_thebe(js)]


def _drop_thebe_config(app, doctree, docname):
    # sphinx-thebe appends an inert Binder config block (naming a GitHub repository) to every
    # notebook page; there is no Binder here, so leave it out.
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "x-thebe-config" in text or text.strip().startswith("<script>kernelName"):
            raw.parent.remove(raw)


def setup(app):
    app.setup_extension("sphinx_exercise")
    app.add_config_value("vmotion_edition", "learner", "env")
    app.add_node(_hidden_solution_start)
    app.add_directive("solution-start", _SolutionStart, override=True)
    app.add_transform(_RemoveGatedSolutions)
    app.connect("html-page-context", _page_context)
    app.connect("doctree-resolved", _drop_thebe_config, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
