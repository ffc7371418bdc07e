#!/usr/bin/python3
"""The PyTorch oracle for whole training runs: each case is an mlplab experiment (its config, written here) and
the same training written with torch (float64): torch.nn.Linear layers loaded with the case's initial weights,
torch.optim's optimizer, torch.optim.lr_scheduler's schedule stepped once per epoch after its updates,
torch.nn.utils.clip_grad_norm_ between backward and step, the loss with its reduction, batches of consecutive
rows (shuffle off) with a smaller last batch averaged over its own rows. Early stopping follows Keras's rule
(torch has none): an epoch improves when its value beats the best by more than min_delta; stop after `patience`
epochs in a row without; restore_best puts back the best epoch's weights at the end.

Per case it records the loss log's train_loss after every epoch (the mean loss over the whole training set, as
mlplab logs it whatever the reduction), the learning rate each epoch's updates used, and the final weights.
Written to test/fixtures/torch-training.json, which test/training/torch-training.test.ts compares with.

Run with Debian's python3 (it has torch; the pyenv python3 on PATH does not):

    /usr/bin/python3 scripts/oracles/torch-training.py
"""

import json
import math
import os

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "torch-training.json")


def data(rows, inputs, seed):
    rng = np.random.default_rng(seed)
    return np.round(rng.uniform(-1, 1, size=(rows, inputs)), 3)


def init_weights(sizes, seed):
    """mlplab's layout: w (n_in, n_out) row-major as nested lists, b (n_out)."""
    rng = np.random.default_rng(seed)
    return [
        {"w": np.round(rng.uniform(-0.8, 0.8, size=(a, b)), 4).tolist(), "b": np.round(rng.uniform(-0.2, 0.2, size=b), 4).tolist()}
        for a, b in zip(sizes[:-1], sizes[1:])
    ]


ACT = {
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "linear": lambda z: z,
    "softmax": lambda z: torch.softmax(z, 1),
}


def forward(layers, acts, slopes, x):
    """The logits of the last layer (its activation is the loss's, or applied for mse)."""
    a = x
    for k, (lin, act) in enumerate(zip(layers, acts)):
        z = lin(a)
        if k == len(layers) - 1:
            return z
        a = torch.nn.functional.leaky_relu(z, slopes[k]) if act == "leaky_relu" else ACT[act](z)
    return a


def loss_fn(loss, out_act, z, y, reduction):
    if loss == "mse":
        a = z if out_act == "linear" else (torch.softmax(z, 1) if out_act == "softmax" else ACT[out_act](z))
        return torch.nn.functional.mse_loss(a, y, reduction=reduction)
    if loss == "cross_entropy":
        return torch.nn.functional.cross_entropy(z, y, reduction=reduction)
    return torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction=reduction)


def optimizer(cfg, params_decay, params_no_decay):
    t = cfg["type"]
    lr = cfg["learning_rate"]
    wd = cfg.get("weight_decay", 0.01 if t == "adamw" else 0)
    groups = [{"params": params_decay, "weight_decay": wd}, {"params": params_no_decay, "weight_decay": 0}]
    if t == "sgd":
        return torch.optim.SGD(groups, lr=lr, momentum=cfg.get("momentum", 0), nesterov=cfg.get("nesterov", False))
    if t in ("adam", "adamw"):
        cls = torch.optim.Adam if t == "adam" else torch.optim.AdamW
        return cls(groups, lr=lr, betas=(cfg.get("beta1", 0.9), cfg.get("beta2", 0.999)), eps=cfg.get("epsilon", 1e-8))
    if t == "rmsprop":
        return torch.optim.RMSprop(groups, lr=lr, alpha=cfg.get("alpha", 0.99), eps=cfg.get("epsilon", 1e-8), momentum=cfg.get("momentum", 0), centered=cfg.get("centered", False))
    return torch.optim.Adagrad(groups, lr=lr, lr_decay=cfg.get("lr_decay", 0), initial_accumulator_value=cfg.get("initial_accumulator_value", 0), eps=cfg.get("epsilon", 1e-10))


def scheduler(cfg, opt):
    t = cfg["type"]
    if t == "step":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=cfg["step_size"], gamma=cfg.get("gamma", 0.1))
    if t == "exponential":
        return torch.optim.lr_scheduler.ExponentialLR(opt, gamma=cfg.get("gamma", 0.99))
    if t == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg["t_max"], eta_min=cfg.get("eta_min", 0))
    if t == "plateau":
        mode = "max" if cfg.get("monitor", "validation_loss").endswith(("accuracy", "r2")) else "min"
        return torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, mode=mode, factor=cfg.get("factor", 0.1), patience=cfg.get("patience", 10), threshold=cfg.get("threshold", 1e-4),
            threshold_mode="rel", cooldown=cfg.get("cooldown", 0), min_lr=cfg.get("min_lr", 0))
    return None


def train(config, weights):
    x = torch.tensor(config["data"]["inline"]["inputs"])
    y = torch.tensor(config["data"]["inline"]["targets"], dtype=torch.float64)
    acts = [l["activation"] for l in config["model"]["layers"]]
    slopes = [l.get("slope", 0.01) for l in config["model"]["layers"]]
    layers = []
    for lw in weights:
        w = torch.tensor(lw["w"]).T.contiguous()
        lin = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(w)
            lin.bias.copy_(torch.tensor(lw["b"]))
        layers.append(lin)
    tr = config["training"]
    opt = optimizer(tr["optimizer"], [l.weight for l in layers], [l.bias for l in layers])
    sched = scheduler(tr.get("schedule", {"type": "constant"}), opt)
    loss, reduction = config["loss"], config.get("reduction", "mean")
    n = x.shape[0]
    batch = n if tr["batch_size"] == "full" else min(tr["batch_size"], n)
    es = tr.get("early_stopping")
    best, best_epoch, wait, best_weights, stopped = None, 0, 0, None, False
    if es is not None:
        best = -math.inf if es["monitor"].endswith("accuracy") else math.inf

    def train_loss():
        with torch.no_grad():
            return loss_fn(loss, acts[-1], forward(layers, acts, slopes, x), y, "mean").item()

    def monitored(name):
        if name == "train_loss":
            return train_loss()
        assert name == "train_accuracy" and loss == "cross_entropy"
        with torch.no_grad():
            return (forward(layers, acts, slopes, x).argmax(1) == y.argmax(1)).double().mean().item()

    losses, rates = [train_loss()], []
    for epoch in range(1, tr["epochs"] + 1):
        rates.append(opt.param_groups[0]["lr"])
        for start in range(0, n, batch):
            xb, yb = x[start:start + batch], y[start:start + batch]
            opt.zero_grad()
            loss_fn(loss, acts[-1], forward(layers, acts, slopes, xb), yb, reduction).backward()
            if tr.get("clip_grad_norm") is not None:
                torch.nn.utils.clip_grad_norm_([p for l in layers for p in (l.weight, l.bias)], tr["clip_grad_norm"])
            opt.step()
        losses.append(train_loss())
        if es is not None:
            value = monitored(es["monitor"])
            better = value - es.get("min_delta", 0) > best if es["monitor"].endswith("accuracy") else value + es.get("min_delta", 0) < best
            if better:
                best, best_epoch, wait = value, epoch, 0
                best_weights = [(l.weight.detach().clone(), l.bias.detach().clone()) for l in layers]
            else:
                wait += 1
                if wait >= es["patience"]:
                    stopped = True
                    break
        if isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau):
            sched.step(monitored(tr["schedule"]["monitor"]))
        elif sched is not None:
            sched.step()
    if es is not None and es.get("restore_best", True) and best_weights is not None:
        with torch.no_grad():
            for l, (w, b) in zip(layers, best_weights):
                l.weight.copy_(w)
                l.bias.copy_(b)
    final = [{"w": l.weight.detach().T.tolist(), "b": l.bias.detach().tolist()} for l in layers]
    out = {"train_loss": losses, "learning_rate": rates, "final_weights": final, "final_train_loss": train_loss()}
    if es is not None:
        out["best_epoch"], out["stopped"] = best_epoch, stopped
    return out


def one_hot(labels, k):
    return [[1.0 if j == c else 0.0 for j in range(k)] for c in labels]


def cases():
    x7 = data(7, 3, 1)
    reg = [[round(math.sin(2 * a) + b, 4), round(a * c - b, 4)] for a, b, c in x7.tolist()]
    x10 = data(10, 2, 2)
    cls3 = one_hot([int((a + 1) * 1.5) % 3 for a, _ in x10.tolist()], 3)
    bin1 = [[1.0 if a * b > 0 else 0.0] for a, b in x10.tolist()]
    x9 = data(9, 4, 3)
    reg1 = [[round(float(sum(r)) ** 2 / 4, 4)] for r in x9.tolist()]

    def cfg(name, inputs, targets, layers, loss, training, reduction="mean"):
        return {
            "name": name,
            "data": {"inline": {"inputs": inputs.tolist(), "targets": targets}},
            "model": {"layers": layers},
            "loss": loss,
            "reduction": reduction,
            "training": {"shuffle": False, **training},
        }

    tanh_linear = [{"units": 4, "activation": "tanh"}, {"units": 2, "activation": "linear"}]
    yield cfg("sgd-nesterov-step-clip", x7, reg, tanh_linear, "mse", {
        "epochs": 8, "batch_size": 3,
        "optimizer": {"type": "sgd", "learning_rate": 0.2, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05},
        "schedule": {"type": "step", "step_size": 3, "gamma": 0.5}, "clip_grad_norm": 0.5}), [3, 4, 2], 11
    yield cfg("sgd-sum-exponential", x7, reg, tanh_linear, "mse", {
        "epochs": 6, "batch_size": 2,
        "optimizer": {"type": "sgd", "learning_rate": 0.02, "momentum": 0.5},
        "schedule": {"type": "exponential", "gamma": 0.8}}, reduction="sum"), [3, 4, 2], 12
    softmax3 = [{"units": 5, "activation": "relu"}, {"units": 3, "activation": "softmax"}]
    yield cfg("adam-wd-cosine", x10, cls3, softmax3, "cross_entropy", {
        "epochs": 9, "batch_size": 4,
        "optimizer": {"type": "adam", "learning_rate": 0.05, "weight_decay": 0.1, "beta1": 0.8},
        "schedule": {"type": "cosine", "t_max": 3, "eta_min": 0.001}}), [2, 5, 3], 13
    sig = [{"units": 3, "activation": "leaky_relu", "slope": 0.2}, {"units": 1, "activation": "sigmoid"}]
    yield cfg("adamw-bce-full", x10, bin1, sig, "binary_cross_entropy", {
        "epochs": 7, "batch_size": "full",
        "optimizer": {"type": "adamw", "learning_rate": 0.1, "weight_decay": 0.3}}), [2, 3, 1], 14
    yield cfg("adamw-bce-sum-clip", x10, bin1, sig, "binary_cross_entropy", {
        "epochs": 5, "batch_size": 3,
        "optimizer": {"type": "adamw", "learning_rate": 0.05}, "clip_grad_norm": 0.1}, reduction="sum"), [2, 3, 1], 15
    mlp = [{"units": 4, "activation": "sigmoid"}, {"units": 3, "activation": "tanh"}, {"units": 1, "activation": "linear"}]
    yield cfg("rmsprop-centered-plateau", x9, reg1, mlp, "mse", {
        "epochs": 14, "batch_size": 4,
        "optimizer": {"type": "rmsprop", "learning_rate": 0.03, "momentum": 0.6, "centered": True, "weight_decay": 0.01},
        "schedule": {"type": "plateau", "monitor": "train_loss", "patience": 0, "factor": 0.5, "threshold": 0.05, "cooldown": 1, "min_lr": 0.005}}), [4, 4, 3, 1], 16
    yield cfg("rmsprop-plain", x9, reg1, mlp, "mse", {
        "epochs": 5, "batch_size": 2, "optimizer": {"type": "rmsprop", "learning_rate": 0.01, "alpha": 0.9}}), [4, 4, 3, 1], 17
    yield cfg("adagrad-decay", x10, cls3, softmax3, "cross_entropy", {
        "epochs": 6, "batch_size": 3,
        "optimizer": {"type": "adagrad", "learning_rate": 0.3, "lr_decay": 0.05, "initial_accumulator_value": 0.1, "weight_decay": 0.02}}), [2, 5, 3], 18
    yield cfg("softmax-mse", x10, cls3, softmax3, "mse", {
        "epochs": 4, "batch_size": 4, "optimizer": {"type": "sgd", "learning_rate": 0.5}}), [2, 5, 3], 19
    yield cfg("early-stopping-restore", x9, reg1, mlp, "mse", {
        "epochs": 30, "batch_size": 3,
        "optimizer": {"type": "sgd", "learning_rate": 0.3, "momentum": 0.9},
        "early_stopping": {"monitor": "train_loss", "patience": 3, "min_delta": 0.001, "restore_best": True}}), [4, 4, 3, 1], 20
    yield cfg("plateau-patience-1", x10, cls3, softmax3, "cross_entropy", {
        "epochs": 12, "batch_size": 5,
        "optimizer": {"type": "sgd", "learning_rate": 0.4},
        "schedule": {"type": "plateau", "monitor": "train_loss", "patience": 1, "factor": 0.3, "threshold": 0.1}}), [2, 5, 3], 21
    yield cfg("rmsprop-ce-sum-clip", x10, cls3, softmax3, "cross_entropy", {
        "epochs": 6, "batch_size": 4,
        "optimizer": {"type": "rmsprop", "learning_rate": 0.02, "momentum": 0.3, "alpha": 0.4, "centered": True},
        "clip_grad_norm": 0.7}, reduction="sum"), [2, 5, 3], 22
    multi = [[1.0 if a > 0 else 0.0, 1.0 if b > 0 else 0.0, 1.0 if a + b > 0.3 else 0.0] for a, b in x10.tolist()]
    neg = [{"units": 4, "activation": "leaky_relu", "slope": -0.3}, {"units": 3, "activation": "sigmoid"}]
    yield cfg("multilabel-adam-low-beta1-big-batch", x10, multi, neg, "binary_cross_entropy", {
        "epochs": 5, "batch_size": 64,
        "optimizer": {"type": "adam", "learning_rate": 0.05, "beta1": 0.3, "beta2": 0.9, "epsilon": 1e-6}}), [2, 4, 3], 23
    yield cfg("sgd-wd-cosine-restart", x7, reg, tanh_linear, "mse", {
        "epochs": 10, "batch_size": 5,
        "optimizer": {"type": "sgd", "learning_rate": 0.1, "weight_decay": 0.2},
        "schedule": {"type": "cosine", "t_max": 2}}), [3, 4, 2], 24
    yield cfg("plateau-on-accuracy", x10, cls3, softmax3, "cross_entropy", {
        "epochs": 12, "batch_size": 3,
        "optimizer": {"type": "sgd", "learning_rate": 0.2, "momentum": 0.5},
        "schedule": {"type": "plateau", "monitor": "train_accuracy", "patience": 1, "factor": 0.5, "threshold": 0.01}}), [2, 5, 3], 25
    yield cfg("early-stopping-on-accuracy", x10, cls3, softmax3, "cross_entropy", {
        "epochs": 40, "batch_size": 2,
        "optimizer": {"type": "sgd", "learning_rate": 0.1},
        "early_stopping": {"monitor": "train_accuracy", "patience": 4, "min_delta": 0.05, "restore_best": True}}), [2, 5, 3], 26
    # A hidden softmax (its Jacobian-vector product, not fused with a loss), under cross-entropy and under mse with sum.
    hs = [{"units": 4, "activation": "softmax"}, {"units": 3, "activation": "tanh"}, {"units": 3, "activation": "softmax"}]
    yield cfg("hidden-softmax-ce", x10, cls3, hs, "cross_entropy", {
        "epochs": 6, "batch_size": 3, "optimizer": {"type": "sgd", "learning_rate": 0.5, "momentum": 0.7}}), [2, 4, 3, 3], 31
    hs2 = [{"units": 4, "activation": "softmax"}, {"units": 2, "activation": "sigmoid"}]
    yield cfg("hidden-softmax-sigmoid-mse-sum", x7, [[min(max(v, 0), 1) for v in r] for r in reg], hs2, "mse", {
        "epochs": 5, "batch_size": 2, "optimizer": {"type": "adagrad", "learning_rate": 0.2, "weight_decay": 0.1}}, reduction="sum"), [3, 4, 2], 32
    # leaky_relu steeper than 1, a tanh output under mse, and a cosine schedule whose eta_min is above the learning rate.
    lr3 = [{"units": 5, "activation": "leaky_relu", "slope": 1.7}, {"units": 3, "activation": "tanh"}]
    yield cfg("leaky-steep-tanh-out-adam-sum", x10, [[2 * v - 1 for v in r] for r in cls3], lr3, "mse", {
        "epochs": 6, "batch_size": 4, "optimizer": {"type": "adam", "learning_rate": 0.01, "weight_decay": 0.05}, "clip_grad_norm": 2.0,
        "schedule": {"type": "cosine", "t_max": 2, "eta_min": 0.02}}, reduction="sum"), [2, 5, 3], 33


def main():
    out = []
    for config, sizes, seed in cases():
        weights = init_weights(sizes, seed)
        out.append({"config": config, "initial_weights": weights, "torch": train(config, weights)})
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": out}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
