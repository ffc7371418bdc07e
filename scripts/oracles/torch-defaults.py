#!/usr/bin/python3
"""PyTorch's own defaults of the optimizer and schedule settings mlplab's descriptors name
(src/training/optimizers/, src/training/schedules/), read from torch.optim's and torch.optim.lr_scheduler's
constructors' signatures, under mlplab's setting names: lr -> learning_rate, betas -> beta1 and beta2, eps ->
epsilon, T_max -> t_max. A setting torch requires (SGD's lr, StepLR's step_size) is written as null: mlplab
chooses that default itself. Written to test/fixtures/torch-defaults.json, which test/engine/torch-defaults.test.ts
compares with every descriptor's defaults.

Run with Debian's python3 (it has torch; the pyenv python3 on PATH does not):

    /usr/bin/python3 scripts/oracles/torch-defaults.py
"""

import inspect
import json
import os

import torch

OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad}
SCHEDULES = {"step": torch.optim.lr_scheduler.StepLR, "exponential": torch.optim.lr_scheduler.ExponentialLR, "cosine": torch.optim.lr_scheduler.CosineAnnealingLR, "plateau": torch.optim.lr_scheduler.ReduceLROnPlateau}
NAMES = {"lr": "learning_rate", "eps": "epsilon", "T_max": "t_max"}
# The settings mlplab has (ReduceLROnPlateau's eps and its modes are fixed: plateau.ts).
TAKEN = {"lr", "betas", "eps", "weight_decay", "momentum", "nesterov", "alpha", "centered", "lr_decay", "initial_accumulator_value",
         "step_size", "gamma", "T_max", "eta_min", "factor", "patience", "threshold", "cooldown", "min_lr"}


def defaults(cls):
    out = {}
    for name, p in inspect.signature(cls.__init__).parameters.items():
        if name not in TAKEN:
            continue
        # torch marks a required setting with its own sentinel (torch.optim.optimizer.required), not a number
        value = p.default if isinstance(p.default, (int, float, bool, tuple)) else None
        if cls in SCHEDULES.values() and name == "eps":
            continue
        if name == "betas":
            out["beta1"], out["beta2"] = value
        else:
            out[NAMES.get(name, name)] = value
    return out


fixture = {
    "torch": torch.__version__,
    "optimizers": {name: defaults(cls) for name, cls in OPTIMIZERS.items()},
    "schedules": {name: defaults(cls) for name, cls in SCHEDULES.items()},
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "torch-defaults.json")
with open(path, "w") as f:
    json.dump(fixture, f, indent=2)
    f.write("\n")
print(json.dumps(fixture))
