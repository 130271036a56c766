"""What one small kernel costs inside a captured CUDA graph, by kind of kernel.

The simulator's per-layer fixed cost (docs/simulator.md, "Overhead") assumes that the small kernels a
decoder layer launches in a decode step cost about the same whatever they do, so that a layer's fixed
cost follows its kernel count. This script checks that on a real GPU: for each kind of decode-sized
kernel (an elementwise op, an RMSNorm, a GEMV with a tiny weight, a top-k over 256 router logits, a
gather, a softmax) it captures a graph of N back-to-back copies, replays it, and prints the time per
kernel. A chain of dependent kernels, as in a layer, not independent ones that could overlap.

Usage: python3 bench/gpu/kernel-floor.py   (needs torch with CUDA)
"""

import time

import torch

dev = "cuda"
torch.manual_seed(0)
H = 7168  # DeepSeek-R1's hidden size
x0 = torch.randn(1, H, dtype=torch.bfloat16, device=dev)
w_small = torch.randn(64, H, dtype=torch.bfloat16, device=dev)  # 0.9 MB: launch-bound, not bandwidth-bound
w_back = torch.randn(H, 64, dtype=torch.bfloat16, device=dev)
norm_w = torch.ones(H, dtype=torch.bfloat16, device=dev)
idx = torch.randint(0, H, (H,), device=dev)


def chain(kind, n):
    """n dependent kernels of one kind; each output feeds the next."""
    y = x0.clone()
    for i in range(n):
        if kind == "elementwise":
            y = y * 1.0001
        elif kind == "rms_norm":
            y = torch.nn.functional.rms_norm(y, (H,), norm_w)
        elif kind == "gemv_tiny":
            # alternate down and up so shapes chain: [1,H] -> [1,64] -> [1,H]
            y = y @ (w_small.t() if i % 2 == 0 else w_back.t())
        elif kind == "topk_256":
            y = y[:, :256] if y.shape[1] != 256 else y
            y = torch.topk(y, 8, dim=-1).values.repeat(1, 32)
        elif kind == "gather":
            y = y[:, idx]
        elif kind == "softmax":
            y = torch.softmax(y, dim=-1)
    return y


def per_kernel_us(kind, n, replays=200):
    g = torch.cuda.CUDAGraph()
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            chain(kind, n)
    torch.cuda.current_stream().wait_stream(s)
    with torch.cuda.graph(g):
        chain(kind, n)
    for _ in range(10):
        g.replay()
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(replays):
        g.replay()
    torch.cuda.synchronize()
    return (time.perf_counter() - t) / replays / n * 1e6


def kernels_in(kind, n):
    """Kernels the chain really launches (some ops launch more than one), from the profiler."""
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA]) as prof:
        chain(kind, n)
        torch.cuda.synchronize()
    return sum(1 for e in prof.events() if e.device_type == torch.autograd.DeviceType.CUDA)


print("device", torch.cuda.get_device_name(0), "torch", torch.__version__)
print("kind\tn\tkernels\tus_per_op\tus_per_kernel")
for kind in ("elementwise", "rms_norm", "gemv_tiny", "topk_256", "gather", "softmax"):
    for n in (28, 112):
        k = kernels_in(kind, n)
        us = per_kernel_us(kind, n)
        print(f"{kind}\t{n}\t{k}\t{us:.2f}\t{us * n / max(k, 1):.2f}")
