/**
 * The Schedule: the day-ahead result every later stage consumes (chain, settlement, report).
 * Per bus and period, in per unit on the scenario's base; plain arrays and numbers only, so it
 * round-trips through JSON unchanged.
 */
import type { BranchFlowConvention } from '../model/coupling/couplingLayout.js';

export type DeviceSchedule =
  | { kind: 'generator'; name: string; p: number[]; q: number[]; cost: number }
  | { kind: 'pv'; name: string; p: number[]; q: number[]; available: number[] }
  | { kind: 'fixedLoad'; name: string; p: number[]; q: number[] }
  | { kind: 'battery'; name: string; charge: number[]; discharge: number[]; energy: number[] }
  | { kind: 'shapableLoad'; name: string; p: number[] }
  | {
      kind: 'deferrableLoad';
      name: string;
      /** Consumption s(t), p.u. */
      p: number[];
      /** Relaxed departure process d(t) ∈ [0, 1]. */
      departure: number[];
      /** Share of the job started in each period (increments of d). */
      startShares: number[];
      /** 1 − largest start share: 0 when the relaxed start is a single period. */
      startSpread: number;
    };

export interface BusSchedule {
  index: number;
  id: string;
  /** Net injection p_i(t), q_i(t) (generation − withdrawal), p.u. */
  p: number[];
  q: number[];
  /** Upstream line's flows P_i, Q_i (convention-dependent end), squared current l_i; zeros at the root. */
  pFlow: number[];
  qFlow: number[];
  currentSq: number[];
  /** Squared voltage magnitude v_i(t). */
  voltageSq: number[];
  devices: DeviceSchedule[];
}

export interface SchedulePrices {
  /** Real-power DLMP λ_i(t), currency per MWh (bus × period). */
  active: number[][];
  /** Reactive-power price, currency per Mvarh (bus × period). */
  reactive: number[][];
}

export interface SolverReport {
  status: string;
  iterations: number;
  primalResidual: number;
  dualResidual: number;
  gap: number;
  timings: { buildMs: number; setupMs: number; factorMs: number; solveMs: number };
}

export interface Schedule {
  format: 'gridconsensus.schedule/1';
  method: 'central' | 'admm';
  convention: BranchFlowConvention;
  periods: number;
  dtHours: number;
  baseMva: number;
  buses: BusSchedule[];
  /** Objective: Σ generator costs + battery throughput costs, currency. */
  totalCost: number;
  prices?: SchedulePrices;
  solver: SolverReport;
  /** Relaxations in force, one sentence each (e.g. the deferrable loads' binary start). */
  relaxations: string[];
  provenance: {
    scenarioName: string;
    scenarioSource: string;
    seed: number | null;
    options: Record<string, unknown>;
    producedBy: string;
  };
}
