"""The platform a run's numbers were computed on: CPU, the BLAS libraries, their kernels and threads."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

# The environment variables that choose a BLAS kernel or its threads without any change to the code.
BLAS_ENVIRONMENT = ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "MKL_CBWR", "MKL_ENABLE_INSTRUCTIONS")
# The instruction sets that decide which kernel a BLAS library picks (OpenBLAS: Haswell = AVX2, SkylakeX = AVX-512).
CPU_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512vl", "avx512_bf16")


def platform_info() -> dict[str, Any]:
    """What decides floating-point results beyond the code and package versions.

    ``blas`` lists every BLAS and OpenMP library loaded in this process (threadpoolctl): its
    implementation, version, the kernel it chose for this CPU (``architecture``) and its threads.
    Call it after fitting, when the libraries the run used are loaded.
    """
    from threadpoolctl import threadpool_info  # shipped with scikit-learn

    cpu = _cpuinfo()
    flags = set(cpu.get("flags", "").split())
    return {
        "machine": platform.machine(),
        "system": platform.system(),
        "cpu": cpu.get("model name") or platform.processor() or "unknown",
        "cpu_flags": [flag for flag in CPU_FLAGS if flag in flags],
        "cpu_count": os.cpu_count(),
        "blas": [{"library": info.get("internal_api"), "file": Path(info.get("filepath") or "").name,
                  "version": info.get("version"), "architecture": info.get("architecture"),
                  "threads": info.get("num_threads"), "threading": info.get("threading_layer")}
                 for info in threadpool_info()],
        "environment": {name: os.environ[name] for name in BLAS_ENVIRONMENT if name in os.environ},
    }


def _cpuinfo() -> dict[str, str]:
    """The first processor's fields of ``/proc/cpuinfo`` (empty where there is none)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    fields: dict[str, str] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields

