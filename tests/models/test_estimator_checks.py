"""scikit-learn's estimator checks over the estimators in mining/models/.

``DenseTransformer`` takes matrices and passes every check. The decoding and rejecting
meta-estimators take sequences of instance objects (a unit or pair with its document and parse),
because their constraints are per document and a feature matrix has forgotten its documents. The
generic checks feed them numeric arrays, so every check that fits or predicts fails before any
decoding happens; the checks of the estimator API (clone, repr, get/set_params, nothing set in
``__init__``, ``NotFittedError`` before ``fit``) still run and pass. Each expected failure is listed
below with its reason, so that a new check, or a check that starts to pass, is noticed. The decoding
itself is tested on instances in test_decoding.py and test_rejecting.py.
"""

from __future__ import annotations

import inspect

import pytest
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import mining.models.decoding
import mining.models.dense
import mining.models.rejecting
import mining.models.tagging
from mining.models.decoding import BodyParagraphClassifier, DocumentArgmaxClassifier, DocumentTreeClassifier
from mining.models.dense import DenseTransformer
from mining.models.rejecting import SegmentRejectingClassifier, TypesAfterRejection
from mining.models.tagging import TransitionTagger
from mining.tasks.segmentation import SegmentationTask

# Why a check cannot pass on an estimator that reads instances rather than arrays.
INSTANCES = "X must be instances (each with .document, .unit or .source/.target); the check passes an array"
NO_COLUMNS = ("n_features_in_ is not set: X is a sequence of instances, which has no columns; the wrapped "
              "Pipeline's feature extractors make the columns")
NO_MATRIX = "X is never a matrix, dense or sparse, so the sparse-input tag and its error message do not apply"
LABEL = "the decoded label ('cc' in use) must be a class of y, and the check's y has other classes"
LABELS = "the decoded labels ('claim' and 'premise' in use) must be classes of y, and the check's y has other classes"
TWO_CLASSES = "the tree decoder needs exactly two classes (attached or not), and the check's y has more"
FIT_FIRST = "fit fails on the array X before it could look at y, so the check's y errors never come up"

_SHARED = {
    "check_n_features_in_after_fitting": NO_COLUMNS,
    "check_n_features_in": NO_COLUMNS,
    "check_estimator_sparse_tag": NO_MATRIX,
    "check_estimator_sparse_array": NO_MATRIX,
    "check_estimator_sparse_matrix": NO_MATRIX,
    "check_estimators_pickle": INSTANCES,
    "check_pipeline_consistency": INSTANCES,
    "check_classifiers_train": INSTANCES,
    "check_methods_sample_order_invariance": INSTANCES,
    "check_methods_subset_invariance": INSTANCES,
    "check_fit_idempotent": INSTANCES,
    "check_dict_unchanged": INSTANCES,
    "check_fit_score_takes_y": INSTANCES,
    "check_dtype_object": INSTANCES,
    "check_estimators_dtypes": INSTANCES,
    "check_f_contiguous_array_estimator": INSTANCES,
    "check_supervised_y_2d": INSTANCES,
    "check_classifier_data_not_an_array": INSTANCES,
    "check_classifiers_classes": INSTANCES,
}
EXPECTED_FAILURES = {
    DocumentArgmaxClassifier: {
        **_SHARED,
        "check_estimators_dtypes": LABEL,
        "check_classifier_data_not_an_array": LABEL,
        "check_classifiers_classes": LABEL,
        "check_fit2d_1feature": LABEL,
    },
    BodyParagraphClassifier: {
        **_SHARED,
        **dict.fromkeys(["check_estimators_dtypes", "check_classifier_data_not_an_array", "check_classifiers_classes",
                         "check_fit2d_1feature"], LABELS),
    },
    DocumentTreeClassifier: {
        **_SHARED,
        **dict.fromkeys(["check_fit_score_takes_y", "check_estimators_overwrite_params",
                         "check_dont_overwrite_parameters", "check_estimators_fit_returns_self",
                         "check_readonly_memmap_input", "check_positive_only_tag_during_fit", "check_dtype_object",
                         "check_f_contiguous_array_estimator", "check_supervised_y_2d",
                         "check_methods_sample_order_invariance", "check_methods_subset_invariance",
                         "check_dict_unchanged", "check_fit2d_predict1d"], TWO_CLASSES),
    },
    SegmentRejectingClassifier: {
        **_SHARED,
        **dict.fromkeys(["check_estimators_overwrite_params", "check_dont_overwrite_parameters",
                         "check_estimators_fit_returns_self", "check_readonly_memmap_input",
                         "check_positive_only_tag_during_fit", "check_complex_data",
                         "check_estimators_empty_data_messages", "check_estimators_nan_inf", "check_fit2d_1sample",
                         "check_fit2d_1feature", "check_fit_check_is_fitted", "check_fit1d",
                         "check_fit2d_predict1d", "check_requires_y_none"], INSTANCES),
        **dict.fromkeys(["check_classifiers_one_label", "check_classifiers_regression_target",
                         "check_supervised_y_no_nan"], FIT_FIRST),
        # It fits the segmenter out of fold on the documents of X; an array has no documents to fold.
        "check_classifiers_train": INSTANCES,
    },
    TypesAfterRejection: {
        # It builds its features from the list of instances (``list(X)``), as the unit features need.
        **dict.fromkeys(["check_n_features_in", "check_n_features_in_after_fitting"], NO_COLUMNS),
        # It reads X as a list of rows (``list(X)``), as its unit features need: a sparse matrix or a sequence
        # that is no array does not split into rows that way.
        **dict.fromkeys(["check_estimator_sparse_tag", "check_estimator_sparse_array", "check_estimator_sparse_matrix",
                         "check_classifier_data_not_an_array"], "X is read as list(X), a list of rows"),
    },
    TransitionTagger: {
        **_SHARED,
        # It counts the tag transitions paragraph by paragraph (TokenInstance.paragraph and .position);
        # an array has no paragraphs, so every check that fits it fails there.
        **dict.fromkeys(["check_decision_proba_consistency", "check_estimators_overwrite_params",
                         "check_dont_overwrite_parameters", "check_estimators_fit_returns_self",
                         "check_readonly_memmap_input", "check_positive_only_tag_during_fit",
                         "check_estimators_nan_inf", "check_fit2d_1feature", "check_fit_check_is_fitted",
                         "check_fit2d_predict1d", "check_requires_y_none"], INSTANCES),
    },
}

ARRAY_ESTIMATORS = [DenseTransformer()]
INSTANCE_ESTIMATORS = [
    DocumentArgmaxClassifier(estimator=LogisticRegression(), label=0),
    DocumentTreeClassifier(estimator=LogisticRegression(), positive=1),
    BodyParagraphClassifier(estimator=LogisticRegression(), label=0, rest=1, demote=()),
    SegmentRejectingClassifier(estimator=LogisticRegression(), segmenter=LogisticRegression(),
                               segmentation=SegmentationTask()),
    TransitionTagger(features=StandardScaler(), classifier=LogisticRegression()),
    TypesAfterRejection(estimator=make_pipeline(StandardScaler(), LogisticRegression())),
]


def expected_failed_checks(estimator) -> dict[str, str]:
    return EXPECTED_FAILURES.get(type(estimator), {})


@parametrize_with_checks(ARRAY_ESTIMATORS)
def test_array_estimators_pass_every_check(estimator, check):
    check(estimator)


@parametrize_with_checks(INSTANCE_ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_instance_meta_estimators_pass_the_api_checks(estimator, check):
    check(estimator)


def test_every_estimator_in_models_is_checked():
    checked = {type(e) for e in ARRAY_ESTIMATORS + INSTANCE_ESTIMATORS}
    assert set(EXPECTED_FAILURES) <= checked
    for module in (mining.models.decoding, mining.models.dense, mining.models.rejecting, mining.models.tagging):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, BaseEstimator) and not name.startswith("_"):
                assert cls in checked, f"{name} is in no estimator-check list"


@pytest.mark.parametrize("reasons", EXPECTED_FAILURES.values())
def test_every_expected_failure_says_why(reasons):
    assert all(isinstance(reason, str) and reason for reason in reasons.values())
