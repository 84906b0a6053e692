"""Item response theory for quiz pools: item difficulty (b), discrimination (a) and learner ability (theta).

Classical statistics depend on who took the quiz and which questions they drew; IRT puts items and learners on
one scale, so pools where learners saw different questions can still be compared. We use girth's marginal
maximum likelihood estimators (Bock & Aitkin EM over a N(0, 1) ability distribution), not its joint ones:
`twopl_mml` reproduces the published LSAT6/LSAT7 2PL estimates (see tests/quizzes/test_irt.py), the joint
estimators are biased for short tests like ours.

Models, all logistic without the 1.7 scaling constant, P(right) = 1 / (1 + exp(-a (theta - b))):
  * "rasch": a = 1 for every item, ability ~ N(0, 1) (`girth.rasch_mml`);
  * "1pl":   one common a estimated for all items (`girth.onepl_mml`; ltm's `rasch()`);
  * "2pl":   a and b per item (`girth.twopl_mml`); needs a few hundred attempts per item to be stable.
Abilities are maximum a posteriori (MAP, `girth.ability_map`, ltm's "empirical Bayes" factor scores): unlike
maximum likelihood they exist for all-right and all-wrong attempts, which SOP quizzes produce often.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version
from typing import Literal

import girth
import numpy as np
import pandas as pd

Model = Literal["rasch", "1pl", "2pl"]
_ESTIMATORS = {"rasch": girth.rasch_mml, "1pl": girth.onepl_mml, "2pl": girth.twopl_mml}


@dataclass(frozen=True)
class IrtFit:
    model: str
    items: list[str]
    a: np.ndarray  # discrimination per item
    b: np.ndarray  # difficulty per item (ability at which P(right) = 0.5)

    def items_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"a": self.a, "b": self.b}, index=pd.Index(self.items, name="item"))

    def to_dict(self) -> dict[str, object]:
        return {
            "model": self.model,
            "items": {
                i: {"a": float(a), "b": float(b)} for i, a, b in zip(self.items, self.a, self.b, strict=True)
            },
        }


def girth_version() -> str:
    return version("girth")


def _girth_matrix(responses: pd.DataFrame) -> np.ndarray:
    """girth wants items x persons of int 0/1; a missing cell (item not drawn in that attempt) is tagged
    INVALID_RESPONSE, which girth's MML and ability estimators skip."""
    values = responses.to_numpy(dtype=float)
    observed = ~np.isnan(values)
    if not np.isin(values[observed], (0.0, 1.0)).all():
        raise ValueError("IRT needs right/wrong (0/1) responses; partial marks cannot be used")
    for j, name in enumerate(responses.columns):
        seen = values[observed[:, j], j]
        if seen.size < 2 or seen.min() == seen.max():
            raise ValueError(
                f"item {name!r}: everyone got it {'right' if seen.size and seen[0] else 'wrong'} "
                "(or too few saw it); IRT cannot place it on the scale"
            )
    tagged = np.where(observed, values, girth.INVALID_RESPONSE)
    return tagged.T.astype(int)


def fit_irt(responses: pd.DataFrame, model: Model = "2pl") -> IrtFit:
    """Estimate item parameters. `responses`: attempts x items, 1 right, 0 wrong, NaN not seen."""
    if model not in _ESTIMATORS:
        raise ValueError(f"model must be one of {sorted(_ESTIMATORS)}, not {model!r}")
    result = _ESTIMATORS[model](_girth_matrix(responses))
    b = np.asarray(result["Difficulty"], dtype=float)
    a = np.broadcast_to(np.asarray(result["Discrimination"], dtype=float), b.shape).copy()
    return IrtFit(model, [str(c) for c in responses.columns], a, b)


def estimate_abilities(responses: pd.DataFrame, fit: IrtFit) -> pd.Series:
    """MAP ability per attempt (index of `responses` kept), given item parameters from `fit_irt`."""
    missing = [c for c in fit.items if c not in responses.columns.astype(str)]
    if missing:
        raise ValueError(f"responses lack the fitted items {missing}")
    ordered = responses.set_axis(responses.columns.astype(str), axis=1).loc[:, fit.items]
    values = ordered.to_numpy(dtype=float)
    tagged = np.where(np.isnan(values), girth.INVALID_RESPONSE, values).T.astype(int)
    theta = girth.ability_map(tagged, fit.b, fit.a)
    return pd.Series(theta, index=responses.index, name="theta")
