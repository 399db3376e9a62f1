/**
 * A bus agent's ADMM settings from the run's ADMM options: transport scale, subproblem solver
 * settings and its slice of the zero-sum dual warm start. Scale, z^0 and warm start come from public
 * data (the feeder and a public forecast: the OPF of the public devices, src/solve/admm/forecastStart.ts,
 * or the λ0 price, priceForecast.ts), so every bus can compute them alone, exactly as the in-process
 * ADMM does (src/solve/admm/runAdmm.ts). The forecast OPF is solved once per scenario object
 * (memoized), so admmSetup costs one solve per process however many buses it sets up.
 */
import type { CouplingLayout } from '../model/coupling/couplingLayout.js';
import type { Scenario } from '../scenario/types.js';
import { busLocalSettings, resolveAdmmOptions, type AdmmOptions, type ResolvedAdmmOptions } from '../solve/admm/admmOptions.js';
import { admmEntryScale } from '../solve/admm/entryWeights.js';
import { initialGlobalPoint } from '../solve/admm/initialPoint.js';
import { admmDualOffsets } from '../solve/admm/runAdmm.js';
import type { BusAgentSettings } from './busAgent.js';

export interface AdmmSetup {
  resolved: ResolvedAdmmOptions;
  /** Settings of every bus (index = bus). */
  settings: BusAgentSettings[];
  /** The initial z (transport scale, global order), float. */
  initialZ: Float64Array;
}

export function admmSetup(scenario: Scenario, layout: CouplingLayout, options: AdmmOptions): AdmmSetup {
  const resolved = resolveAdmmOptions(options, scenario);
  const entryScale = admmEntryScale(scenario, layout, resolved.couplingWeights, resolved.entryWeights);
  const offsets = admmDualOffsets(scenario, layout, resolved, entryScale);
  const settings = layout.copyMap.map((map, b) => {
    const from = layout.localOffset[b]!;
    return {
      scale: entryScale,
      solverSettings: resolved.solverSettings,
      local: busLocalSettings(resolved),
      dualOffset: offsets ? offsets.slice(from, from + map.length) : null,
    };
  });
  return { resolved, settings, initialZ: initialGlobalPoint(scenario, layout, resolved.initialPoint, entryScale) };
}

/** The scenario as bus `bus` holds it: the public feeder, its own devices, nobody else's. */
export function privateScenarioView(scenario: Scenario, bus: number): Scenario {
  return { ...scenario, buses: scenario.buses.map((b, k) => (k === bus ? b : { ...b, devices: [] })) };
}
