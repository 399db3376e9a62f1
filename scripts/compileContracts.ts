/**
 * Compiles every contracts/src/**\/*.sol with the solc-js in node_modules (pinned version,
 * optimizer on, via-IR) and writes one typed artifact module per deployable contract to
 * src/chain/artifacts/<Name>.ts (`<name>Abi` as const, `<name>Bytecode` as const).
 * Warnings fail the build (list them and exit 1) unless `--allow-warnings` is given.
 * `--check` compiles and exits 1 when a committed artifact differs from the fresh output.
 * Usage: node dist/scripts/compileContracts.js [--check] [--allow-warnings]
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import solc from 'solc';
import { packageRoot } from '../src/core/paths.js';

/** The compiler every artifact is built with; a different installed solc-js is an error. */
export const pinnedSolcVersion = '0.8.37';

/**
 * Sources compiled in a pass of their own with these Yul optimizer steps. AdmmCoordinator: with
 * the default steps the stack compressor recomputes the decoded values of the step loops several
 * times per period; with only the unused-pruner "u" the loops run as written (both measured in
 * docs/chain-design.md §Measured).
 */
export const ownOptimizerSteps: Record<string, string> = { 'AdmmCoordinator.sol': 'u:' };

export interface CompiledContract {
  name: string;
  sourcePath: string;
  abi: unknown[];
  bytecode: string;
}

export interface CompileResult {
  contracts: CompiledContract[];
  warnings: string[];
}

interface SolcMessage {
  severity: 'error' | 'warning' | 'info';
  formattedMessage?: string;
  message: string;
}
interface SolcOutput {
  errors?: SolcMessage[];
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
}

function listSolidityFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) listSolidityFiles(p, out);
    else if (e.endsWith('.sol')) out.push(p);
  }
  return out;
}

/** Compiles all sources under `<root>/contracts/src`; throws with every error line on failure. */
export function compileContracts(root: string = packageRoot()): CompileResult {
  const installed = solc.version();
  if (!installed.startsWith(`${pinnedSolcVersion}+`)) {
    throw new Error(`solc-js ${installed} is installed but the contracts are pinned to ${pinnedSolcVersion}; run npm install solc@${pinnedSolcVersion}`);
  }
  const srcDir = join(root, 'contracts', 'src');
  const sources: Record<string, { content: string }> = {};
  for (const file of listSolidityFiles(srcDir)) {
    sources[relative(srcDir, file).split('\\').join('/')] = { content: readFileSync(file, 'utf8') };
  }
  // Imports resolve from the contracts folder first, then node_modules (@openzeppelin/contracts).
  const findImports = (path: string): { contents: string } | { error: string } => {
    for (const base of [srcDir, join(root, 'node_modules')]) {
      const p = join(base, path);
      if (existsSync(p)) return { contents: readFileSync(p, 'utf8') };
    }
    return { error: `import not found: ${path}` };
  };
  // One pass per settings group: the sources with their own optimizer steps, then the rest.
  const outputs: SolcOutput[] = [];
  const shared = Object.fromEntries(Object.entries(sources).filter(([path]) => !(path in ownOptimizerSteps)));
  const passes: Array<[Record<string, { content: string }>, string | undefined]> = [
    ...Object.entries(ownOptimizerSteps).filter(([path]) => path in sources).map(([path, steps]): [Record<string, { content: string }>, string] => [{ [path]: sources[path]! }, steps]),
    [shared, undefined],
  ];
  for (const [passSources, steps] of passes) {
    const input = {
      language: 'Solidity',
      sources: passSources,
      settings: {
        optimizer: steps === undefined ? { enabled: true, runs: 200 } : { enabled: true, runs: 200, details: { yulDetails: { optimizerSteps: steps } } },
        viaIR: true,
        evmVersion: 'prague',
        outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
      },
    };
    outputs.push(JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as SolcOutput);
  }
  const messages = outputs.flatMap((o) => o.errors ?? []);
  const errors = messages.filter((m) => m.severity === 'error').map((m) => m.formattedMessage ?? m.message);
  if (errors.length > 0) throw new Error(`solc reported ${errors.length} error(s):\n${errors.join('\n')}`);
  const warnings = [...new Set(messages.filter((m) => m.severity === 'warning').map((m) => m.formattedMessage ?? m.message))];
  const output: SolcOutput = { contracts: Object.assign({}, ...outputs.map((o) => o.contracts ?? {})) };
  const contracts: CompiledContract[] = [];
  for (const [sourcePath, byName] of Object.entries(output.contracts ?? {})) {
    if (!(sourcePath in sources)) continue; // library sources from node_modules
    for (const [name, c] of Object.entries(byName)) {
      if (c.evm.bytecode.object.length === 0) continue; // interfaces and abstract contracts
      if (new RegExp(`\\blibrary\\s+${name}\\b`).test(sources[sourcePath]!.content)) continue; // inlined libraries
      contracts.push({ name, sourcePath, abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` });
    }
  }
  contracts.sort((a, b) => a.name.localeCompare(b.name));
  return { contracts, warnings };
}

/** The TypeScript module text of one artifact. */
export function renderArtifactModule(c: CompiledContract): string {
  const stem = c.name.charAt(0).toLowerCase() + c.name.slice(1);
  return [
    `// Generated by scripts/compileContracts.ts from contracts/src/${c.sourcePath} (solc ${pinnedSolcVersion}, optimizer 200 runs${c.sourcePath in ownOptimizerSteps ? `, Yul steps "${ownOptimizerSteps[c.sourcePath]}"` : ''}, via-IR). Do not edit.`,
    `export const ${stem}Abi = ${JSON.stringify(c.abi, null, 2)} as const;`,
    `export const ${stem}Bytecode = '${c.bytecode}' as const;`,
    '',
  ].join('\n');
}

function main(): void {
  const args = new Set(process.argv.slice(2));
  const root = packageRoot();
  const { contracts, warnings } = compileContracts(root);
  if (warnings.length > 0) {
    console.error(`solc reported ${warnings.length} warning(s):\n${warnings.join('\n')}`);
    if (!args.has('--allow-warnings')) process.exit(1);
  }
  const outDir = join(root, 'src', 'chain', 'artifacts');
  mkdirSync(outDir, { recursive: true });
  let stale = 0;
  for (const c of contracts) {
    const file = join(outDir, `${c.name}.ts`);
    const text = renderArtifactModule(c);
    const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (old === text) continue;
    stale++;
    if (args.has('--check')) console.error(`stale artifact: ${relative(root, file)}`);
    else writeFileSync(file, text);
  }
  if (args.has('--check') && stale > 0) process.exit(1);
  console.log(`${contracts.length} contract(s) compiled${args.has('--check') ? '' : `, ${stale} artifact(s) written`}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
