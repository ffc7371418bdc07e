#!/usr/bin/python3
"""Oracle for `mlplab export --format safetensors`: loads the file into torch.nn.Sequential with
load_state_dict (strict) and prints the network's outputs for the rows given, as predict computes them.

usage: /usr/bin/python3 scripts/oracles/torch-safetensors.py JOBS.json
  JOBS.json: [{"model": "FILE.safetensors", "rows": [[raw feature values], ...]}, ...] (one torch start for all);
  prints [{"outputs": [[...], ...], "modules": [...]}, ...] as JSON, one per job.

The Sequential is built from the header's __metadata__ (inputs, layers: units and activation), the feature
scaling (x - offset) / scale is applied before it and a regression's target scaling y * scale + offset after
it, each as torch operations. The file is parsed here with struct and json (its format: an 8-byte
little-endian header length, a JSON header, raw little-endian data), because Debian has no python3-safetensors.
Needs Debian's python3-torch and python3-numpy (/usr/bin/python3, not the pyenv python3 on PATH).
"""
import json
import struct
import sys

import numpy as np
import torch

DTYPES = {"F64": ("<f8", torch.float64), "F32": ("<f4", torch.float32)}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    start = 8 + n
    tensors = {}
    for name, t in header.items():
        np_dtype, _ = DTYPES[t["dtype"]]
        begin, end = t["data_offsets"]
        values = np.frombuffer(data[start + begin : start + end], dtype=np_dtype).reshape(t["shape"])
        tensors[name] = torch.from_numpy(values.copy())
    return tensors, meta


def activation(layer):
    name = layer["activation"]
    if name == "linear":
        return None
    if name == "sigmoid":
        return torch.nn.Sigmoid()
    if name == "tanh":
        return torch.nn.Tanh()
    if name == "relu":
        return torch.nn.ReLU()
    if name == "leaky_relu":
        return torch.nn.LeakyReLU(negative_slope=layer.get("slope", 0.01))
    if name == "softmax":
        return torch.nn.Softmax(dim=1)
    raise ValueError(f"unknown activation {name}")


def run(path, rows):
    tensors, meta = read_safetensors(path)
    dtype = next(iter(tensors.values())).dtype
    layers = json.loads(meta["layers"])
    modules = []
    n_in = json.loads(meta["inputs"])
    for layer in layers:
        modules.append(torch.nn.Linear(n_in, layer["units"], dtype=dtype))
        act = activation(layer)
        if act is not None:
            modules.append(act)
        n_in = layer["units"]
    net = torch.nn.Sequential(*modules)
    net.load_state_dict(tensors, strict=True)
    x = torch.tensor(rows, dtype=dtype)
    if "preprocess" in meta:
        p = json.loads(meta["preprocess"])
        x = (x - torch.tensor(p["offset"], dtype=dtype)) / torch.tensor(p["scale"], dtype=dtype)
    with torch.no_grad():
        y = net(x)
    if "target_preprocess" in meta and json.loads(meta.get("kind", "null")) == "regression":  # as predict: a regression only
        t = json.loads(meta["target_preprocess"])
        y = y * torch.tensor(t["scale"], dtype=dtype) + torch.tensor(t["offset"], dtype=dtype)
    return {"outputs": y.tolist(), "modules": [str(m) for m in net]}


def main():
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    print(json.dumps([run(job["model"], job["rows"]) for job in jobs]))


if __name__ == "__main__":
    main()
