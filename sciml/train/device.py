"""Device selection: CUDA when present, CPU otherwise, always overridable."""

from __future__ import annotations

import torch

from sciml.errors import ConfigError


def select_device(preference: str = "auto") -> torch.device:
    """Return the device to train on.

    Parameters
    ----------
    preference : "auto" (CUDA if available, else CPU), "cpu", "cuda" or "cuda:N".
    """
    if preference == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(preference)
    except RuntimeError as exc:
        raise ConfigError("device", f"'{preference}' is not a device name ({exc})") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device", f"'{preference}' was asked for but CUDA is not available here")
    return device
