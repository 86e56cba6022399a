"""Side-by-side training throughput: stable-baselines3 + sb3-contrib MaskablePPO (PyTorch CPU,
one thread) vs Lepton's PPO, on the same DeepRM environment (Lepton's, served by
scripts/sb3/bridge.ts), at identical settings, back to back on the same machine.

Run through scripts/sb3-compare.sh (it builds the throwaway venv). Settings (both sides):
  tuned   : network 4480→20 (separate policy and value nets, tanh), 8 envs × 256 steps,
            minibatch 512, 4 epochs, lr 1e-3, γ 0.99, λ 0.95, clip 0.2, no value clipping,
            entropy 0, vf 0.5, max grad norm 0.5, Adam ε 1e-5, constant lr
  default : the same with SB3's default network 64-64 (tanh), minibatch 64, 10 epochs
The library's CPU time includes the bridge process (the env work); wall time is what the user
waits. Sides alternate (library, Lepton, library, Lepton, …) so a change of machine load hits
both; the ratio of medians is reported.
"""
import argparse
import json
import os
import platform
import struct
import subprocess
import sys
import time

import numpy as np
import torch
from gymnasium import spaces
from sb3_contrib import MaskablePPO
from stable_baselines3.common.vec_env.base_vec_env import VecEnv

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TSX = [os.path.join(REPO, "node_modules", ".bin", "tsx")]


class BridgeVecEnv(VecEnv):
    """N Lepton DeepRM envs in one node process; one binary round trip per vector step."""

    def __init__(self, n: int):
        self.proc = subprocess.Popen(
            TSX + [os.path.join(REPO, "scripts", "sb3", "bridge.ts"), str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=REPO,
        )
        self.D, self.A = struct.unpack("<ii", self._read(8))
        self.masks = np.zeros((n, self.A), dtype=bool)
        self.actions = np.zeros(n, dtype="<i4")
        super().__init__(n, spaces.Box(0.0, 1.0, (self.D,), np.float32), spaces.Discrete(self.A))

    def _read(self, k: int) -> bytearray:
        buf = bytearray(k)
        view = memoryview(buf)
        got = 0
        while got < k:
            r = self.proc.stdout.readinto(view[got:])
            if not r:
                raise RuntimeError("bridge closed its output")
            got += r
        return buf

    def _obs_masks(self):
        n = self.num_envs
        obs = np.frombuffer(self._read(4 * n * self.D), dtype="<f4").reshape(n, self.D)
        self.masks = np.frombuffer(self._read(n * self.A), dtype=np.uint8).reshape(n, self.A).astype(bool)
        return obs

    def reset(self):
        self.proc.stdin.write(b"R")
        self.proc.stdin.flush()
        return self._obs_masks()

    def step_async(self, actions):
        self.actions = np.asarray(actions, dtype="<i4")

    def step_wait(self):
        self.proc.stdin.write(b"S" + self.actions.tobytes())
        self.proc.stdin.flush()
        obs = self._obs_masks()
        n = self.num_envs
        rewards = np.frombuffer(self._read(4 * n), dtype="<f4").astype(np.float32)
        dones = np.frombuffer(self._read(n), dtype=np.uint8).astype(bool)
        return obs, rewards, dones, [{} for _ in range(n)]

    def quit(self) -> float:
        """Stops the bridge; returns the CPU seconds it used."""
        self.proc.stdin.write(b"Q")
        self.proc.stdin.flush()
        (cpu,) = struct.unpack("<d", self._read(8))
        self.proc.wait()
        return cpu

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()

    def action_masks(self):
        return self.masks

    def env_method(self, method_name, *args, indices=None, **kwargs):
        if method_name == "action_masks":
            return list(self.masks)
        raise AttributeError(method_name)

    def get_attr(self, attr_name, indices=None):
        if attr_name == "action_masks":
            return [True] * self.num_envs
        raise AttributeError(attr_name)

    def has_attr(self, attr_name):
        return attr_name == "action_masks"

    def set_attr(self, attr_name, value, indices=None):
        raise AttributeError(attr_name)

    def env_is_wrapped(self, wrapper_class, indices=None):
        return [False] * self.num_envs

    def seed(self, seed=None):
        return [None] * self.num_envs


def library(setting: dict, steps: int) -> dict:
    torch.set_num_threads(1)
    env = BridgeVecEnv(setting["envs"])
    model = MaskablePPO(
        "MlpPolicy",
        env,
        n_steps=setting["rollout"],
        batch_size=setting["minibatch"],
        n_epochs=setting["epochs"],
        learning_rate=1e-3,
        gamma=0.99,
        gae_lambda=0.95,
        clip_range=0.2,
        ent_coef=0.0,
        vf_coef=0.5,
        max_grad_norm=0.5,
        policy_kwargs=dict(net_arch=dict(pi=setting["hidden"], vf=setting["hidden"]), activation_fn=torch.nn.Tanh),
        device="cpu",
        seed=1,
        verbose=0,
    )
    c0 = time.process_time()
    t0 = time.perf_counter()
    model.learn(total_timesteps=steps)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    bridge_cpu = env.quit()
    done = model.num_timesteps
    return {
        "side": "library",
        "steps": done,
        "wall": wall,
        "cpu": cpu + bridge_cpu,
        "bridgeCpu": bridge_cpu,
        "stepsPerWallS": done / wall,
        "stepsPerCpuS": done / (cpu + bridge_cpu),
    }


def lepton(setting: dict, steps: int) -> dict:
    cmd = TSX + [
        os.path.join(REPO, "scripts", "sb3", "lepton-ppo.ts"),
        "--steps", str(steps),
        "--envs", str(setting["envs"]),
        "--rollout", str(setting["rollout"]),
        "--minibatch", str(setting["minibatch"]),
        "--epochs", str(setting["epochs"]),
        "--hidden", ",".join(map(str, setting["hidden"])),
        "--activation", "tanh",
    ]
    out = subprocess.run(cmd, cwd=REPO, check=True, capture_output=True, text=True).stdout
    return json.loads([l for l in out.splitlines() if l.startswith("{")][-1])


SETTINGS = {
    "tuned": dict(hidden=[20], envs=8, rollout=256, minibatch=512, epochs=4),
    "default": dict(hidden=[64, 64], envs=8, rollout=256, minibatch=64, epochs=10),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--setting", choices=sorted(SETTINGS), action="append")
    ap.add_argument("--rollouts", type=int, default=3, help="rollouts (+ updates) per timed run")
    ap.add_argument("--reps", type=int, default=2, help="timed runs per side (alternating)")
    ap.add_argument("--out", default=None, help="write all results as JSON here")
    a = ap.parse_args()
    results = []
    for name in a.setting or ["tuned"]:
        s = SETTINGS[name]
        steps = a.rollouts * s["envs"] * s["rollout"]
        runs = {"library": [], "lepton": []}
        for rep in range(a.reps):
            for side, fn in (("library", library), ("lepton", lepton)):
                r = fn(s, steps)
                r.update(setting=name, rep=rep, loadavg=os.getloadavg())
                runs[side].append(r)
                print(json.dumps(r), flush=True)
        med = lambda xs: float(np.median(xs))
        summary = {
            "setting": name,
            **s,
            "steps": steps,
            "library_steps_per_wall_s": med([r["stepsPerWallS"] for r in runs["library"]]),
            "lepton_steps_per_wall_s": med([r["stepsPerWallS"] for r in runs["lepton"]]),
            "library_steps_per_cpu_s": med([r["stepsPerCpuS"] for r in runs["library"]]),
            "lepton_steps_per_cpu_s": med([r["stepsPerCpuS"] for r in runs["lepton"]]),
            "lepton_backend": runs["lepton"][0]["backend"],
        }
        summary["ratio_wall"] = summary["lepton_steps_per_wall_s"] / summary["library_steps_per_wall_s"]
        summary["ratio_cpu"] = summary["lepton_steps_per_cpu_s"] / summary["library_steps_per_cpu_s"]
        print("SUMMARY " + json.dumps(summary), flush=True)
        results.append({"summary": summary, "runs": runs})
    if a.out:
        tmp = a.out + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"command": "bash scripts/sb3-compare.sh " + " ".join(sys.argv[1:]), **context(), "results": results}, f, indent=2)
        os.replace(tmp, a.out)


def context() -> dict:
    """What the numbers depend on: versions, machine, load, niceness, Lepton revision."""
    import sb3_contrib
    import stable_baselines3

    def run(cmd):
        try:
            return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return None

    model = None
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), None)
    except OSError:
        pass
    return {
        "versions": {
            "torch": torch.__version__,
            "stable_baselines3": stable_baselines3.__version__,
            "sb3_contrib": sb3_contrib.__version__,
            "python": sys.version.split()[0],
            "node": run(["node", "--version"]),
        },
        "lepton_revision": run(["git", "rev-parse", "HEAD"]),
        "machine": {"cpu": model, "cores": os.cpu_count(), "platform": platform.platform()},
        "nice": os.nice(0),
        "loadavg_end": os.getloadavg(),
    }


if __name__ == "__main__":
    main()
