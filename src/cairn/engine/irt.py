"""Item response theory: item calibration (2PL/3PL) with standard errors, ability estimation, item fit.

Model: P(correct | θ) = c + (1 - c) / (1 + exp(-a (θ - b))), with a > 0 (discrimination), b (difficulty)
and c (pseudo-guessing; 0 for the 2PL).

Calibration is marginal maximum likelihood by EM over a quadrature grid (Bock & Aitkin, 1981), with weak
priors on each parameter (Bayes modal estimation, as in BILOG/mirt), so items answered by few students stay
near their priors instead of running off to extreme values. It is written here because no maintained Python
library does it with standard errors and missing data: girth (last released 2021) has no SEs, py-irt
needs Pyro and variational inference, catsim only uses item parameters, and mirt is R.

The per-person ability estimate is EAP on the same grid, whose posterior SD is the standard error that a
computerized adaptive test stops on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import optimize, stats

FloatArray = npt.NDArray[np.float64]
Model = Literal["2PL", "3PL"]

# θ grid shared by calibration and EAP scoring: ±5 SD covers every ability a school will see.
GRID: FloatArray = np.linspace(-5.0, 5.0, 81)
LOG_PRIOR: FloatArray = stats.norm.logpdf(GRID)


@dataclass(frozen=True)
class ItemPriors:
    """Weak priors: log a ~ N(log_a_mean, log_a_sd), b ~ N(b_mean, b_sd), c ~ Beta(c_alpha, c_beta).

    Arrays of per-item means may replace the scalars, e.g. a difficulty an author gave an item."""

    log_a_mean: float | FloatArray = 0.0
    log_a_sd: float = 0.5
    b_mean: float | FloatArray = 0.0
    b_sd: float = 2.0
    c_alpha: float = 5.0
    c_beta: float = 17.0


def probability(theta: float | FloatArray, a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """P(correct) for every (θ, item) pair: a θ array of shape (n,) gives an (n, items) array."""
    t = np.asarray(theta, dtype=np.float64)[..., None]
    p: FloatArray = c + (1.0 - c) / (1.0 + np.exp(-a * (t - b)))
    return p


def information(theta: float | FloatArray, a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """Fisher information of each item at θ (Birnbaum's formula for the 3PL)."""
    p = probability(theta, a, b, c)
    info: FloatArray = a**2 * ((p - c) ** 2 / (1.0 - c) ** 2) * ((1.0 - p) / p)
    return info if np.ndim(theta) else info.reshape(-1)


@dataclass
class Calibration:
    """A fitted item bank. Learned attributes end in ``_`` (scikit-learn's convention)."""

    model: Model
    a_: FloatArray
    b_: FloatArray
    c_: FloatArray
    se_a_: FloatArray
    se_b_: FloatArray
    se_c_: FloatArray
    n_responses_: npt.NDArray[np.int64]
    calibrated_: npt.NDArray[np.bool_]  # False: too few responses, parameters are the priors
    fit_p_: FloatArray  # item-fit p-value (Yen's Q1); NaN where not computed
    flagged_: list[tuple[int, str]] = field(default_factory=list)  # (item index, reason) for review
    theta_: FloatArray = field(default_factory=lambda: np.zeros(0))
    theta_se_: FloatArray = field(default_factory=lambda: np.zeros(0))
    iterations_: int = 0


class IrtCalibrator:
    """Fit 2PL or 3PL item parameters to a persons × items response matrix (NaN where not answered).

    Parameters
    ----------
    model: "2PL" or "3PL".
    min_responses: items with fewer responses keep their prior parameters and are marked uncalibrated.
    priors: see :class:`ItemPriors`.
    max_iter, tol: EM stops when no parameter moves more than ``tol`` or after ``max_iter`` cycles.
    misfit_alpha: items whose fit p-value is below this are flagged for review.
    """

    def __init__(
        self,
        model: Model = "2PL",
        *,
        min_responses: int = 50,
        priors: ItemPriors | None = None,
        max_iter: int = 200,
        tol: float = 1e-4,
        misfit_alpha: float = 0.001,
        min_discrimination: float = 0.3,
    ) -> None:
        if model not in ("2PL", "3PL"):
            raise ValueError(f"model must be '2PL' or '3PL', got {model!r}")
        self.model: Model = model
        self.min_responses = min_responses
        self.priors = priors or ItemPriors()
        self.max_iter = max_iter
        self.tol = tol
        self.misfit_alpha = misfit_alpha
        self.min_discrimination = min_discrimination

    # -- public -----------------------------------------------------------------------------------------
    def fit(self, responses: npt.ArrayLike, *, guessing: npt.ArrayLike | None = None) -> Calibration:
        """Fit the items. ``guessing`` (2PL only) fixes each item's lower asymptote c, e.g. 1/k for a
        k-option choice item, so multiple-choice items are fitted as 3PL items of known guessing: a
        free c needs thousands of answers per item, a known one needs none."""
        y = np.asarray(responses, dtype=np.float64)
        if y.ndim != 2:
            raise ValueError(f"responses must be a persons × items matrix, got shape {y.shape}")
        answered = ~np.isnan(y)
        bad = answered & (y != 0) & (y != 1)
        if bad.any():
            person, item = (int(v) for v in np.argwhere(bad)[0])
            raise ValueError(f"responses[{person}, {item}] = {y[person, item]!r}: must be 0, 1 or NaN")
        n_items = y.shape[1]
        counts = answered.sum(axis=0).astype(np.int64)
        use = counts >= self.min_responses
        pri = self.priors
        log_a0 = np.broadcast_to(np.asarray(pri.log_a_mean, dtype=np.float64), (n_items,)).copy()
        b0 = np.broadcast_to(np.asarray(pri.b_mean, dtype=np.float64), (n_items,)).copy()
        if self.model == "3PL":
            if guessing is not None:
                raise ValueError("guessing fixes c in the 2PL; the 3PL estimates it")
            c0 = np.full(n_items, pri.c_alpha / (pri.c_alpha + pri.c_beta))
        else:
            c0 = np.zeros(n_items) if guessing is None else np.asarray(guessing, dtype=np.float64).copy()
            if c0.shape != (n_items,) or np.any((c0 < 0) | (c0 >= 1)):
                raise ValueError(f"guessing must hold one value in [0, 1) per item ({n_items})")

        y0 = np.where(answered, y, 0.0)
        mask = answered.astype(np.float64)
        log_a, b, c = log_a0.copy(), b0.copy(), c0.copy()
        iterations = 0
        for iterations in range(1, self.max_iter + 1):  # noqa: B007 - the count is reported
            r, n = self._expected_counts(y0, mask, np.exp(log_a), b, c)
            new = self._m_step(r[use], n[use], log_a[use], b[use], c[use], log_a0[use], b0[use])
            delta = max(
                float(np.max(np.abs(new[0] - log_a[use]), initial=0.0)),
                float(np.max(np.abs(new[1] - b[use]), initial=0.0)),
                float(np.max(np.abs(new[2] - c[use]), initial=0.0)),
            )
            log_a[use], b[use], c[use] = new
            if delta < self.tol:
                break

        a = np.exp(log_a)
        r, n = self._expected_counts(y0, mask, a, b, c)
        se_log_a, se_b, se_c = self._standard_errors(n, a, b, c)
        se_a = a * se_log_a  # delta method: the optimisation runs on log a
        theta, theta_se = eap_matrix(y0, mask, a, b, c)
        fit_p = item_fit_pvalues(y0, mask, a, b, c, n_params=3 if self.model == "3PL" else 2)
        flagged: list[tuple[int, str]] = []
        for j in range(n_items):
            if not use[j]:
                continue
            if fit_p[j] < self.misfit_alpha:
                flagged.append(
                    (j, f"misfit: Q1 p = {fit_p[j]:.2g} (the model does not describe answers well)")
                )
            elif a[j] < self.min_discrimination:
                flagged.append((j, f"low discrimination: a = {a[j]:.2f} (barely separates strong and weak)"))
        not_used = ~use
        se_a[not_used] = np.nan
        se_b[not_used] = np.nan
        se_c[not_used] = np.nan
        return Calibration(
            model=self.model,
            a_=a,
            b_=b,
            c_=c,
            se_a_=se_a,
            se_b_=se_b,
            se_c_=se_c,
            n_responses_=counts,
            calibrated_=use,
            fit_p_=fit_p,
            flagged_=flagged,
            theta_=theta,
            theta_se_=theta_se,
            iterations_=iterations,
        )

    # -- EM ---------------------------------------------------------------------------------------------
    @staticmethod
    def _expected_counts(
        y0: FloatArray, mask: FloatArray, a: FloatArray, b: FloatArray, c: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """E-step: expected numbers of correct answers (r) and of answers (n) at each grid node, per item."""
        post = _posterior(y0, mask, a, b, c)
        r: FloatArray = y0.T @ post  # items × nodes
        n: FloatArray = mask.T @ post
        return r, n

    def _m_step(
        self,
        r: FloatArray,
        n: FloatArray,
        log_a: FloatArray,
        b: FloatArray,
        c: FloatArray,
        log_a0: FloatArray,
        b0: FloatArray,
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Maximise the expected complete-data log posterior; items are independent, so one L-BFGS-B
        call over all of them with an analytic gradient is both simple and fast."""
        k = len(b)
        three = self.model == "3PL"
        pri = self.priors

        def objective(x: FloatArray) -> tuple[float, FloatArray]:
            la, bb = x[:k], x[k : 2 * k]
            cc = x[2 * k :] if three else c
            aa = np.exp(la)[:, None]
            z = aa * (GRID[None, :] - bb[:, None])
            s = 1.0 / (1.0 + np.exp(-z))
            p = np.clip(cc[:, None] + (1.0 - cc[:, None]) * s, 1e-9, 1 - 1e-9)
            ll = np.sum(r * np.log(p) + (n - r) * np.log(1.0 - p))
            dl_dp = r / p - (n - r) / (1.0 - p)
            dp_dz = (1.0 - cc[:, None]) * s * (1.0 - s)
            g_la = np.sum(dl_dp * dp_dz * z, axis=1) - (la - log_a0) / pri.log_a_sd**2
            g_b = np.sum(dl_dp * dp_dz * (-aa), axis=1) - (bb - b0) / pri.b_sd**2
            lp = (
                -0.5 * np.sum((la - log_a0) ** 2) / pri.log_a_sd**2
                - 0.5 * np.sum((bb - b0) ** 2) / pri.b_sd**2
            )
            grads = [g_la, g_b]
            if three:
                lp += np.sum((pri.c_alpha - 1) * np.log(cc) + (pri.c_beta - 1) * np.log(1 - cc))
                g_c = np.sum(dl_dp * (1.0 - s), axis=1) + (pri.c_alpha - 1) / cc - (pri.c_beta - 1) / (1 - cc)
                grads.append(g_c)
            return -(float(ll) + float(lp)), -np.concatenate(grads)

        x0 = np.concatenate([log_a, b, c] if three else [log_a, b])
        bounds = [(np.log(0.05), np.log(6.0))] * k + [(-6.0, 6.0)] * k + ([(1e-3, 0.5)] * k if three else [])
        result = optimize.minimize(
            objective, x0, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 50}
        )
        x = result.x
        return x[:k], x[k : 2 * k], (x[2 * k :] if three else c)

    def _standard_errors(
        self, n: FloatArray, a: FloatArray, b: FloatArray, c: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Per-item SEs from the expected (Fisher) information at the expected counts, plus the prior's
        precision. This leaves out EM's missing-information correction, a standard approximation."""
        pri = self.priors
        three = self.model == "3PL"
        z = a[:, None] * (GRID[None, :] - b[:, None])
        s = 1.0 / (1.0 + np.exp(-z))
        p = np.clip(c[:, None] + (1 - c[:, None]) * s, 1e-9, 1 - 1e-9)
        dp_dz = (1 - c[:, None]) * s * (1 - s)
        derivs = [dp_dz * z, dp_dz * (-a[:, None])] + ([1 - s] if three else [])
        weight = n / (p * (1 - p))
        m = len(derivs)
        se = np.full((m, len(a)), np.nan)
        prior_precision = [1 / pri.log_a_sd**2, 1 / pri.b_sd**2] + (
            [(pri.c_alpha - 1) / np.maximum(c, 1e-3) ** 2 + (pri.c_beta - 1) / (1 - c) ** 2] if three else []
        )
        for j in range(len(a)):
            info = np.empty((m, m))
            for u in range(m):
                for v in range(m):
                    info[u, v] = np.sum(weight[j] * derivs[u][j] * derivs[v][j])
                pp = prior_precision[u]
                info[u, u] += float(pp[j]) if isinstance(pp, np.ndarray) else pp
            try:
                se[:, j] = np.sqrt(np.clip(np.diag(np.linalg.inv(info)), 0, None))
            except np.linalg.LinAlgError:
                continue
        return se[0], se[1], (se[2] if three else np.zeros(len(a)))


def _posterior(y0: FloatArray, mask: FloatArray, a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """Each person's posterior over the θ grid (persons × nodes), N(0, 1) prior."""
    p = np.clip(probability(GRID, a, b, c), 1e-9, 1 - 1e-9)  # nodes × items
    loglik = y0 @ np.log(p).T + (mask - y0) @ np.log(1 - p).T + LOG_PRIOR[None, :]
    loglik -= loglik.max(axis=1, keepdims=True)
    post: FloatArray = np.exp(loglik)
    post /= post.sum(axis=1, keepdims=True)
    return post


def eap_matrix(
    y0: FloatArray, mask: FloatArray, a: FloatArray, b: FloatArray, c: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """EAP ability and its posterior SD for every person of a response matrix (0 where unanswered)."""
    post = _posterior(y0, mask, a, b, c)
    mean: FloatArray = post @ GRID
    sd: FloatArray = np.sqrt(np.clip(post @ GRID**2 - mean**2, 0, None))
    return mean, sd


def item_fit_pvalues(
    y0: FloatArray,
    mask: FloatArray,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    *,
    n_params: int,
    groups: int = 10,
) -> FloatArray:
    """A Q1-style item-fit test (Yen, 1981) on posterior predictions.

    For each item, every person's answer is predicted from their posterior over θ *without that item*
    (so the grouping and the prediction don't already contain the answer being checked); persons are
    grouped by that leave-one-out ability, and observed and predicted proportions correct are compared
    group by group. Small p-values mean the item's curve doesn't describe how students answer it."""
    n_items = y0.shape[1]
    pvalues = np.full(n_items, np.nan)
    p_grid = np.clip(probability(GRID, a, b, c), 1e-9, 1 - 1e-9)  # nodes × items
    log_p, log_q = np.log(p_grid), np.log(1 - p_grid)
    full = y0 @ log_p.T + (mask - y0) @ log_q.T + LOG_PRIOR[None, :]  # persons × nodes
    for j in range(n_items):
        answered = mask[:, j] > 0
        if answered.sum() < groups * 10:
            continue
        rest = full[answered] - (
            y0[answered, j, None] * log_p[None, :, j] + (1 - y0[answered, j, None]) * log_q[None, :, j]
        )
        rest -= rest.max(axis=1, keepdims=True)
        post = np.exp(rest)
        post /= post.sum(axis=1, keepdims=True)
        th, obs, exp = post @ GRID, y0[answered, j], post @ p_grid[:, j]
        edges = np.quantile(th, np.linspace(0, 1, groups + 1))
        index = np.clip(np.searchsorted(edges, th, side="right") - 1, 0, groups - 1)
        q1 = 0.0
        used = 0
        for g in range(groups):
            sel = index == g
            size = int(sel.sum())
            if size == 0:
                continue
            o, e = obs[sel].mean(), exp[sel].mean()
            q1 += size * (o - e) ** 2 / max(e * (1 - e), 1e-6)
            used += 1
        pvalues[j] = float(stats.chi2.sf(q1, max(used - n_params, 1)))
    return pvalues
