#!/usr/bin/env python3
"""CVXOPT reference solve of the central OPF SOCP, for bench/opfCvxopt.ts (never needed by npm test).

Run with Debian's interpreter, which has python3-cvxopt:
  /usr/bin/python3 scripts/reference/opf_cvxopt.py PROBLEM.json [--tol 1e-8] [--repeat N]

PROBLEM.json is the exact program our solver solves, written by writeProblemJson
(src/conic/io/problemJson.ts). The conversion to coneqp's (P, q, G, h, A, b, dims) and the sparse
KKT solver (CHOLMOD simplicial LDL' of the regularized quasidefinite system, one refinement step)
are those of cvxopt_conic.py beside this file, so the corpus and the OPF side-by-sides share one
reference configuration. Only the tolerances differ: abstol = reltol = feastol = --tol here, so
both solvers are held to the same 1e-8 (CVXOPT's defaults are 1e-7 / 1e-6 / 1e-7).

Prints one JSON object: status, objective, iterations, seconds (wall of coneqp, KKT symbolic
analysis included), cpuSeconds (process time of the same span), gap, relativeGap, the primal and
dual infeasibilities CVXOPT reports, and kkt (which factorization ran). With --repeat N the solve
runs N times and each list holds every run (the caller takes the median).
"""
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cvxopt import solvers  # noqa: E402

from cvxopt_conic import SparseKkt, build, load_problem  # noqa: E402


def parse_args(argv):
    tol, repeat, files = 1e-8, 1, []
    k = 0
    while k < len(argv):
        if argv[k] == "--tol":
            tol = float(argv[k + 1])
            k += 2
        elif argv[k] == "--repeat":
            repeat = max(1, int(argv[k + 1]))
            k += 2
        else:
            files.append(argv[k])
            k += 1
    if len(files) != 1 or not (tol > 0 and math.isfinite(tol)):
        raise SystemExit(__doc__)
    return files[0], tol, repeat


def main():
    path, tol, repeat = parse_args(sys.argv[1:])
    P, q, G, h, A, b, dims = build(load_problem(path))
    solvers.options.clear()
    solvers.options.update({"show_progress": False, "abstol": tol, "reltol": tol, "feastol": tol, "maxiters": 200})
    seconds, cpu_seconds, sol, kkt = [], [], None, None
    for _ in range(repeat):
        # A fresh KKT solver each run: its ordering and symbolic analysis count in every timing.
        kkt = SparseKkt(P, A, G, dims)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        sol = solvers.coneqp(P, q, G, h, dims, A, b, kktsolver=kkt)
        seconds.append(time.perf_counter() - wall0)
        cpu_seconds.append(time.process_time() - cpu0)
    out = {
        "status": "solved" if sol["status"] == "optimal" else sol["status"],
        "objective": sol["primal objective"],
        "iterations": sol["iterations"],
        "seconds": seconds,
        "cpuSeconds": cpu_seconds,
        "gap": sol["gap"],
        "relativeGap": sol["relative gap"],
        "primalInfeasibility": sol["primal infeasibility"],
        "dualInfeasibility": sol["dual infeasibility"],
        "tolerance": tol,
        "kkt": kkt.kind,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
