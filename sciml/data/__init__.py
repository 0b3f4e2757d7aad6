"""Real data sets: registry (name -> files, URLs, sha256, licence) and verified fetch with a mirror."""

from sciml.data.fetch import MIRROR_ENV, fetch, get_dataset, sha256_file
from sciml.data.registry import REGISTRY, DataSet

__all__ = ["REGISTRY", "DataSet", "MIRROR_ENV", "fetch", "get_dataset", "sha256_file"]
