"""k-mer spectrum features and a logistic-regression classifier on them (the classic enhancer baseline).

Published iEnhancer-2L predictors (iEnhancer-2L, iEnhancer-EL, ...) classify k-mer / pseudo-k-mer
composition; this module gives that baseline beside the CNN: strand-independent (canonical) k-mer
frequencies for several k, standardised, and an L2 logistic regression whose strength is chosen by
an inner cross-validation on the training sequences only. A fitted model is an `nn.Module`
whose buffers hold the regression, saved as a model folder of kind `enhancers.kmer_logistic`.
"""

from __future__ import annotations

import numpy as np
import torch
from sklearn.linear_model import LogisticRegressionCV
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from torch import nn


def canonical_codes(k: int) -> np.ndarray:
    """Column of each of the `4**k` k-mer codes after merging a k-mer with its reverse complement -> (4**k,).

    Codes are base-4 numbers (A, C, G, T = 0..3, first base most significant); columns number the
    canonical k-mers 0..n-1 in code order.
    """
    codes = np.arange(4 ** k)
    digits = (codes[:, None] // 4 ** np.arange(k - 1, -1, -1)) % 4  # (4**k, k)
    rc = ((3 - digits[:, ::-1]) * 4 ** np.arange(k - 1, -1, -1)).sum(axis=1)
    canonical = np.minimum(codes, rc)
    _, column = np.unique(canonical, return_inverse=True)
    return column


def kmer_spectrum(X: np.ndarray, ks: tuple[int, ...] = (1, 2, 3, 4, 5, 6)) -> np.ndarray:
    """Canonical k-mer frequencies of one-hot sequences `X (N, 4, L)` for each k in `ks` -> (N, F).

    Windows containing an `N` (a column that is not one-hot) are skipped; each k's block sums
    to 1 over a sequence's valid windows (0 when it has none).
    """
    n, _, length = X.shape
    base = X.argmax(axis=1)  # (N, L)
    valid = np.isclose(X.max(axis=1), 1.0)
    blocks = []
    for k in ks:
        columns = canonical_codes(k)
        width = columns.max() + 1
        windows = length - k + 1
        code = np.zeros((n, windows), dtype=np.int64)
        ok = np.ones((n, windows), dtype=bool)
        for j in range(k):
            code = code * 4 + base[:, j:j + windows]
            ok &= valid[:, j:j + windows]
        flat = (columns[code] + width * np.arange(n)[:, None])[ok]
        counts = np.bincount(flat, minlength=n * width).reshape(n, width).astype(np.float32)
        blocks.append(counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0))
    return np.concatenate(blocks, axis=1)


def kmer_classifier(seed: int, inner_folds: int = 5) -> Pipeline:
    """Standardised k-mer features -> L2 logistic regression, C chosen by inner CV on log-loss."""
    return make_pipeline(StandardScaler(), LogisticRegressionCV(
        Cs=np.logspace(-4, 0, 9), cv=inner_folds, scoring="neg_log_loss", max_iter=2000, random_state=seed))


def n_kmer_features(ks: tuple[int, ...]) -> int:
    """Columns of `kmer_spectrum(X, ks)`: canonical k-mers summed over `ks`."""
    return int(sum(canonical_codes(k).max() + 1 for k in ks))


class KmerLogistic(nn.Module):
    """A fitted k-mer logistic regression held as float64 buffers (a model folder, no pickle).

    p(enhancer) = sigmoid(((spectrum(X) - mean) / scale) @ coef + intercept), computed in numpy.

    Args:
        ks: k-mer sizes of the spectrum.

    Shapes:
        x: (N, 4, L) one-hot -> (N, 1) logit.
    """

    def __init__(self, ks: tuple[int, ...]) -> None:
        super().__init__()
        self.ks = tuple(int(k) for k in ks)
        n = n_kmer_features(self.ks)
        for name, value in (("mean", 0.0), ("scale", 1.0), ("coef", 0.0)):
            self.register_buffer(name, torch.full((n,), value, dtype=torch.float64))
        self.register_buffer("intercept", torch.zeros(1, dtype=torch.float64))

    @classmethod
    def fit(cls, X: np.ndarray, labels: np.ndarray, ks: tuple[int, ...], seed: int) -> KmerLogistic:
        """Fit on one-hot `X (N, 4, L)` and 0/1 `labels (N,)` (C by inner CV on these sequences only)."""
        pipeline = kmer_classifier(seed).fit(kmer_spectrum(X, ks), labels)
        scaler, logistic = pipeline[0], pipeline[-1]
        model = cls(ks)
        for name, value in (("mean", scaler.mean_), ("scale", scaler.scale_), ("coef", logistic.coef_[0]),
                            ("intercept", logistic.intercept_[:1])):
            getattr(model, name).copy_(torch.as_tensor(np.asarray(value, dtype=np.float64)))
        return model.eval()

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Logit `(N,)` of one-hot `X (N, 4, L)` (float64)."""
        mean, scale, coef = (getattr(self, n).detach().cpu().numpy() for n in ("mean", "scale", "coef"))
        return ((kmer_spectrum(X, self.ks) - mean) / scale) @ coef + float(self.intercept[0])

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Enhancer probability `(N,)` of one-hot `X (N, 4, L)`."""
        return 1.0 / (1.0 + np.exp(-self.decision_function(X)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.as_tensor(self.decision_function(x.detach().cpu().numpy())[:, None], device=x.device)
