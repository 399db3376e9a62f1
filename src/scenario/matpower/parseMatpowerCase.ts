/**
 * MATPOWER case file (.m) → our CaseFile (pure). Reads mpc.baseMVA and the mpc.bus, mpc.gen,
 * mpc.branch and mpc.gencost matrices; also applies whole-column scalings by a scalar
 * (`mpc.branch(:, [BR_R BR_X]) = mpc.branch(:, [BR_R BR_X]) / Zbase;`) when every name in them
 * is a number set earlier in the file, and lists each as a note. Any other code is not run: each
 * such line becomes a warning on the result (`caseFile.warnings`). Conversions: bus loads Pd/Qd
 * → constant fixed loads in kW; in-service generators → generator devices with gencost
 * polynomial costs (model 2); branch r, x stay per unit (MATPOWER's are on baseMVA and the bus
 * base kV, like ours); branch status 0 → an open line; the type-3 bus is the substation, its
 * voltage fixed at the generator set point. Meshed networks are rejected.
 */
import type { CaseBus, CaseDevice, CaseFile, CaseLine } from '../caseFile.js';
import { MatpowerImportError } from '../errors.js';
import { defaultGridPricePerMwh, gridSupplyDevice, gridSupplySizeKw, substationSupplyPrefix } from '../gridSupply.js';
import { validateCaseFile } from '../parseCaseFile.js';

export { defaultGridPricePerMwh, substationSupplyPrefix } from '../gridSupply.js';
import { orderRadialTree } from '../radialOrder.js';
import { evaluateScalar, matpowerColumns as C, parseColumns, type ExpressionScope } from './matpowerExpressions.js';
import { parseMatrix, splitStatements } from './matpowerStatements.js';

export interface MatpowerImportOptions {
  /** Name used in messages (usually the file name). */
  sourceName?: string;
}

const dataMatrices = new Set(['bus', 'gen', 'branch', 'gencost']);

export function parseMatpowerCase(text: string, options: MatpowerImportOptions = {}): CaseFile {
  const sourceName = options.sourceName ?? 'MATPOWER case';
  const scope: ExpressionScope = { scalars: new Map(), matrices: new Map() };
  const warnings: string[] = [];
  const applied: string[] = [];
  let functionName: string | undefined;
  const notRun = (line: number, code: string, why = 'not run by the importer') =>
    warnings.push(`line ${line}: \`${code.replace(/\s+/g, ' ')}\` ${why}; check the imported values`);

  for (const { text: code, line } of splitStatements(text)) {
    let m: RegExpExecArray | null;
    if ((m = /^function\s+(?:\w+\s*=\s*)?(\w+)/.exec(code))) functionName = m[1];
    else if (/^(end|return)$/.test(code) || /^define_constants$/.test(code) || /^\[[\w\s,]*\]\s*=\s*idx_(bus|brch|gen|cost)$/.test(code)) continue;
    else if ((m = /^mpc\.version\s*=\s*'(\w+)'$/.exec(code))) {
      if (m[1] !== '2') warnings.push(`line ${line}: MATPOWER case format version ${m[1]}; only version 2 is read as intended`);
    } else if ((m = /^mpc\.(\w+)\s*=\s*\[([\s\S]*)\]$/.exec(code))) {
      const name = m[1]!;
      const { rows, bad } = parseMatrix(m[2]!);
      if (bad !== undefined) throw new MatpowerImportError(`mpc.${name} (line ${line}): '${bad}' is not a number`, { field: `mpc.${name}`, fix: ['write plain numbers in the matrix (the importer does not evaluate expressions inside matrices)'] });
      scope.matrices.set(name, rows);
      if (!dataMatrices.has(name)) warnings.push(`line ${line}: mpc.${name} is not used by gridconsensus (ignored)`);
    } else if ((m = /^mpc\.baseMVA\s*=\s*(.+)$/.exec(code))) {
      const value = evaluateScalar(m[1]!, scope);
      if (value === undefined) notRun(line, code, 'could not be evaluated');
      else scope.scalars.set('mpc.baseMVA', value);
    } else if ((m = /^mpc\.(\w+)\s*\(\s*:\s*,\s*(.+?)\s*\)\s*=\s*mpc\.(\w+)\s*\(\s*:\s*,\s*(.+?)\s*\)\s*(\.?[*/])\s*(.+)$/.exec(code)) && m[1] === m[3]) {
      const matrix = scope.matrices.get(m[1]!);
      const cols = parseColumns(m[2]!, scope);
      const sameCols = parseColumns(m[4]!, scope);
      const factor = evaluateScalar(m[6]!, scope);
      if (!matrix || !cols || !sameCols || cols.length !== sameCols.length || factor === undefined) {
        notRun(line, code, 'was NOT applied (it refers to something the importer does not know)');
        continue;
      }
      const scale = m[5]!.endsWith('*') ? factor : 1 / factor;
      // Column k of the left side takes column k of the right side times the scale (e.g. QD = PD * sin(acos(pf))).
      for (const row of matrix) {
        const source = sameCols.map((c) => row[c - 1]);
        cols.forEach((c, k) => {
          if (row[c - 1] !== undefined && source[k] !== undefined) row[c - 1] = source[k]! * scale;
        });
      }
      const what = cols.join() === sameCols.join() ? `columns ${cols.join(', ')} of mpc.${m[1]} multiplied by ${scale}` : `columns ${cols.join(', ')} of mpc.${m[1]} set to columns ${sameCols.join(', ')} times ${scale}`;
      applied.push(`line ${line}: applied \`${code.replace(/\s+/g, ' ')}\` (${what})`);
    } else if ((m = /^([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(code)) && !code.startsWith('mpc')) {
      const value = evaluateScalar(m[2]!, scope);
      if (value === undefined) notRun(line, code);
      else scope.scalars.set(m[1]!, value);
    } else notRun(line, code);
  }
  return buildCase(scope, sourceName, functionName, warnings, applied, text);
}

function buildCase(scope: ExpressionScope, sourceName: string, functionName: string | undefined, warnings: string[], applied: string[], text: string): CaseFile {
  const baseMva = scope.scalars.get('mpc.baseMVA');
  const busRows = scope.matrices.get('bus');
  const branchRows = scope.matrices.get('branch') ?? [];
  if (baseMva === undefined || !(baseMva > 0)) throw missing('mpc.baseMVA', 'add `mpc.baseMVA = 1;` (the system MVA base)');
  if (!busRows || busRows.length === 0) throw new MatpowerImportError('mpc.bus is missing or unreadable', { field: 'mpc.bus', details: warnings.filter((w) => w.includes('mpc.bus')).map((w) => (w.length > 160 ? `${w.slice(0, 160)}…` : w)), fix: ['write the bus matrix as `mpc.bus = [ ... ];` with matching brackets and plain numbers'] });
  for (const [name, rows, width] of [['bus', busRows, 13], ['branch', branchRows, 11], ['gen', scope.matrices.get('gen') ?? [], 10]] as const) {
    rows.forEach((r, k) => {
      if (r.length < width) throw new MatpowerImportError(`mpc.${name} row ${k + 1} has ${r.length} columns, need at least ${width}`, { field: `mpc.${name}`, fix: ['write every MATPOWER column of the row (see MATPOWER\'s caseformat)'] });
    });
  }

  const live = busRows.filter((r) => r[C.BUS_TYPE! - 1] !== C.NONE);
  busRows.filter((r) => r[C.BUS_TYPE! - 1] === C.NONE).forEach((r) => warnings.push(`bus ${r[0]} is isolated (type 4) and was left out`));
  const refs = live.filter((r) => r[C.BUS_TYPE! - 1] === C.REF);
  if (refs.length === 0) {
    throw new MatpowerImportError('the case has no reference bus (type 3); need one, the substation', { field: 'mpc.bus', fix: ['set column 2 (BUS_TYPE) to 3 on the substation bus'] });
  }
  const ref = refs[0]!;
  const refId = ref[C.BUS_I! - 1]!;
  // Several reference buses (one per feeder, e.g. case16ci): feeders fed at the same fixed voltage
  // are independent, so joining their substations into one bus changes no power flow.
  const refSetpoint = (r: number[]) => (scope.matrices.get('gen') ?? []).find((g) => g[C.GEN_BUS! - 1] === r[0] && g[C.GEN_STATUS! - 1]! > 0)?.[C.VG! - 1] ?? r[C.VM! - 1]!;
  const refMerged = new Map<number, number>();
  if (refs.length > 1) {
    const setpoints = refs.map(refSetpoint);
    if (setpoints.some((v) => Math.abs(v - setpoints[0]!) > 1e-9)) {
      throw new MatpowerImportError(`the case has ${refs.length} reference buses (type 3) at different voltages (${refs.map((r, k) => `bus ${r[0]}: ${setpoints[k]}`).join(', ')}); gridconsensus models one substation`, {
        field: 'mpc.bus', fix: ['give every reference bus the same voltage set point (gen column 6, VG) so they can be joined, or keep one of them as type 3'],
      });
    }
    for (const r of refs.slice(1)) refMerged.set(r[0]!, refId);
    warnings.push(`the case has ${refs.length} reference buses (${refs.map((r) => r[0]).join(', ')}), all at ${setpoints[0]} p.u.: their feeders are joined at one substation bus ${refId} (exact for feeders fed at the same fixed voltage)`);
  }
  const liveIds = new Set(live.map((r) => r[0]!).filter((id) => !refMerged.has(id)));
  const atSubstation = (id: number) => refMerged.get(id) ?? id;

  // Lines: closed branches must form a tree; a meshed network is rejected with the branch that closes a loop.
  const lines: CaseLine[] = [];
  // Unmodelled branch data, listed in one warning each (a feeder can have a hundred charged lines).
  const charging: string[] = [];
  const taps: string[] = [];
  branchRows.forEach((r, k) => {
    const [from, to] = [atSubstation(r[C.F_BUS! - 1]!), atSubstation(r[C.T_BUS! - 1]!)];
    // Branches to buses that are not in the network (type 4, unknown) or between joined substations are not lines.
    if (!liveIds.has(from) || !liveIds.has(to) || from === to) {
      lines.push({ from, to, rPu: 0, xPu: 0, status: 'open' });
      return;
    }
    const open = r[C.BR_STATUS! - 1] === 0 || !liveIds.has(from) || !liveIds.has(to);
    if (r[C.BR_B! - 1] !== 0 && !open) charging.push(`${k + 1} (${from} - ${to})`);
    const tap = r[C.TAP! - 1]!;
    if (((tap !== 0 && tap !== 1) || r[C.SHIFT! - 1] !== 0) && !open) taps.push(`${k + 1} (${from} - ${to})`);
    const line: CaseLine = { from, to, rPu: r[C.BR_R! - 1]!, xPu: r[C.BR_X! - 1]! };
    if (open) line.status = 'open';
    lines.push(line);
  });
  if (charging.length > 0) warnings.push(`line charging (column BR_B) is not modelled (ignored) on branch row${charging.length > 1 ? 's' : ''} ${charging.join(', ')}`);
  if (taps.length > 0) warnings.push(`transformer tap/shift is not modelled (ignored) on branch row${taps.length > 1 ? 's' : ''} ${taps.join(', ')}`);
  const closed = lines.flatMap((l, index) => (l.status === 'open' ? [] : [{ from: String(l.from), to: String(l.to), index }]));
  const tree = orderRadialTree([...liveIds].map(String), String(refId), closed);
  const cycle = tree.problems.find((p) => p.kind === 'cycle');
  if (cycle && cycle.kind === 'cycle') {
    const l = lines[cycle.lineIndex]!;
    throw new MatpowerImportError(`the network is meshed: branch row ${cycle.lineIndex + 1} (${l.from} - ${l.to}) closes the loop ${cycle.loop.join(' - ')} - ${cycle.loop[0]}`, {
      field: `mpc.branch row ${cycle.lineIndex + 1}`,
      details: tree.problems.filter((p) => p.kind === 'cycle' && p !== cycle).map((p) => (p.kind === 'cycle' ? `branch row ${p.lineIndex + 1} also closes a loop` : '')),
      fix: ['gridconsensus needs a radial feeder: open one branch in every loop (column 11, BR_STATUS = 0)'],
    });
  }

  // Repairs of radial feeders (docs/case-format.md §MATPOWER import): buses the substation cannot
  // reach are left out; a closed zero-impedance branch joins two buses into one electrical node,
  // so the bus farther from the substation is merged into the nearer one (a zero-impedance line
  // would leave its current l unbounded in the branch-flow model).
  const disconnected = new Set(tree.problems.flatMap((p) => (p.kind === 'disconnected' ? p.buses.map(Number) : [])));
  if (disconnected.size > 0) {
    const lostKw = live.filter((r) => disconnected.has(r[0]!)).reduce((a, r) => a + r[C.PD! - 1]! * 1000, 0);
    warnings.push(`bus(es) ${[...disconnected].join(', ')} are not connected to the substation ${refId} by closed branches and were left out${lostKw > 0 ? ` (their ${kwText(lostKw)} kW of load is not served)` : ''}`);
  }
  const mergedInto = new Map<number, number>(refMerged);
  tree.order.forEach((id, k) => {
    const lineIndex = tree.upstreamLine[k]!;
    if (lineIndex < 0) return;
    const line = lines[lineIndex]!;
    if (Math.hypot(line.rPu!, line.xPu!) > switchImpedancePu) return;
    const parentId = Number(tree.order[tree.parent[k]!]!);
    const into = mergedInto.get(parentId) ?? parentId;
    mergedInto.set(Number(id), into);
    warnings.push(`branch row ${lineIndex + 1} (${line.from} - ${line.to}) has (near) zero impedance |z| = ${Math.hypot(line.rPu!, line.xPu!)} p.u.: bus ${id} is merged into bus ${into} (its loads and generators move there)`);
  });
  const home = (id: number) => mergedInto.get(id) ?? id;
  const keptLines: CaseLine[] = [];
  lines.forEach((l) => {
    const [from, to] = [Number(l.from), Number(l.to)];
    if (!liveIds.has(from) || !liveIds.has(to) || disconnected.has(from) || disconnected.has(to) || home(from) === home(to)) return;
    keptLines.push({ ...l, from: home(from), to: home(to) });
  });
  const kept = live.filter((r) => !disconnected.has(r[0]!) && !mergedInto.has(r[0]!));

  const devicesOf = new Map<number, CaseDevice[]>(kept.map((r) => [r[0]!, []]));
  const kw = (mw: number) => Math.round(mw * 1000 * 1e9) / 1e9;
  const shunts: string[] = [];
  let loadKw = 0;
  let loadKvar = 0;
  for (const r of live) {
    const [id, pd, qd, gs, bs] = [r[0]!, r[C.PD! - 1]!, r[C.QD! - 1]!, r[C.GS! - 1]!, r[C.BS! - 1]!];
    if (disconnected.has(id)) continue;
    if (pd !== 0 || qd !== 0) devicesOf.get(home(id))!.push({ kind: 'fixedLoad', name: `load-${id}`, pKw: kw(pd), qKvar: kw(qd) });
    loadKw += kw(pd);
    loadKvar += kw(qd);
    if (gs !== 0 || bs !== 0) shunts.push(`${id} (Gs ${gs}, Bs ${bs})`);
  }
  if (shunts.length > 0) warnings.push(`shunts are not modelled (ignored) at bus${shunts.length > 1 ? 'es' : ''} ${shunts.join(', ')}`);
  const genRows = scope.matrices.get('gen') ?? [];
  const costRows = scope.matrices.get('gencost') ?? [];
  if (genRows.length > 0 && costRows.length === 0) warnings.push(`mpc.gencost is missing: substation generators get the default grid price ${defaultGridPricePerMwh} per MWh, others zero cost`);
  let refVoltage = ref[C.VM! - 1]!;
  genRows.forEach((g, k) => {
    const bus = g[C.GEN_BUS! - 1]!;
    if (g[C.GEN_STATUS! - 1]! <= 0 || disconnected.has(bus) || !devicesOf.has(home(bus))) return;
    if (bus === refId) refVoltage = g[C.VG! - 1]!;
    const cost = costRows.length > 0 ? generatorCost(costRows[k], k, warnings) : home(bus) === refId ? { costLinearPerMwh: defaultGridPricePerMwh } : {};
    const sameBus = genRows.filter((h) => h[0] === bus).length > 1;
    devicesOf.get(home(bus))!.push({
      kind: 'generator', name: sameBus ? `gen-${bus}-${k + 1}` : `gen-${bus}`,
      pMinKw: kw(g[C.PMIN! - 1]!), pMaxKw: kw(g[C.PMAX! - 1]!), qMinKvar: kw(g[C.QMIN! - 1]!), qMaxKvar: kw(g[C.QMAX! - 1]!), ...cost,
    });
  });
  const supplyNotes = ensureGridSupply(devicesOf.get(refId)!, [...devicesOf.values()].flat(), refId, loadKw, loadKvar);
  warnings.push(...supplyNotes);

  // The most common [Vmin, Vmax] pair becomes the file default; other buses carry their own.
  const limitsOf = (r: number[]): [number, number] => [r[C.VMIN! - 1]!, r[C.VMAX! - 1]!];
  const counts = new Map<string, number>();
  for (const r of kept) counts.set(limitsOf(r).join(), (counts.get(limitsOf(r).join()) ?? 0) + 1);
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0].split(',').map(Number) as [number, number];
  const buses: CaseBus[] = kept.map((r) => {
    const bus: CaseBus = { id: r[0]! };
    if (limitsOf(r).join() !== common.join()) bus.voltageLimitsPu = limitsOf(r);
    const devices = devicesOf.get(r[0]!)!;
    if (devices.length > 0) bus.devices = devices;
    return bus;
  });

  // One base kV for the case: the feeder's own (the most common), so currents in kA are right on most lines.
  const kvCounts = new Map<number, number>();
  for (const r of kept) if (r[C.BASE_KV! - 1]! > 0) kvCounts.set(r[C.BASE_KV! - 1]!, (kvCounts.get(r[C.BASE_KV! - 1]!) ?? 0) + 1);
  let baseKv = [...kvCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  if (!(baseKv > 0)) {
    warnings.push('no bus has a base kV > 0; baseKv set to 1 (impedances are per unit, so only ohm values and currents in kA would be affected)');
    baseKv = 1;
  } else if (kvCounts.size > 1) {
    const others = kept.filter((r) => r[C.BASE_KV! - 1] !== baseKv).map((r) => `${r[0]} (${r[C.BASE_KV! - 1]} kV)`);
    warnings.push(`buses ${others.join(', ')} have another base kV than the feeder's ${baseKv} kV; per-unit impedances are unaffected, but currents in kA on their lines are stated on ${baseKv} kV`);
  }
  const caseFile: CaseFile = {
    format: 'gridconsensus-case',
    version: 1,
    name: functionName ?? sourceName.replace(/\.m$/, ''),
    source: `MATPOWER case file '${sourceName}'${headerComment(text)}`,
    notes: [
      'Imported from MATPOWER: bus loads Pd/Qd are constant fixed loads (kW, kVAr) in every period; branch r, x are per unit as in MATPOWER.',
      ...applied,
    ],
    ...(warnings.length > 0 ? { warnings } : {}),
    baseMva,
    baseKv,
    substation: { bus: refId, voltage: { mode: 'fixed', magnitudePu: refVoltage } },
    voltageLimitsPu: common,
    buses,
    lines: keptLines,
  };
  return validateCaseFile(caseFile, sourceName);
}

/**
 * Branches with |z| at or below this (p.u.) are switches or bus ties: at 1 p.u. of current their
 * voltage drop is under the solver's 1e-6 tolerance, while their current l would be left loose
 * by the branch-flow model, so their two buses are merged.
 */
export const switchImpedancePu = 1e-6;

/** Share of the feeder's load the substation must be able to carry before its limits are raised (losses need a margin). */
const supplyMargin = 1.2;

/**
 * The substation is the feeder's connection to the upstream grid. When it has no generator, adds
 * one ("grid": two-way, ±max(1 MW, 2 × the feeder's load), at the default price); when the
 * generators' limits cannot carry the load (MATPOWER distribution cases use placeholders such
 * as Pmax = 10 MW), raises the substation generator's limits to that size. Returns the warnings.
 */
function ensureGridSupply(substation: CaseDevice[], all: CaseDevice[], refId: number, loadKw: number, loadKvar: number): string[] {
  const sizeKw = gridSupplySizeKw(loadKw, loadKvar);
  const generators = substation.filter((d): d is Extract<CaseDevice, { kind: 'generator' }> => d.kind === 'generator');
  if (generators.length === 0) {
    substation.unshift(gridSupplyDevice(sizeKw));
    return [`${substationSupplyPrefix}the substation (bus ${refId}) has no generator in service: added the grid supply 'grid' (two-way, ±${sizeKw} kW and ±${sizeKw} kVAr at ${defaultGridPricePerMwh} per MWh)`];
  }
  const notes: string[] = [];
  const sum = (f: (g: Extract<CaseDevice, { kind: 'generator' }>) => number) =>
    all.reduce((a, d) => a + (d.kind === 'generator' ? f(d) : 0), 0);
  const main = generators[0]!;
  if (sum((g) => g.pMaxKw) < supplyMargin * loadKw) {
    notes.push(`${substationSupplyPrefix}generator ${main.name}: Pmax ${kwText(main.pMaxKw)} kW cannot carry the feeder's ${kwText(loadKw)} kW load; the substation is the grid supply, so Pmax was raised to ${sizeKw} kW`);
    main.pMaxKw = sizeKw;
  }
  if (sum((g) => g.qMaxKvar) < supplyMargin * loadKvar) {
    notes.push(`${substationSupplyPrefix}generator ${main.name}: Qmax ${kwText(main.qMaxKvar)} kVAr cannot carry the feeder's ${kwText(loadKvar)} kVAr load; Qmax was raised to ${sizeKw} kVAr and Qmin lowered to -${sizeKw} kVAr`);
    main.qMaxKvar = sizeKw;
    main.qMinKvar = Math.min(main.qMinKvar, -sizeKw);
  }
  return notes;
}

function kwText(kw: number): string {
  return String(Math.round(kw * 1000) / 1000);
}

/** gencost model 2 (polynomial, up to quadratic) → our cost fields; model 1 is approximated by its average slope. */
function generatorCost(row: number[] | undefined, k: number, warnings: string[]): Pick<Extract<CaseDevice, { kind: 'generator' }>, 'costQuadraticPerMw2h' | 'costLinearPerMwh' | 'costConstantPerHour'> {
  if (!row) {
    warnings.push(`generator row ${k + 1} has no gencost row: zero cost`);
    return {};
  }
  const [model, , , n] = [row[0], row[1], row[2], row[3]!];
  if (model === C.POLYNOMIAL) {
    const coefficients = row.slice(4, 4 + n);
    const high = coefficients.slice(0, Math.max(0, n - 3));
    if (high.some((c) => c !== 0)) {
      throw new MatpowerImportError(`gencost row ${k + 1} is a polynomial of degree ${n - 1}; gridconsensus costs are at most quadratic`, { field: `mpc.gencost row ${k + 1}`, fix: ['write a quadratic cost: NCOST = 3 with c2 c1 c0'] });
    }
    const [c2, c1, c0] = [coefficients.at(-3) ?? 0, coefficients.at(-2) ?? 0, coefficients.at(-1) ?? 0].map((c) => (n >= 1 ? c : 0));
    return { costQuadraticPerMw2h: n >= 3 ? c2! : 0, costLinearPerMwh: n >= 2 ? c1! : 0, costConstantPerHour: n >= 1 ? c0! : 0 };
  }
  if (model === C.PW_LINEAR && n >= 2) {
    const [x1, y1] = [row[4]!, row[5]!];
    const [xn, yn] = [row[4 + 2 * (n - 1)]!, row[5 + 2 * (n - 1)]!];
    const slope = xn !== x1 ? (yn - y1) / (xn - x1) : 0;
    warnings.push(`gencost row ${k + 1} is piecewise linear; approximated by its average slope ${slope} per MWh`);
    return { costLinearPerMwh: slope, costConstantPerHour: y1 - slope * x1 };
  }
  warnings.push(`gencost row ${k + 1} has an unknown cost model ${model}: zero cost`);
  return {};
}

/** The help comment right after the function line, as a citation (e.g. MATPOWER's "Data from ..."). */
function headerComment(text: string): string {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*function\b/.test(l));
  const comment: string[] = [];
  for (const l of lines.slice(start + 1)) {
    const m = /^\s*%+\s?(.*)$/.exec(l);
    if (!m) break;
    if (/^MATPOWER Case Format/i.test(m[1]!)) break;
    if (m[1]!.trim() !== '' && !/CASEFORMAT/.test(m[1]!)) comment.push(m[1]!.trim());
  }
  return comment.length > 0 ? `: ${comment.join(' ')}` : '';
}

function missing(field: string, fix: string): MatpowerImportError {
  return new MatpowerImportError(`${field} is missing`, { field, fix: [fix] });
}
