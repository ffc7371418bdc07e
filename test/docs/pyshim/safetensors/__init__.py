"""A stand-in for the safetensors package's safe_open, for machines without it (Debian has no
python3-safetensors): test/docs/export.test.ts puts this folder on PYTHONPATH only when the real package is
missing, so the guide's PyTorch snippet runs either way. It reads files with the oracle's reader
(scripts/oracles/torch-safetensors.py), which parses the format with struct and json."""
import importlib.util
import os

_path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "scripts", "oracles", "torch-safetensors.py")
_spec = importlib.util.spec_from_file_location("torch_safetensors_oracle", _path)
oracle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(oracle)


class safe_open:
    def __init__(self, path, framework):
        self._tensors, self._meta = oracle.read_safetensors(path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def metadata(self):
        return self._meta
