#!/usr/bin/env bash
# Captures real nvidia-smi output on an NVIDIA GPU machine, for the power sampler's fixtures and the
# catalog check, and times decode-shaped GEMMs and an HBM read for docs/simulator.md.
# Usage: OUT=dir bash bench/gpu/nvidia-check.sh   (needs nvidia-smi; python3 with torch for the timings)
set -u
OUT=${OUT:-/tmp/nvidia-check}
mkdir -p "$OUT"
nvidia-smi --query-gpu=index,name,memory.total,power.limit,power.max_limit,clocks.max.sm,clocks.max.mem,driver_version \
  --format=csv >"$OUT/nvidia-smi-gpu.csv" 2>&1
# the exact command the power sampler runs, while the GPU idles, then works, then idles
nvidia-smi --query-gpu=timestamp,index,power.draw --format=csv,noheader,nounits -lms 100 >"$OUT/nvidia-smi-power.csv" 2>&1 &
SMI=$!
sleep 1.5
python3 - <<'PY' >"$OUT/gpu-timings.txt" 2>&1
import time, torch
dev = "cuda"
torch.backends.cuda.matmul.allow_tf32 = False
def timeit(fn, n=50):
    for _ in range(5): fn()
    torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(n): fn()
    torch.cuda.synchronize(); return (time.perf_counter() - t) / n
print("device", torch.cuda.get_device_name(0), "torch", torch.__version__)
# HBM read: sum of a 4 GiB bf16 tensor
x = torch.randn(2 * 1024**3, dtype=torch.bfloat16, device=dev)
t = timeit(lambda: x.sum(), 20)
print(f"hbm_read_sum bytes={x.numel()*2} s={t:.6f} GBps={x.numel()*2/t/1e9:.0f}")
del x
# decode-shaped GEMMs: [M x K] @ [K x N], weights N x K (a 7168-wide layer as in DeepSeek-R1)
K, N = 7168, 18432
w = torch.randn(N, K, dtype=torch.bfloat16, device=dev)
for M in (1, 8, 32, 128, 512, 2048, 8192):
    a = torch.randn(M, K, dtype=torch.bfloat16, device=dev)
    t = timeit(lambda: a @ w.t())
    print(f"gemm_bf16 M={M} K={K} N={N} s={t:.7f} TFLOPs={2*M*K*N/t/1e12:.1f} weightGBps={N*K*2/t/1e9:.0f}")
try:
    w8 = w.to(torch.float8_e4m3fn)
    one = torch.tensor(1.0, device=dev)
    for M in (16, 128, 512, 2048, 8192):
        a8 = torch.randn(M, K, device=dev).to(torch.float8_e4m3fn)
        t = timeit(lambda: torch._scaled_mm(a8, w8.t(), scale_a=one, scale_b=one, out_dtype=torch.bfloat16))
        print(f"gemm_fp8 M={M} K={K} N={N} s={t:.7f} TFLOPs={2*M*K*N/t/1e12:.1f} weightGBps={N*K/t/1e9:.0f}")
except Exception as e:
    print("fp8 gemm failed:", e)
# kernel launch floor: an empty-ish op chain, as a per-kernel overhead reference
s = torch.randn(1024, device=dev)
t = timeit(lambda: s.add_(1.0), 2000)
print(f"tiny_kernel s={t:.7f} (launch + run, no CUDA graph)")
# keep the GPU busy about 2 s for the power trace
big = torch.randn(8192, 8192, dtype=torch.bfloat16, device=dev)
end = time.time() + 2.0
while time.time() < end:
    for _ in range(20): big @ big
    torch.cuda.synchronize()
print("load_done")
PY
sleep 1.5
kill $SMI 2>/dev/null; wait $SMI 2>/dev/null
which dcgmi amd-smi rocm-smi >"$OUT/other-tools.txt" 2>&1
echo "done: $(wc -l <"$OUT/nvidia-smi-power.csv") power lines"
cat "$OUT/gpu-timings.txt" "$OUT/nvidia-smi-gpu.csv"
