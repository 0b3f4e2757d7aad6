"""Gapped k-mer SVM (gkm-SVM, Ghandi et al. 2014), the classic enhancer classifier.

A sequence is described by counts of gapped k-mers: every `word`-long window, read at each set of
`informative` of its `word` positions (the others are gaps), summed over both strands. The kernel
is the cosine of these count vectors (the gkm kernel, normalised). The SVM is fitted with
scikit-learn's `SVC(kernel="precomputed")` on the N x N kernel matrix, which is fast for a few
thousand sequences; since the kernel is linear in the explicit features, the fitted model is stored
as one weight vector in an `nn.Module` buffer (no support vectors, no pickle; model folder kind
`enhancers.gkm_svm`). The LS-GKM tool itself is a C program with
no maintained Python binding, so the features are computed here with numpy.
"""

from __future__ import annotations

import itertools
from math import comb

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import SVC
from torch import nn

from sciml.errors import ConfigError

MAX_FEATURES = 200_000  # masks x 4**informative; bounds the (N, F) float32 feature matrix


def gapped_kmer_counts(X: np.ndarray, word: int, informative: int) -> np.ndarray:
    """Gapped k-mer counts of one-hot `X (N, 4, L)`, both strands summed -> (N, C(word, informative) * 4**informative).

    Block `m` holds the counts of mask `m` (the m-th `informative`-subset of the `word` positions,
    in `itertools.combinations` order); windows whose informative positions include an `N` are skipped.
    """
    if not 1 <= informative <= word:
        raise ConfigError("gkm", f"need 1 <= informative <= word, got word={word}, informative={informative}")
    width = 4 ** informative
    if comb(word, informative) * width > MAX_FEATURES:
        raise ConfigError("gkm", f"word={word}, informative={informative} gives more than {MAX_FEATURES} features")
    n, _, length = X.shape
    windows = length - word + 1
    if windows < 1:
        raise ConfigError("gkm", f"word {word} is longer than the {length} bp sequences")
    valid = np.isclose(X.max(axis=1), 1.0)  # (N, L)
    strands = [(X.argmax(axis=1), valid), (3 - X.argmax(axis=1)[:, ::-1], valid[:, ::-1])]
    blocks = []
    offset = width * np.arange(n)[:, None]
    for mask in itertools.combinations(range(word), informative):
        counts = np.zeros(n * width, dtype=np.float32)
        for base, ok_base in strands:
            code = np.zeros((n, windows), dtype=np.int64)
            ok = np.ones((n, windows), dtype=bool)
            for p in mask:
                code = code * 4 + base[:, p:p + windows]
                ok &= ok_base[:, p:p + windows]
            counts += np.bincount((code + offset)[ok], minlength=n * width)
        blocks.append(counts.reshape(n, width))
    return np.concatenate(blocks, axis=1)


def gkm_features(X: np.ndarray, word: int, informative: int) -> np.ndarray:
    """Unit-length gapped k-mer count vectors `(N, F)` (their dot products are the normalised gkm kernel)."""
    F = gapped_kmer_counts(X, word, informative)
    return F / np.maximum(np.linalg.norm(F, axis=1, keepdims=True), 1e-12)


def _inner_decisions(K: np.ndarray, labels: np.ndarray, C: float, folds: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Held-out SVM decision values `(N,)` over `folds` of a precomputed kernel `K (N, N)`."""
    decision = np.zeros(len(labels))
    for train, test in folds:
        svm = SVC(kernel="precomputed", C=C).fit(K[np.ix_(train, train)], labels[train])
        decision[test] = svm.decision_function(K[np.ix_(test, train)])
    return decision


class GkmSVM(nn.Module):
    """A fitted gkm-SVM as float64 buffers: p = sigmoid(a * (phi(x) @ weights + intercept) + b).

    `phi` is `gkm_features`; (a, b) is Platt scaling fitted on the inner-CV decision values.

    Args:
        word: window length l in bp.
        informative: informative positions k of each window.
        C: the SVM's regularisation, chosen by inner CV.
        inner_accuracy: inner-CV accuracy at that C.

    Shapes:
        x: (N, 4, L) one-hot -> (N, 1) logit (Platt-scaled decision value).
    """

    def __init__(self, word: int, informative: int, C: float = 1.0, inner_accuracy: float = float("nan")) -> None:
        super().__init__()
        if not 1 <= informative <= word:
            raise ConfigError("gkm", f"need 1 <= informative <= word, got word={word}, informative={informative}")
        self.word, self.informative, self.C, self.inner_accuracy = int(word), int(informative), float(C), float(inner_accuracy)
        self.register_buffer("weights", torch.zeros(comb(word, informative) * 4 ** informative, dtype=torch.float64))
        self.register_buffer("intercept", torch.zeros(1, dtype=torch.float64))
        self.register_buffer("platt", torch.zeros(2, dtype=torch.float64))

    @classmethod
    def fit(cls, X: np.ndarray, labels: np.ndarray, word: int, informative: int,
            Cs: tuple[float, ...] = (0.1, 0.3, 1.0, 3.0, 10.0), inner_folds: int = 5, seed: int = 0) -> GkmSVM:
        """Fit on one-hot `X (N, 4, L)` and 0/1 `labels (N,)`; C is the best inner-CV accuracy on these sequences only."""
        phi = gkm_features(X, word, informative).astype(np.float64)
        K = phi @ phi.T
        folds = list(StratifiedKFold(inner_folds, shuffle=True, random_state=seed).split(phi, labels))
        best: tuple[float, float, np.ndarray] | None = None
        for C in Cs:  # ties keep the smaller C (stronger regularisation)
            decision = _inner_decisions(K, labels, C, folds)
            accuracy = float(np.mean((decision > 0) == labels))
            if best is None or accuracy > best[0]:
                best = (accuracy, C, decision)
        accuracy, C, decision = best
        platt = LogisticRegression().fit(decision[:, None], labels)
        svm = SVC(kernel="precomputed", C=C).fit(K, labels)
        model = cls(word, informative, float(C), accuracy)
        model.weights.copy_(torch.as_tensor(svm.dual_coef_[0] @ phi[svm.support_]))
        model.intercept.fill_(float(svm.intercept_[0]))
        model.platt.copy_(torch.tensor([float(platt.coef_[0, 0]), float(platt.intercept_[0])], dtype=torch.float64))
        return model.eval()

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """SVM decision values `(N,)` of one-hot `X (N, 4, L)` (> 0: enhancer)."""
        weights = self.weights.detach().cpu().numpy()
        return gkm_features(X, self.word, self.informative).astype(np.float64) @ weights + float(self.intercept[0])

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Enhancer probability `(N,)` of one-hot `X (N, 4, L)` (Platt-scaled decision values)."""
        a, b = (float(v) for v in self.platt)
        return 1.0 / (1.0 + np.exp(-(a * self.decision_function(X) + b)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = (float(v) for v in self.platt)
        return torch.as_tensor(a * self.decision_function(x.detach().cpu().numpy())[:, None] + b, device=x.device)
