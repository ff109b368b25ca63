"""Every config composes, and every group instantiates into the plain objects the library expects."""

from __future__ import annotations

from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate
from sklearn.base import BaseEstimator
from sklearn.pipeline import FeatureUnion, Pipeline

from mining.cli import CONFIG_DIR, PACKAGE_DIR

EXPERIMENTS = sorted(p.stem for p in (CONFIG_DIR / "experiment").glob("*.yaml"))
MODELS = sorted(p.stem for p in (CONFIG_DIR / "model").glob("*.yaml"))
# Meta-estimators whose experiment gives the inner estimator (and with it the seed): holder_sides in news_stance
# and news_miner.
WRAPPERS = {"holder_sides"}


def _compose(overrides: list[str]):
    from mining.cli.experiment import register_resolvers

    register_resolvers()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose(config_name="config", overrides=overrides, return_hydra_config=True)


def _check_part(part) -> None:
    """A task, features and model that ``mining.cli`` can put into ``Pipeline([features, model])``, and does."""
    from mining.cli.experiment import build_part

    build_part(part)  # features: null (a tagger, a decoder) passes its checks too
    task = instantiate(part.task, _convert_="all")
    assert task.labels
    features = instantiate(part.features, _convert_="all")
    model = instantiate(part.model, _convert_="all")
    assert isinstance(model, BaseEstimator)
    assert hasattr(model, "predict")
    if features is None:
        # No features step: the model reads the instances itself, as a decoder (mining.models.decoding)
        # that wraps a pipeline of features and a classifier (maybe inside another wrapper), or a model that
        # holds its features and classifier itself (mining.models.tagging, mining.models.ranking).
        params = model.get_params(deep=False)
        while "estimator" in params and "features" not in params and not isinstance(params["estimator"], Pipeline):
            params = params["estimator"].get_params(deep=False)
        if "features" in params:
            classifier = params.get("classifier", params.get("estimator"))
            assert isinstance(params["features"], FeatureUnion) and hasattr(classifier, "fit")
        else:
            inner = params["estimator"]
            assert isinstance(inner, Pipeline) and isinstance(inner.steps[0][1], FeatureUnion)
    else:
        assert isinstance(features, FeatureUnion)


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_experiment_composes_and_instantiates(experiment: str):
    cfg = _compose([f"experiment={experiment}"])
    assert cfg.name == experiment
    assert cfg.data.name
    if cfg.get("subtasks"):
        # Several tasks on the same folds: each brings its own task, features and model, and the
        # metric to optimise is one of theirs (cv.<subtask>.<metric>).
        assert cfg.get("task") is None and cfg.get("features") is None and cfg.get("model") is None
        for part in cfg.subtasks.values():
            _check_part(part)
        scored = set(cfg.subtasks) | ({"end_to_end"} if cfg.get("end_to_end") else set())
        assert cfg.optimized_metric.split(".")[1] in scored
    else:
        _check_part(cfg)
    assert hasattr(instantiate(cfg.evaluation, _convert_="all"), "folds")


@pytest.mark.parametrize("model", MODELS)
def test_models_instantiate(model: str):
    cfg = _compose([f"model={model}", "seed=7"])
    estimator = instantiate(cfg.model, _convert_="all")
    assert isinstance(estimator, BaseEstimator)
    params = estimator.get_params()
    if model in WRAPPERS:
        assert params["estimator"] is None
        return
    assert any(k.endswith("random_state") and v == 7 for k, v in params.items())


@pytest.mark.slow  # composes every experiment with four families: about 12 s
def test_an_experiment_on_a_model_family_takes_any_other():
    """``mining run -m experiment=X model=logreg,random_forest``: an experiment that picks one of the plain model
    families sets nothing on it that another would refuse (its settings are a model option of their own)."""
    families = ["logreg", "linear_svc", "random_forest", "hist_gb"]
    refused = []
    for experiment in EXPERIMENTS:
        choice = _compose([f"experiment={experiment}"]).hydra.runtime.choices.get("model")
        if choice is None or choice in WRAPPERS or choice == "transition_tagger":
            continue  # subtasks, or a model whose experiment gives its inner parts
        for family in families:
            try:
                instantiate(_compose([f"experiment={experiment}", f"model={family}"]).model)
            except Exception as e:  # noqa: BLE001 - every refusal is listed
                refused.append(f"experiment={experiment} model={family}: {type(e).__name__}: {e}"[:300])
    assert not refused, "\n".join(refused)


def test_required_model_families_exist():
    assert {"logreg", "linear_svc", "random_forest", "hist_gb"} <= set(MODELS)


def test_configs_ship_with_the_checkout():
    assert (CONFIG_DIR / "config.yaml").is_file()
    assert {"data", "nlp", "task", "features", "model", "evaluation", "experiment"} <= {
        p.name for p in Path(CONFIG_DIR).iterdir() if p.is_dir()}
    assert CONFIG_DIR.resolve() == (PACKAGE_DIR.parent / "configs").resolve()  # the symlink to configs/


@pytest.mark.parametrize("data", sorted(p.stem for p in (CONFIG_DIR / "data").glob("*.yaml")))
def test_data_configs_are_partials_of_their_loaders(data: str, tmp_path: Path):
    """Every key of a data config but ``name`` is an argument of the loader its ``_target_`` names."""
    import inspect

    from mining.cli.experiment import corpus_loader

    cfg = _compose([f"data={data}", f"data.path={tmp_path}"])
    assert cfg.data._target_ == f"mining.corpora.{data}.load" and cfg.data.name == data
    load = corpus_loader(cfg.data)
    assert load.func.__module__ == f"mining.corpora.{data}"
    inspect.signature(load.func).bind(**load.keywords)
    assert load.keywords["path"] == str(tmp_path)


def test_a_data_config_without_a_path_names_the_corpus():
    from mining.cli.experiment import corpus_loader

    with pytest.raises(ValueError, match="corpus 'aaec' needs a path"):
        corpus_loader(_compose(["data=aaec", "data.path=null"]).data)
    assert corpus_loader(_compose(["data=sample"]).data).keywords == {"path": None}


def test_a_feature_group_written_once_is_still_each_subtask_own():
    """microtexts_cv writes each group once (YAML anchors): overriding it in one subtask changes no other."""
    cfg = _compose(["experiment=microtexts_cv", "subtasks.role.features.lexical.min_df=3"])
    assert cfg.subtasks.role.features.lexical.min_df == 3
    assert cfg.subtasks.cc.model.estimator._args_[0].lexical.min_df == 2
    assert cfg.subtasks.function.model.estimator._args_[0].lexical.min_df == 2
    sides = cfg.subtasks.attachment.model.estimator._args_[0]
    assert [(sides[f"{s}_opening"].side, sides[f"{s}_opening"].vectorizer._target_) for s in ("source", "target")] \
        == [(s, "mining.features.opening.OpeningVectorizer") for s in ("source", "target")]


def test_the_news_bundle_records_its_domain():
    cfg = _compose(["experiment=news_miner"])
    assert cfg.domain == "news" and cfg.data.name == "news" and cfg.end_to_end
    assert _compose(["experiment=miner"]).domain == "essays" and _compose([]).domain is None
