"""The exact types a run's model files may hold: loading refuses a file that asks for any other.

A ``.skops`` file names the types it rebuilds, and skops calls some of them while loading (a
``ConstructorFromReduceNode`` calls its type with arguments from the file). Trusting a whole module
prefix such as ``builtins.`` would let a crafted run directory call ``builtins.exec``. So the
allow-list names single classes and functions, taken from the objects themselves: a class that
moves keeps its entry, and a new estimator is added here on purpose (a test lists every
estimator the package defines and fails on one that is missing).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from mining.errors import RunRecordError
from mining.runs.archive import check_archive


def _name(obj) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


@cache
def trusted_types() -> frozenset[str]:
    """Names of the types beyond skops' own defaults that the project's models and tasks contain."""
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor
    from sklearn.feature_selection import f_classif
    from sklearn.tree._tree import Tree

    from mining.features.context import ContextVectorizer
    from mining.features.lexical import LexicalVectorizer, ShellVectorizer
    from mining.features.markers import IndicatorVectorizer, MarkerMatcher
    from mining.features.opening import OpeningVectorizer
    from mining.features.pairs import PairSideVectorizer, PairVectorizer
    from mining.features.party_order import PartyOrderVectorizer
    from mining.features.party_verbs import PartyVerbsVectorizer
    from mining.features.position import OrdinalPositionVectorizer, PairDistanceVectorizer
    from mining.features.stacking import PredictedLabelVectorizer
    from mining.features.stance_cues import StanceCueVectorizer
    from mining.features.structural import StructuralVectorizer
    from mining.features.syntax import SyntaxVectorizer
    from mining.features.thesis import ThesisVectorizer
    from mining.features.tokens_window import TokenWindowVectorizer
    from mining.features.topic import TopicSimilarityVectorizer
    from mining.features.topic_keywords import TopicKeywordVectorizer
    from mining.features.union import SequentialFeatureUnion
    from mining.models.candidates import CompactDictVectorizer
    from mining.models.decoding import BodyParagraphClassifier, DocumentArgmaxClassifier, DocumentTreeClassifier
    from mining.models.dense import DenseTransformer
    from mining.models.ranking import TargetRankingClassifier
    from mining.models.rejecting import SegmentRejectingClassifier, TypesAfterRejection
    from mining.models.sides import HolderSideClassifier
    from mining.models.tagging import TransitionTagger
    from mining.tasks.components import ComponentTask
    from mining.tasks.microtexts import AttachmentTask, CentralClaimTask, FunctionTask, RoleTask
    from mining.tasks.relations import RelationTask
    from mining.tasks.segmentation import SegmentationTask
    from mining.tasks.stance import StanceTask

    ours = (
        # estimators
        SegmentRejectingClassifier, TypesAfterRejection, HolderSideClassifier, DocumentArgmaxClassifier,
        DocumentTreeClassifier, BodyParagraphClassifier, TransitionTagger, TargetRankingClassifier,
        DenseTransformer,
        # feature extractors and the parts they keep
        ContextVectorizer, LexicalVectorizer, ShellVectorizer, IndicatorVectorizer, MarkerMatcher,
        OpeningVectorizer, PairSideVectorizer, PairVectorizer, OrdinalPositionVectorizer, PairDistanceVectorizer,
        PartyOrderVectorizer, PartyVerbsVectorizer, PredictedLabelVectorizer, StanceCueVectorizer, StructuralVectorizer,
        SyntaxVectorizer, TokenWindowVectorizer, TopicSimilarityVectorizer, TopicKeywordVectorizer, ThesisVectorizer,
        SequentialFeatureUnion, CompactDictVectorizer,
        # tasks (tasks.skops)
        SegmentationTask, ComponentTask, StanceTask, RelationTask,
        CentralClaimTask, RoleTask, FunctionTask, AttachmentTask,
    )
    # scikit-learn internals that skops does not trust by default, used by configs/model/
    sklearn_parts = (Tree, TreePredictor, f_classif)
    return frozenset(map(_name, ours + sklearn_parts))


class UntrustedModelError(RunRecordError):
    """A model file asks for a type outside :func:`trusted_types`; nothing of it was loaded."""


def load_trusted(path: str | Path):
    """Load a ``.skops`` file if every type it asks for is on the allow-list, else refuse it.

    skops audits the file's schema against the list before anything is constructed, so a refused file
    runs no code of its own. The file is read once: asking skops for its types first, then loading,
    read and audited it twice (0.8 s of the default model's 2.2 s of ``ArgumentMiner.from_run`` on 2 cores).
    """
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    path = Path(path)
    if not path.is_file():  # a pipe in its place would hang the reader
        raise UntrustedModelError(f"{path}: not a regular file (a folder, a pipe or a device); expected a model file")
    check_archive(path)  # before skops inflates anything: a crafted zip of kilobytes can ask for gigabytes
    trusted = trusted_types()
    try:
        return sio.load(path, trusted=sorted(trusted))
    except UntrustedTypesFoundException:
        refused = sorted(set(sio.get_untrusted_types(file=path)) - trusted)
        raise UntrustedModelError(f"{path}: refused to load: it asks for types that mining's models never contain: "
                                  f"{', '.join(refused)}. Only load run directories you trust.") from None
    except Exception as e:
        why = f"{type(e).__name__}: {e}"[:300]
        try:  # only on a failure: was the file unreadable, or did building its (listed) objects fail?
            sio.get_untrusted_types(file=path)
        except Exception:  # a truncated or foreign file: skops raises zipfile/JSON/key errors
            raise UntrustedModelError(f"{path}: not a readable model file ({why}); "
                                      "re-run the experiment that wrote it") from e
        # Its types are listed, but what the file gives them is anyone's: an .npy member of dtype object (numpy
        # refuses to unpickle it), arguments a constructor refuses. `mining --debug` shows the traceback.
        raise UntrustedModelError(f"{path}: its objects could not be rebuilt ({why}); it was written by other "
                                  "versions of mining's libraries, or crafted; re-run the experiment that "
                                  "wrote it") from e
