"""Push documents to a running annotation tool and pull the annotations back: Label Studio and doccano.

``mining annotate push`` sends documents (with a model's predictions, ranked by its uncertainty when
asked) to a project, creating it with mining's labelling config (Label Studio) or label types (doccano)
when it does not exist; ``mining annotate pull`` fetches what the annotators submitted, and with
``predictions=True`` the predictions of the tasks nobody annotated yet, as Documents ready for
``mining data merge``.

What an annotator submitted counts as annotated: in Label Studio a task's annotation that was not
cancelled, in doccano an example marked done. Everything pushed is a proposal, never an annotation:
Label Studio ``predictions`` (``model_version`` naming the run), doccano spans on examples not done.

The clients are optional (``pip install 'mining[annotate]'``: ``label-studio-sdk`` and ``requests``)
and imported only when a server is used. Server addresses come from options or the environment, and
secrets only from the environment (:mod:`mining.annotate.settings`), so that they stay out of the
shell history.
"""

from mining.annotate.projects import TOOLS, open_project
from mining.annotate.settings import Server, server_settings

__all__ = ["TOOLS", "Server", "open_project", "server_settings"]
