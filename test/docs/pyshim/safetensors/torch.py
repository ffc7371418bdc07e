"""The stand-in's load_file (see __init__.py): the file's tensors by name, as torch tensors."""
from . import oracle


def load_file(path):
    return oracle.read_safetensors(path)[0]
