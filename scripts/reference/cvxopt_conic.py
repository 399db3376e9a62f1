#!/usr/bin/env python3
"""Solve a gridconsensus problem-JSON file with CVXOPT's coneqp and a sparse KKT solver.

Reference side of `bench/cvxopt.ts` and of the corpus checks; never needed by `npm test`.
Run with Debian's interpreter: /usr/bin/python3 scripts/reference/cvxopt_conic.py PROBLEM.json [--x] [--repeat N] [--progress]
(--progress prints coneqp's per-iteration table on stderr, for side-by-side traces with ours).

Problem form (see src/conic/io/problemJson.ts):  min 1/2 x'Px + q'x  s.t.  Ax + s = b, s in K.
Zero-cone rows become coneqp's equalities, nonnegative rows its 'l' part, second-order cones its
'q' part; a rotated cone (u, v, w), 2uv >= |w|^2, becomes the SOC ((u+v)/sqrt2, (u-v)/sqrt2, w).

Prints one JSON object: {status, objective, iterations, seconds, kkt, x?}; with --repeat N the
solve runs N times and `seconds` is the best (the KKT solver, its ordering included, is rebuilt each time).
"""
import contextlib
import json
import math
import sys
import time

from cvxopt import cholmod, matrix, misc, solvers, spmatrix, umfpack

# Regularization of the quasidefinite KKT matrix (the value measured in docs: 1e-9 works).
DELTA = 1e-9


def load_problem(path):
    with open(path) as f:
        doc = json.load(f)
    if doc.get("format") != "gridconsensus-conic-v1":
        raise SystemExit("not a gridconsensus-conic-v1 problem JSON: " + path)
    return doc


def split_rows(doc):
    """Map each original row to the equality block or to a row of G (nonnegative first, then cones)."""
    m = doc["m"]
    eq_rows, lin_rows, cone_blocks = [], [], []
    row = 0
    for cone in doc["cones"]:
        rows = list(range(row, row + cone["dim"]))
        if cone["type"] == "zero":
            eq_rows += rows
        elif cone["type"] == "nonnegative":
            lin_rows += rows
        else:
            cone_blocks.append((cone["type"], rows))
        row += cone["dim"]
    assert row == m
    # target[r] = list of (block, new_row, coefficient): block 'A' (equalities) or 'G'.
    target = [[] for _ in range(m)]
    for k, r in enumerate(eq_rows):
        target[r].append(("A", k, 1.0))
    g = 0
    for r in lin_rows:
        target[r].append(("G", g, 1.0))
        g += 1
    qdims = []
    s = 1.0 / math.sqrt(2.0)
    for kind, rows in cone_blocks:
        if kind == "rotatedSecondOrder":
            u, v = rows[0], rows[1]
            target[u] += [("G", g, s), ("G", g + 1, s)]
            target[v] += [("G", g, s), ("G", g + 1, -s)]
            for k, r in enumerate(rows[2:]):
                target[r].append(("G", g + 2 + k, 1.0))
        else:
            for k, r in enumerate(rows):
                target[r].append(("G", g + k, 1.0))
        g += len(rows)
        qdims.append(len(rows))
    return target, len(eq_rows), g, len(lin_rows), qdims


def build(doc):
    n = doc["n"]
    target, p, mg, ml, qdims = split_rows(doc)
    Pd = doc["P"]
    pv, pi, pj = [], [], []
    for i, j, v in zip(Pd["rows"], Pd["cols"], Pd["vals"]):
        pv.append(v); pi.append(i); pj.append(j)
        if i != j:
            pv.append(v); pi.append(j); pj.append(i)
    P = spmatrix(pv, pi, pj, (n, n))
    av, ai, aj, gv, gi, gj = [], [], [], [], [], []
    Ad = doc["A"]
    for r, c, v in zip(Ad["rows"], Ad["cols"], Ad["vals"]):
        for block, new, coef in target[r]:
            if block == "A":
                av.append(v * coef); ai.append(new); aj.append(c)
            else:
                gv.append(v * coef); gi.append(new); gj.append(c)
    b = matrix(0.0, (p, 1))
    h = matrix(0.0, (mg, 1))
    for r, val in enumerate(doc["b"]):
        for block, new, coef in target[r]:
            if block == "A":
                b[new] += coef * val
            else:
                h[new] += coef * val
    A = spmatrix(av, ai, aj, (p, n))
    G = spmatrix(gv, gi, gj, (mg, n))
    q = matrix(doc["q"], (n, 1), "d")
    dims = {"l": ml, "q": qdims, "s": []}
    return P, q, G, h, A, b, dims


class SparseKkt:
    """coneqp kktsolver: factors [[P+dI, A', G'], [A, -dI, 0], [G, 0, -W'W]] by CHOLMOD LDL'."""

    def __init__(self, P, A, G, dims):
        self.P, self.A, self.G, self.dims = P, A, G, dims
        self.n, self.p, self.mg = P.size[0], A.size[0], G.size[0]
        n, p = self.n, self.p
        off = n + p
        vals, rows, cols = [], [], []
        for v, i, j in zip(P.V, P.I, P.J):
            if i >= j:
                vals.append(v); rows.append(i); cols.append(j)
        for k in range(n):
            vals.append(DELTA); rows.append(k); cols.append(k)
        for v, i, j in zip(A.V, A.I, A.J):
            vals.append(v); rows.append(n + i); cols.append(j)
        for k in range(p):
            vals.append(-DELTA); rows.append(n + k); cols.append(n + k)
        for v, i, j in zip(G.V, G.I, G.J):
            vals.append(v); rows.append(off + i); cols.append(j)
        self.static = (vals, rows, cols)
        # Pattern of the -W'W block: the 'l' diagonal, then each SOC's dense lower triangle.
        wr, wc = [], []
        ml = dims["l"]
        for k in range(ml):
            wr.append(off + k); wc.append(off + k)
        start = ml
        for d in dims["q"]:
            for j in range(d):
                for i in range(j, d):
                    wr.append(off + start + i); wc.append(off + start + j)
            start += d
        self.w_rows, self.w_cols = wr, wc
        self.symbolic = None
        self.kind = "cholmod-ldl"
        cholmod.options["supernodal"] = 0
        cholmod.options["postorder"] = False

    def w_block_values(self, W):
        out = []
        for dk in W["d"]:
            out.append(-dk * dk)
        for v, beta in zip(W["v"], W["beta"]):
            d = v.size[0]
            J = spmatrix([1.0] + [-1.0] * (d - 1), range(d), range(d))
            Wk = beta * (2.0 * v * v.T - matrix(J))
            WtW = Wk * Wk
            for j in range(d):
                for i in range(j, d):
                    out.append(-WtW[i, j])
        return out

    def __call__(self, W):
        vals, rows, cols = self.static
        size = self.n + self.p + self.mg
        K = spmatrix(vals + self.w_block_values(W), rows + self.w_rows, cols + self.w_cols, (size, size))
        factor = None
        if self.kind == "cholmod-ldl":
            try:
                if self.symbolic is None:
                    self.symbolic = cholmod.symbolic(K)
                cholmod.numeric(K, self.symbolic)
                factor = self.symbolic
            except (ArithmeticError, ValueError):
                self.kind = "umfpack-lu"
        Kfull = None
        if factor is None:
            Kfull = K + K.T - spmatrix([K[k, k] for k in range(size)], range(size), range(size))
            Fs = umfpack.symbolic(Kfull)
            Fn = umfpack.numeric(Kfull, Fs)
        n, p = self.n, self.p
        P, A, G, dims = self.P, self.A, self.G, self.dims

        def solve_reg(rhs):
            if factor is not None:
                cholmod.solve(factor, rhs)
            else:
                umfpack.solve(Kfull, Fn, rhs)

        def solve(x, y, z):
            rhs = matrix([x, y, z])
            u = matrix(rhs)
            solve_reg(u)
            # One step of iterative refinement against the unregularized matrix.
            ux, uy, uz = u[:n], u[n:n + p], u[n + p:]
            wz = matrix(uz)
            misc.scale(wz, W)
            misc.scale(wz, W, trans="T")
            r = rhs - matrix([P * ux + A.T * uy + G.T * uz, A * ux, G * ux - wz])
            solve_reg(r)
            u += r
            x[:] = u[:n]
            y[:] = u[n:n + p]
            z[:] = u[n + p:]
            misc.scale(z, W)

        return solve


def main():
    argv = sys.argv[1:]
    repeat = 1
    if "--repeat" in argv:
        k = argv.index("--repeat")
        repeat = max(1, int(argv[k + 1]))
        del argv[k:k + 2]
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 1:
        raise SystemExit(__doc__)
    doc = load_problem(args[0])
    P, q, G, h, A, b, dims = build(doc)
    solvers.options["show_progress"] = "--progress" in sys.argv
    seconds = math.inf
    for _ in range(repeat):
        kkt = SparseKkt(P, A, G, dims)
        start = time.perf_counter()
        with contextlib.redirect_stdout(sys.stderr):
            sol = solvers.coneqp(P, q, G, h, dims, A, b, kktsolver=kkt)
        seconds = min(seconds, time.perf_counter() - start)
    status = sol["status"]
    out = {
        "status": "solved" if status == "optimal" else status,
        "objective": sol["primal objective"],
        "iterations": sol["iterations"],
        "seconds": seconds,
        "kkt": kkt.kind,
    }
    if "--x" in sys.argv and sol["x"] is not None:
        out["x"] = list(sol["x"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
