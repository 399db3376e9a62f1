/**
 * ADMM options, their defaults (chosen from measurements on the SCE-56 paper scenario; numbers
 * in docs/admm.md) and the paper's own settings rescaled to per unit.
 */
import type { Scenario } from '../../scenario/types.js';
import { GridError } from '../../core/errors.js';
import type { SolverSettings } from '../../conic/types.js';
import type { BranchFlowConvention, CouplingQuantity } from '../../model/coupling/couplingLayout.js';
import type { CopyRole, CouplingScale } from '../../model/problems/busSubproblem.js';
import type { BusLocalSettings } from '../../model/problems/busSubproblemSolver.js';
import type { StoppingRule } from './coordinatorStep.js';
import type { EntryWeightRule } from './entryWeights.js';
import type { AdmmAcceleration } from './acceleration.js';
import type { AdmmSnapshots } from './admmLoop.js';
import type { InitialPointKind } from './initialPoint.js';

const initialPointKinds: readonly InitialPointKind[] = ['flat', 'powerFlow', 'forecastOpf', 'auto'];

export interface AdmmIterationInfo {
  iteration: number;
  primalResidual: number;
  dualResidual: number;
  epsPri: number;
  epsDual: number;
  /** rho used in this iteration (currency per p.u.² of transported value). */
  rho: number;
  /** Σ of the buses' own costs at their local solutions, currency. */
  cost: number;
  /** Wall time of the iteration (subproblems + coordinator), ms. */
  ms: number;
  /** Largest interior-point iteration count among the buses' solves. */
  maxSolverIterations: number;
  /** Mean interior-point iteration count of the buses' solves (off chain only). */
  meanSolverIterations?: number;
  /** Buses that could not solve this iteration and repeated their previous local vector. */
  repeatedSolves?: number;
  /** With acceleration: the accelerated algorithm's own dual residual rho·‖B(z^{k+1} − ẑ^k)‖ and tolerance, and restarts so far. */
  accelerated?: { dualResidual: number; epsDual: number; restarts: number };
}

/**
 * A start from a previous run's public final state (e.g. yesterday's, read from the chain): its z
 * and its effective duals xi + offsets (AdmmResult.finalDuals), same layout and weights. The duals
 * sum to zero per entry, so as offsets they leave the optimum unchanged (docs/admm.md §Dual warm start).
 */
export interface AdmmStart {
  z: Float64Array;
  duals: Float64Array;
}

export interface AdmmOptions {
  convention?: BranchFlowConvention;
  /** Initial (or fixed) rho, currency per p.u.² of transported value (default 30 per MW², i.e. 30·baseMva² per p.u.²). */
  rho?: number;
  /** Residual balancing (protocol step 6): true for mu = 10, tau = 2, false (default) for a fixed rho. */
  adaptive?: boolean | { mu: number; tau: number };
  /** Over-relaxation alpha in (0, 2). */
  alpha?: number;
  stopping?: StoppingRule;
  maxIterations?: number;
  /**
   * Initial z: 'flat' (flows 0, voltageSq 1), 'powerFlow' (linearised flow of the fixed injections),
   * 'forecastOpf' (the central OPF of the public devices, forecastStart.ts; with dualWarmStart its
   * consensus duals become the offsets) or 'auto' (default: 'forecastOpf' when every device is
   * public, where it is the optimum itself, else 'powerFlow').
   */
  initialPoint?: InitialPointKind;
  /** Warm-start the consensus duals from a public forecast: the forecast OPF's duals when z^0 is the forecast OPF's, else the λ0 substation price (priceForecast.ts). */
  dualWarmStart?: boolean;
  /** Per-quantity coupling weights w_q; copies travel as sqrt(w_q)·x (docs/admm.md §Weights). */
  couplingWeights?: Partial<Record<CouplingQuantity, number>>;
  /** Public per-entry weights on top of the per-quantity ones (entryWeights.ts). */
  entryWeights?: EntryWeightRule;
  /** Proximal weight on each bus's private variables, per p.u.² (busSubproblemSolver.ts BusLocalSettings; default 10·baseMva²). */
  proximal?: number;
  /** Multiplier of rho in each bus's own penalty per kind of copy (BusLocalSettings.penaltyFactor). */
  localPenalty?: Partial<Record<CopyRole, number>>;
  /** Iterations over which proximal and localPenalty fade to plain ADMM (BusLocalSettings.fadeOutIterations); 0 = never. */
  localFadeOut?: number;
  /** Start from a previous run's final state instead of initialPoint and the price forecast. */
  start?: AdmmStart;
  /** Buses solve at a public, history-determined accelerated point (acceleration.ts; docs/admm.md §Acceleration). */
  acceleration?: AdmmAcceleration;
  /** Conic solver settings for the subproblems. */
  solverSettings?: Partial<SolverSettings>;
  onIteration?: (info: AdmmIterationInfo) => void;
  /** Every bus's values at the given iterations (admmLoop.ts AdmmSnapshots). */
  snapshots?: AdmmSnapshots;
}

export interface ResolvedAdmmOptions {
  convention: BranchFlowConvention;
  rho: number;
  residualBalancing: { mu: number; tau: number } | null;
  alpha: number;
  stopping: StoppingRule;
  maxIterations: number;
  initialPoint: InitialPointKind;
  dualWarmStart: boolean;
  couplingWeights: Record<CouplingQuantity, number>;
  scale: CouplingScale;
  entryWeights: EntryWeightRule;
  proximal: number;
  localPenalty: Record<CopyRole, number>;
  localFadeOut: number;
  start: AdmmStart | null;
  acceleration: AdmmAcceleration;
  solverSettings: Partial<SolverSettings>;
}

export const admmDefaults = {
  convention: 'receivingEnd' as BranchFlowConvention,
  /** Currency per MW² per period: per unit rho·baseMva² (resolveAdmmOptions). */
  rho: 30,
  /** Off by default: on SCE-56 it halved rho down to 3–5 and stalled (docs/admm.md §Defaults). */
  adaptive: false,
  residualBalancing: { mu: 10, tau: 2 },
  alpha: 1.6,
  /** epsRel 1e-3: on SCE-56 the first iterate that meets it is within the cost and DLMP targets (docs/admm.md). */
  stopping: { kind: 'boyd', epsAbs: 1e-5, epsRel: 1e-3 } as StoppingRule,
  /** SCE-56 stops at 400; case69 with the paper's devices needs 558 (docs/admm.md §Units of rho). */
  maxIterations: 1000,
  /** The forecast OPF where it is exact: case33bw 11 iterations instead of 603 from LinDistFlow, SCE-56 paper unchanged (docs/admm.md §Forecast start). */
  initialPoint: 'auto' as InitialPointKind,
  dualWarmStart: true,
  couplingWeights: { pFlow: 1, qFlow: 1, currentSq: 1, voltageSq: 1 },
  entryWeights: { kind: 'uniform' } as EntryWeightRule,
  /** Proximal damping and the upward penalty split: on SCE-56 at 200 iterations r 0.056 vs 0.168 and DLMPs 1.8 % vs 2.9 % off without (docs/admm.md). */
  /** Per MW², like rho. */
  proximal: 10,
  localPenalty: { ownFlow: 0.5, ownVoltage: 1, parentVoltage: 1, childFlow: 4 } as Record<CopyRole, number>,
  /** Plain ADMM from iteration 300 on: the DLMPs then lose the local terms (0.06 % vs 1.3 % off at 500). */
  localFadeOut: 300,
  acceleration: { kind: 'none' } as AdmmAcceleration,
  // Static regularization 1e-10 instead of the solver's 1e-8: with penalty diagonals up to 1e8
  // (paper settings) 1e-8 stalled bus subproblems at 80–100 IPM iterations; 1e-10 solves them in
  // ~15, and the default run's iteration counts are unchanged (docs/admm.md §Subproblem numerics).
  // Tolerances 1e-6/1e-7: 8.9 instead of 10.5 IPM iterations per bus solve, same ADMM iterates to 4 digits.
  // Warm start: 4.6 instead of 9.1 IPM iterations per solve near the optimum, no worse early on.
  solverSettings: { tolGapAbs: 1e-6, tolGapRel: 1e-6, tolFeas: 1e-7, maxIter: 100, staticRegularizationConstant: 1e-10, warmStart: true } as Partial<SolverSettings>,
};

/**
 * The paper's run (section VI: rho = 100, eps_pri = 1e-3, eps_dual = 0.1, fixed rho) in its own
 * units: flows in kW, voltages in p.u. Transporting flows as 1000·x (weight 1e6) reproduces those
 * units exactly, so rho, eps_pri stay as printed; the paper's s = z^k − z^{k−1} has no rho, ours
 * does (protocol step 4), hence eps_dual = rho·0.1. Per unit, the flows' rho is 100·1e6 = 1e8.
 */
export const paperAdmmSettings: AdmmOptions = {
  rho: 100,
  adaptive: false,
  alpha: 1,
  stopping: { kind: 'fixed', epsPri: 1e-3, epsDual: 100 * 0.1 },
  initialPoint: 'flat',
  dualWarmStart: false,
  couplingWeights: { pFlow: 1e6, qFlow: 1e6, currentSq: 1e6, voltageSq: 1 },
  // Plain ADMM as in the paper: no local damping or penalty split.
  proximal: 0,
  localPenalty: { ownFlow: 1, ownVoltage: 1, parentVoltage: 1, childFlow: 1 },
};

/** @throws GridError naming the option and its fix. */
export function resolveAdmmOptions(options: AdmmOptions, scenario: Pick<Scenario, 'baseMva'>): ResolvedAdmmOptions {
  // The defaults are per MW² (SCE-56's base is 1 MVA): per unit they grow with baseMva², so a
  // 10 MVA case gets the same penalty per MW (case33bw with the paper's devices: −38 % after 500
  // iterations at 30 per p.u.², converged at 3000; docs/admm.md §Units of rho). Given values are per unit.
  const perUnit = scenario.baseMva * scenario.baseMva;
  const rho = options.rho ?? admmDefaults.rho * perUnit;
  if (!(rho > 0) || !Number.isFinite(rho)) throw new GridError(`rho must be a positive number, got ${rho}`, { field: 'rho', fix: [`use e.g. ${admmDefaults.rho * perUnit} per p.u.² (the default: ${admmDefaults.rho} per MW² on this ${scenario.baseMva} MVA base)`] });
  const alpha = options.alpha ?? admmDefaults.alpha;
  if (!(alpha > 0 && alpha < 2)) throw new GridError(`alpha must lie in (0, 2), got ${alpha}`, { field: 'alpha', fix: ['use 1 (plain ADMM) to 1.8'] });
  const maxIterations = options.maxIterations ?? admmDefaults.maxIterations;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new GridError(`maxIterations must be a positive integer, got ${maxIterations}`, { field: 'maxIterations', fix: ['use e.g. 500'] });
  }
  const adaptive = options.adaptive ?? admmDefaults.adaptive;
  const residualBalancing = adaptive === false ? null : adaptive === true ? admmDefaults.residualBalancing : adaptive;
  if (residualBalancing && !(residualBalancing.mu > 1 && residualBalancing.tau > 1)) {
    throw new GridError('residual balancing needs mu > 1 and tau > 1', { field: 'adaptive', fix: ['use mu = 10, tau = 2'] });
  }
  const proximal = options.proximal ?? admmDefaults.proximal * perUnit;
  if (!(proximal >= 0) || !Number.isFinite(proximal)) throw new GridError(`proximal must be ≥ 0, got ${proximal}`, { field: 'proximal', fix: [`use 0 (off) or e.g. ${admmDefaults.proximal * perUnit} per p.u.² (the default: ${admmDefaults.proximal} per MW²)`] });
  const localPenalty = { ...admmDefaults.localPenalty, ...options.localPenalty };
  for (const [role, f] of Object.entries(localPenalty)) {
    if (!(f > 0) || !Number.isFinite(f)) throw new GridError(`local penalty factor of ${role} must be positive, got ${f}`, { field: `localPenalty.${role}`, fix: ['use 1'] });
  }
  const localFadeOut = options.localFadeOut ?? admmDefaults.localFadeOut;
  if (!(localFadeOut >= 0) || !Number.isInteger(localFadeOut)) throw new GridError(`localFadeOut must be a whole number ≥ 0, got ${localFadeOut}`, { field: 'localFadeOut', fix: ['use 0 (never) or e.g. 300'] });
  const initialPoint = options.initialPoint ?? admmDefaults.initialPoint;
  if (!initialPointKinds.includes(initialPoint)) {
    throw new GridError(`unknown initialPoint ${String(initialPoint)}`, { field: 'initialPoint', fix: [`use one of ${initialPointKinds.map((k) => `'${k}'`).join(', ')}`] });
  }
  const acceleration = options.acceleration ?? admmDefaults.acceleration;
  checkAcceleration(acceleration);
  const couplingWeights = { ...admmDefaults.couplingWeights, ...options.couplingWeights };
  for (const [q, w] of Object.entries(couplingWeights)) {
    if (!(w > 0) || !Number.isFinite(w)) throw new GridError(`coupling weight of ${q} must be positive, got ${w}`, { field: `couplingWeights.${q}`, fix: ['use 1'] });
  }
  const scale: CouplingScale = {
    pFlow: Math.sqrt(couplingWeights.pFlow), qFlow: Math.sqrt(couplingWeights.qFlow),
    currentSq: Math.sqrt(couplingWeights.currentSq), voltageSq: Math.sqrt(couplingWeights.voltageSq),
  };
  return {
    convention: options.convention ?? admmDefaults.convention,
    rho,
    residualBalancing,
    alpha,
    stopping: options.stopping ?? admmDefaults.stopping,
    maxIterations,
    initialPoint,
    dualWarmStart: options.dualWarmStart ?? admmDefaults.dualWarmStart,
    couplingWeights,
    scale,
    entryWeights: options.entryWeights ?? admmDefaults.entryWeights,
    proximal,
    localPenalty,
    localFadeOut,
    start: options.start ?? null,
    acceleration,
    solverSettings: { ...admmDefaults.solverSettings, ...options.solverSettings },
  };
}

/** What every bus does locally under these options (the same in-process, on workers and in agents). */
export function busLocalSettings(options: ResolvedAdmmOptions): BusLocalSettings {
  return { proximal: options.proximal, penaltyFactor: options.localPenalty, fadeOutIterations: options.localFadeOut };
}

/** @throws GridError naming the acceleration parameter and its fix. */
function checkAcceleration(rule: AdmmAcceleration): void {
  if (rule.kind === 'nesterov') {
    if (!(rule.restart > 0) || !Number.isFinite(rule.restart)) throw new GridError(`acceleration.restart must be positive, got ${rule.restart}`, { field: 'acceleration.restart', fix: ['use 1 (restart whenever the combined residual does not fall)'] });
    if (rule.maxBeta !== undefined && !(rule.maxBeta >= 0 && rule.maxBeta <= 1)) throw new GridError(`acceleration.maxBeta must lie in [0, 1], got ${rule.maxBeta}`, { field: 'acceleration.maxBeta', fix: ['leave it out (no cap)'] });
  } else if (rule.kind === 'anderson') {
    if (!Number.isInteger(rule.memory) || rule.memory < 1) throw new GridError(`acceleration.memory must be a whole number ≥ 1, got ${rule.memory}`, { field: 'acceleration.memory', fix: ['use 5'] });
    if (!(rule.regularization >= 0) || !(rule.safeguard > 0)) throw new GridError('acceleration.regularization must be ≥ 0 and acceleration.safeguard > 0', { field: 'acceleration', fix: ['use regularization 1e-8, safeguard 2'] });
  }
  if (rule.kind !== 'none' && rule.fromIteration !== undefined && !(Number.isInteger(rule.fromIteration) && rule.fromIteration >= 0)) {
    throw new GridError(`acceleration.fromIteration must be a whole number ≥ 0, got ${rule.fromIteration}`, { field: 'acceleration.fromIteration', fix: ['use 0 (from the start) or e.g. the localFadeOut'] });
  }
  if (rule.kind !== 'none' && rule.kind !== 'nesterov' && rule.kind !== 'anderson') {
    throw new GridError(`unknown acceleration ${(rule as { kind: string }).kind}`, { field: 'acceleration.kind', fix: ["use 'none', 'nesterov' or 'anderson'"] });
  }
}
