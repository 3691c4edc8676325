"""The Python side's thread count for the parity harnesses: torch's intra-op threads and OpenBLAS's.

Debian's python3-torch 1.13 does its BLAS work through openblas-pthread (libblas.so.3, soname
libopenblas.so.0), whose own pthread pool is sized to the CPU count whatever torch.set_num_threads
says: "1 thread" is then two BLAS threads on a two-core machine. The Java side bounds the presets'
OpenBLAS the same way (dev.featurex.runtime.Threads.set), so set_threads(n) here gives both sides n
threads. Only an OpenBLAS already loaded by torch is touched (RTLD_NOLOAD): when torch uses another
BLAS (MKL in pip's wheels), or the symbol is missing, it warns once and sets torch's threads alone.
"""

import ctypes
import os
import sys

import torch

_openblas = None  # the loaded library; False once it is known to be unreachable


def set_threads(n):
    """torch.set_num_threads(n), and OpenBLAS's pool to n when torch uses OpenBLAS."""
    torch.set_num_threads(n)
    lib = _loaded_openblas()
    if lib:
        lib.openblas_set_num_threads(n)


def _loaded_openblas():
    global _openblas
    if _openblas is None:
        try:
            lib = ctypes.CDLL("libopenblas.so.0", mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
            lib.openblas_set_num_threads.argtypes = [ctypes.c_int]
            lib.openblas_set_num_threads.restype = None
            _openblas = lib
        except (OSError, AttributeError) as e:
            print(
                f"warning: OpenBLAS's thread pool is not bounded ({e}); only torch's threads are set",
                file=sys.stderr,
            )
            _openblas = False
    return _openblas
