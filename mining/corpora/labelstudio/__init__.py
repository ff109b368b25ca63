"""Read and write Label Studio JSON tasks (annotations or pre-annotations) and the matching labeling config.

One task per Document. The task ``data`` holds ``text``, ``doc_id``, ``paragraphs``, ``topic``,
``split`` and ``metadata`` (a JSON object), plus a ``mining`` object with what the results cannot
hold (below). The results follow Label Studio's text conventions (labelstud.io/guide/task_format,
/tags/labels, /tags/relations; per-region controls share the region's ``id``):

- each unit is a ``labels`` region: ``from_name: "label"``, ``to_name: "text"``,
  ``value: {start, end, text, labels: [label]}``, and ``id`` = the unit id. Offsets count Python
  characters (Unicode code points), as ``Unit`` offsets do.
- its stance is a per-region ``choices`` result (``from_name: "stance"``, ``choices: ["for"]``), its
  holder a per-region ``textarea`` (``from_name: "holder"``, ``text: [holder]``), and its attributes a
  per-region ``textarea`` named ``attributes`` holding one JSON object (``{"speech": "quote"}``), so
  that they stay with the region when an annotator moves, relabels or deletes it.
- a relation is ``{type: "relation", from_id: SOURCE, to_id: TARGET, direction: "right",
  labels: [support|attack]}``.
- a discontinuous unit (``Unit.fragments``) is one region per fragment: the first fragment carries the
  unit id, label, stance, holder and attributes; every later fragment is a ``labels`` region with the
  same label, id ``<unit id>_<k>``, joined to the first by a relation labelled ``same_unit`` (the name
  RST-DT gives to the pieces of a split discourse unit). On reading, ``same_unit`` links may also
  form chains; the fragments are ordered by offset.
- Label Studio relations have no id or attributes, so ``data.mining.relations`` lists each
  relation's ``id``, ``source``, ``target``, ``label`` and ``attributes``. A relation result takes the
  id and attributes of the first unused entry with the same source, target and label; a relation an
  annotator added (or relabelled) gets a fresh id ``R<n>`` and no attributes. Unit ids that are not
  valid region ids (``[A-Za-z0-9_-]+``) are renamed and mapped back through ``data.mining.unit_ids``.
- ``data.mining.text_sha256`` is the SHA-256 of the text as written (UTF-8); a task whose text no
  longer has it is refused, since every offset in it would be off.
- the units a model proposed (``data.mining.proposed``, with ``proposed_by``, the model version), for
  predictions and for any document that names the model that labelled it (``metadata["labelled_by"]``).
  Reading an annotation (a person's) compares it with the prediction it started from, or else with
  that proposal, and records who labelled each unit and how many the annotator corrected
  (:mod:`mining.corpora.corrections`); the annotator is ``completed_by``, as ``labelstudio user ID``.
- fields the schema does not know (``Document.extra``, ``Unit.extra``, ``Relation.extra``) go in
  ``data.mining.fields``: ``{"document": {...}, "units": {unit id: {...}}, "relations": {relation id:
  {...}}}``, each part only when some object has such fields (a document without any is written as if
  the key did not exist). A unit or relation an annotator added has none.

Reading a full export takes, per task, the latest annotation that was not cancelled (skipped): the
one with the latest ``updated_at`` (or ``created_at``), or the last one listed if they have no
timestamps. Label Studio keeps one annotation per annotator and per review round, so the latest
one is the most recent judgement (a reviewer's fix, a re-annotation); ``ground_truth`` flags are not
used. ``predictions`` are read only when ``predictions=True`` and a task has no such annotation. Label
Studio's plain JSON export lists predictions by id only (``"predictions": [12]``); such a task can be
read only from an export with the predictions in full (``mining annotate pull --predictions`` asks for
one), and the error says so.
Tasks that we did not write are read too: without ``data.doc_id`` the task id names the document,
without ``data.paragraphs`` the paragraphs are the non-blank lines, other ``data`` fields and
other per-region or per-document results go into ``metadata`` / ``Unit.attributes``.
"""

from mining.corpora.labelstudio.names import (
    ATTRIBUTES_NAME,
    DATA_KEY,
    HOLDER_NAME,
    LABEL_NAME,
    STANCE_NAME,
    TEXT_NAME,
)
from mining.corpora.labelstudio.read import UNANNOTATED, from_tasks, load
from mining.corpora.labelstudio.write import DEFAULT_MODEL_VERSION, config_path, labeling_config, save, to_tasks

__all__ = ["ATTRIBUTES_NAME", "DATA_KEY", "DEFAULT_MODEL_VERSION", "HOLDER_NAME", "LABEL_NAME", "STANCE_NAME",
           "TEXT_NAME", "UNANNOTATED", "config_path", "from_tasks", "labeling_config", "load", "save", "to_tasks"]
