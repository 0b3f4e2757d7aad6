"""PINN training: Adam with an exponential learning-rate schedule, then L-BFGS (or a dense quasi-Newton method) with strong-Wolfe line search.

PINN losses are full-batch and the optimisers are not epoch based, so the phases run their own
step loop on the shared engine (`sciml.train.engine.TrainingRun`), which gives them what `fit` has:
a run digest (settings, network shapes, collocation points), a checkpoint every `checkpoint_every`
steps with bit-identical `resume=True` on CPU (the loss state, i.e. collocation points, condition
weights and causal level, is checkpointed with the model), a CSV log of every loss term, and
SIGTERM -> `TrainingInterrupted` after a checkpoint. A tqdm bar shows progress.
A non-finite loss stops training with `TrainingDiverged`; the model is restored to (and the
checkpoint holds) the last state whose loss was finite.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from sciml.errors import ConfigError, SciMLError
from sciml.pinn.causal import CausalWeighting
from sciml.pinn.models import DTYPES, PINN
from sciml.pinn.pde import PDE
from sciml.pinn.quasi_newton import MAX_PARAMETERS, DenseQuasiNewton
from sciml.pinn.sampling import residual_refinement, sample_domain
from sciml.pinn.settings import PINNTrainConfig
from sciml.pinn.symmetry import half_box
from sciml.pinn.taylor import taylor_fields
from sciml.train.device import select_device
from sciml.train.engine import TrainingRun, run_digest
from sciml.train.seed import seed_everything

log = logging.getLogger("sciml.pinn")

CHECKPOINT_DIR = "checkpoint"
LOSS_CSV = "losses.csv"

Monitor = Callable[[PINN], dict[str, float]]


class TrainingDiverged(SciMLError):
    """The loss became NaN/inf; the model and checkpoint hold the last finite-loss state."""


@dataclass
class PINNTrainResult:
    """History rows (one per log point: step, phase, seconds, losses, weights, monitor values) and totals."""

    history: list[dict[str, float | str]] = field(default_factory=list)
    steps: int = 0
    seconds: float = 0.0
    stop_reason: str = ""

    @property
    def final_loss(self) -> float:
        return float(self.history[-1]["loss"]) if self.history else math.nan


class _Problem:
    """Tensors of one training problem on the run's device/dtype, and its weighted loss."""

    def __init__(self, pde: PDE, model: PINN, collocation: np.ndarray, device: torch.device, dtype: torch.dtype,
                 causal: CausalWeighting | None = None):
        self.pde, self.model, self.device, self.dtype, self.causal = pde, model, device, dtype, causal
        self.causal_weights: torch.Tensor | None = None
        self.collocation = torch.as_tensor(collocation, dtype=dtype, device=device)
        self.conditions = {
            c.name: (torch.as_tensor(c.points, dtype=dtype, device=device),
                     torch.as_tensor(c.values, dtype=dtype, device=device))
            for c in pde.conditions
        }
        self.operators = {c.name: c for c in pde.conditions}
        self.normals = {c.name: torch.as_tensor(c.normals, dtype=dtype, device=device)
                        for c in pde.conditions if c.normals is not None}
        self.weights = {c.name: float(c.weight) for c in pde.conditions}
        self.check()

    def check(self) -> None:
        """ConfigError before training when the network, residual or a condition operator gives the wrong shape."""
        probe = self.collocation[:7]
        k = len(self.pde.outputs)
        with torch.enable_grad():
            x = probe.detach().clone().requires_grad_(True)
            u = self.fields(x)
            if u.ndim != 2 or u.shape != (len(probe), k):
                raise ConfigError("network", f"{self.pde.name}: the network gives shape {tuple(u.shape)}, expected "
                                             f"({len(probe)}, {k}) for the fields {self.pde.outputs}")
            r = self.pde.residual(x, u, self.model.pde_params())
            if not isinstance(r, torch.Tensor) or r.ndim != 2 or r.shape[0] != len(probe):
                shape = tuple(r.shape) if isinstance(r, torch.Tensor) else type(r).__name__
                raise ConfigError("residual", f"{self.pde.name}: residual(x, u, params) returned {shape} for "
                                              f"{len(probe)} points; expected ({len(probe)}, m), one column per equation")
            for name, (points, values) in self.conditions.items():
                got = self.condition_output(name, points[:3])
                if got.shape != (min(3, len(points)), values.shape[1]):
                    raise ConfigError(f"conditions.{name}", f"{self.pde.name}: the condition's operator returned "
                                                            f"{tuple(got.shape)}, its values have {values.shape[1]} columns")

    def condition_output(self, name: str, points: torch.Tensor) -> torch.Tensor:
        """B[u] of condition `name` at (the first len(points) of) its points, (M, c)."""
        cond = self.operators[name]
        if cond.operator is None:
            return self.model(points)[:, cond.output : cond.output + 1]
        x = points.detach().clone().requires_grad_(True)
        normals = self.normals.get(name)
        return cond.operator(x, self.model(x), None if normals is None else normals[: len(points)])

    def state_dict(self) -> dict[str, Any]:
        """What changes during training: collocation points (RAR), condition weights, causal level."""
        return {"collocation": self.collocation, "weights": dict(self.weights),
                "causal_level": self.causal.level if self.causal is not None else 0}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.collocation = state["collocation"].to(self.device)
        self.weights = dict(state["weights"])
        if self.causal is not None:
            self.causal.level = int(state["causal_level"])

    def fields(self, x: torch.Tensor) -> torch.Tensor:
        """The model's fields at x (N, d) -> (N, k), with Taylor-mode streams attached when the PDE asks for them."""
        return taylor_fields(self.model, x, self.pde.taylor) if self.pde.taylor else self.model(x)

    def residual(self, points: torch.Tensor) -> torch.Tensor:
        x = points.detach().clone().requires_grad_(True)
        return self.pde.residual(x, self.fields(x), self.model.pde_params())

    def terms(self) -> dict[str, torch.Tensor]:
        """Unweighted mean-squared loss of each condition and of the residual (causally weighted if set)."""
        r = self.residual(self.collocation)
        if self.causal is None:
            out = {"residual": r.pow(2).mean() if r.shape[1] == 1 else r.pow(2).mean(0).sum()}
        else:
            loss, self.causal_weights = self.causal.loss(self.collocation, r)
            out = {"residual": loss}
        for name, (points, values) in self.conditions.items():
            out[name] = (self.condition_output(name, points) - values).pow(2).mean()
        return out

    def total(self, terms: dict[str, torch.Tensor]) -> torch.Tensor:
        loss = terms["residual"]
        for name, w in self.weights.items():
            loss = loss + w * terms[name]
        return loss

    def update_weights(self, alpha: float) -> None:
        """Learning-rate annealing: w_i <- (1 - a) w_i + a max|grad L_r| / mean|grad L_i|."""
        params = [p for p in self.model.parameters() if p.requires_grad]
        terms = self.terms()
        g_res = torch.autograd.grad(terms["residual"], params, retain_graph=True, allow_unused=True)
        max_res = max(g.abs().max() for g in g_res if g is not None)
        for name in self.weights:
            g = torch.autograd.grad(terms[name], params, retain_graph=True, allow_unused=True)
            mean_c = torch.cat([x.abs().flatten() for x in g if x is not None]).mean()
            if mean_c > 0:
                self.weights[name] = (1 - alpha) * self.weights[name] + alpha * float(max_res / mean_c)

    def refresh_causal(self) -> bool:
        """Recompute the causal weights at the current model, step eps up if they all exceed tol, freeze them.

        Returns True when eps changed.
        """
        self.causal.freeze(None)
        self.terms()
        advanced = self.causal.advance(self.causal_weights)
        if advanced:
            self.terms()
        self.causal.freeze(self.causal_weights)
        return advanced

    def abs_residual(self, points: np.ndarray) -> np.ndarray:
        """|r| at points (M, d), evaluated in batches."""
        out = []
        for i in range(0, len(points), 8192):
            chunk = torch.as_tensor(points[i : i + 8192], dtype=self.dtype, device=self.device)
            r = self.residual(chunk).detach()
            out.append((r.abs().ravel() if r.shape[1] == 1 else r.norm(dim=1)).cpu().numpy())
        return np.concatenate(out)


def train_pinn(
    pde: PDE,
    model: PINN,
    config: PINNTrainConfig,
    *,
    out_dir: str | Path | None = None,
    resume: bool = False,
    monitor: Monitor | None = None,
) -> PINNTrainResult:
    """Train `model` on `pde`: Adam (`adam_steps`), then L-BFGS in stages with optional RAR between them.

    Parameters
    ----------
    pde : the problem (residual, domain, conditions).
    model : a `PINN` (see `build_pinn`); trained in place, moved to the config's device and dtype.
    config : training settings.
    out_dir : where `checkpoint/` and `losses.csv` go (None: no files).
    resume : continue from `out_dir/checkpoint` when present.
    monitor : optional `model -> {name: value}` evaluated at each log point (e.g. rel. L2 error);
        its values go into the history and the CSV.

    Returns
    -------
    PINNTrainResult; the model holds the final weights.
    """
    seed_everything(config.seed)
    device, dtype = select_device(config.device), DTYPES[config.dtype]
    model.to(device=device, dtype=dtype)
    sampling_box = half_box(pde.domain, pde.symmetry)  # the whole box unless the solution is symmetric
    collocation = sample_domain(sampling_box, config.n_collocation, config.sampler, config.seed)
    if pde.anchors is not None:
        collocation = np.concatenate([collocation, pde.anchors])
    causal = None
    if config.causal_slabs:
        dim = config.causal_dim % pde.domain.dim
        causal = CausalWeighting(pde.domain.lower[dim], pde.domain.upper[dim], config.causal_slabs,
                                 config.causal_eps, config.causal_tol, dim)
    problem = _Problem(pde, model, collocation, device, dtype, causal)
    out = Path(out_dir) if out_dir is not None else None
    n_stages = config.rar_rounds + 1
    stage_len = math.ceil(config.lbfgs_steps / n_stages) if config.lbfgs_steps else 0
    total_steps = config.adam_steps + config.lbfgs_steps

    adam = torch.optim.Adam(model.parameters(), lr=config.adam_lr)
    state: dict[str, Any] = {"step": 0, "stage": 0, "stage_step": 0, "stagnant": 0, "history": [],
                             "done": False, "seconds": 0.0, "stop_reason": "", "checkpoint_step": 0}
    settings = {k: v for k, v in asdict(config).items() if k != "device"}
    run = TrainingRun(out / CHECKPOINT_DIR if out is not None else None,
                      run_digest(settings, model, data=[problem.collocation]),
                      history_csv=out / LOSS_CSV if out is not None else None, loss=problem, resume=resume)
    saved = run.restore()  # also restores the RNG states and `problem` (collocation, weights, causal level)
    if saved is not None:
        model.load_state_dict(saved["model"])
        adam.load_state_dict(saved["adam"])
        state = saved["loop"]
        log.info("resumed from step %d", state["step"])

    n_parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    if config.optimizer2 != "lbfgs" and n_parameters > MAX_PARAMETERS:
        log.warning("%d parameters: %s keeps a dense inverse Hessian up to %d; using L-BFGS instead",
                    n_parameters, config.optimizer2, MAX_PARAMETERS)
        config = dataclasses.replace(config, optimizer2="lbfgs")

    def make_lbfgs() -> torch.optim.Optimizer:
        if config.optimizer2 != "lbfgs":
            return DenseQuasiNewton(model.parameters(), method=config.optimizer2, max_iter=config.lbfgs_chunk)
        return torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=config.lbfgs_chunk,
                                 max_eval=int(config.lbfgs_chunk * 1.25), history_size=config.lbfgs_history,
                                 tolerance_grad=1e-12, tolerance_change=1e-15, line_search_fn="strong_wolfe")

    lbfgs = make_lbfgs()
    if saved is not None:
        lbfgs.load_state_dict(saved["lbfgs"])

    last_good = {k: v.detach().clone() for k, v in model.state_dict().items()}
    last_good_step = state["step"]
    start = time.perf_counter() - state["seconds"]

    def checkpoint() -> None:
        if out is None:
            return
        state["seconds"] = time.perf_counter() - start
        run.save({"model": model.state_dict(), "adam": adam.state_dict(), "lbfgs": lbfgs.state_dict(),
                  "loop": state}, history=state["history"])

    def record(phase: str, terms: dict[str, torch.Tensor]) -> float:
        nonlocal last_good, last_good_step
        loss = float(problem.total(terms).detach())
        row: dict[str, float | str] = {"step": state["step"], "phase": phase,
                                       "seconds": round(time.perf_counter() - start, 3), "loss": loss}
        row.update({f"loss_{k}": float(v.detach()) for k, v in terms.items()})
        row.update({f"weight_{k}": w for k, w in problem.weights.items()})
        if causal is not None:
            row.update(causal_eps=causal.eps, causal_min_weight=float(problem.causal_weights.min()))
        if math.isfinite(loss) and monitor is not None:
            row.update(monitor(model))
        if math.isfinite(loss):
            state["history"].append(row)
            last_good = {k: v.detach().clone() for k, v in model.state_dict().items()}
            last_good_step = state["step"]
        return loss

    def diverged(loss: float, phase: str) -> TrainingDiverged:
        model.load_state_dict(last_good)
        state["step"], state["done"] = last_good_step, True
        state["stop_reason"] = f"diverged in {phase}"
        checkpoint()
        where = f"; the last good state (step {last_good_step}) is in {out / CHECKPOINT_DIR}" if out else ""
        return TrainingDiverged(f"PINN loss became {loss} during {phase} at step {state['step']}{where}")

    def adam_step() -> None:
        """One Adam step at the scheduled learning rate (condition weights and causal eps updated on the way)."""
        k = state["step"]
        for group in adam.param_groups:
            group["lr"] = config.adam_lr * (config.adam_lr_final / config.adam_lr) ** (k / config.adam_steps)
        if config.adaptive_weights and problem.weights and k % config.weight_update_every == 0:
            problem.update_weights(config.weight_alpha)
        adam.zero_grad(set_to_none=True)
        terms = problem.terms()
        loss_t = problem.total(terms)
        if not torch.isfinite(loss_t):
            raise diverged(float(loss_t.detach()), "adam")
        if k % config.log_every == 0:
            record("adam", terms)
        loss_t.backward()
        adam.step()
        if causal is not None and causal.advance(problem.causal_weights):
            log.info("causal eps -> %g at step %d", causal.eps, k)
        state["step"] += 1
        bar.update(1)

    def quasi_newton_chunk() -> None:
        """Up to `lbfgs_chunk` iterations of the second-phase optimiser; ends a stage on stagnation or length."""
        nonlocal lbfgs
        before = state["history"][-1]["loss"] if state["history"] else math.inf

        def closure(opt: torch.optim.Optimizer = lbfgs) -> torch.Tensor:
            opt.zero_grad(set_to_none=True)
            value = problem.total(problem.terms())
            value.backward()
            return value

        if causal is not None and problem.refresh_causal():
            log.info("causal eps -> %g at step %d", causal.eps, state["step"])
        n_iter_before = lbfgs.state[lbfgs._params[0]].get("n_iter", 0) if lbfgs.state else 0
        lbfgs.step(closure)
        n_iter = (lbfgs.state[lbfgs._params[0]].get("n_iter", 0) if lbfgs.state else 0) - n_iter_before
        n_iter = max(1, min(n_iter, config.lbfgs_chunk))
        state["step"] += n_iter
        state["stage_step"] += n_iter
        bar.update(n_iter)
        loss = record(config.optimizer2, problem.terms())
        if not math.isfinite(loss):
            raise diverged(loss, config.optimizer2)
        improved = before - loss > config.stagnation_rtol * abs(before)
        state["stagnant"] = 0 if improved else state["stagnant"] + 1
        if state["stagnant"] >= config.stagnation_patience or state["stage_step"] >= stage_len:
            state["stage"] += 1
            state["stage_step"], state["stagnant"] = 0, 0
            if state["stage"] < n_stages:
                refine()
                if not config.rar_keep_history:
                    lbfgs = make_lbfgs()

    def refine() -> None:
        """A residual-based refinement round: add `rar_points` collocation points where |r| is large."""
        extra = residual_refinement(problem.abs_residual, sampling_box, config.rar_candidates,
                                    config.rar_points, seed=config.seed + state["stage"],
                                    method=config.rar_method, power=config.rar_power, floor=config.rar_floor)
        problem.collocation = torch.cat([problem.collocation, torch.as_tensor(extra, dtype=dtype, device=device)])
        log.info("RAR round %d: %d points added (%d total)", state["stage"], len(extra), len(problem.collocation))

    bar = tqdm(total=total_steps, initial=state["step"], disable=None, desc=f"pinn {pde.name}")
    with run:
        while not state["done"]:
            if config.max_seconds is not None and time.perf_counter() - start > config.max_seconds:
                state["done"], state["stop_reason"] = True, "time budget"
                break
            if state["step"] < config.adam_steps:
                adam_step()
            elif state["stage"] < n_stages and stage_len:
                quasi_newton_chunk()
            else:
                state["done"] = True
                state["stop_reason"] = state["stop_reason"] or "finished"
            if state["done"] or state["step"] - state["checkpoint_step"] >= config.checkpoint_every:
                state["checkpoint_step"] = state["step"]
                checkpoint()
            if run.stop_requested:
                checkpoint()
                raise run.interrupted(f"SIGTERM at step {state['step']}")
    bar.close()
    if not state["history"] or state["history"][-1]["step"] != state["step"]:
        record("final", problem.terms())
    checkpoint()
    seconds = time.perf_counter() - start
    return PINNTrainResult(history=list(state["history"]), steps=state["step"], seconds=seconds,
                           stop_reason=state["stop_reason"] or "finished")


def config_dict(config: PINNTrainConfig) -> dict[str, Any]:
    """The config as a plain dict (for config.json / provenance)."""
    return asdict(config)
