/** `node build/<name>/bench/conicCorpusCli.js [extraDir]`: prints runConicCorpusBench's lines as JSON; exit 1 when an instance fails. */
import { runConicCorpusBench } from './conicCorpus.js';

const lines = await runConicCorpusBench({ extraDir: process.argv[2] });
for (const line of lines) console.log(JSON.stringify(line));
const summary = lines[lines.length - 1] as { failed: number };
process.exitCode = summary.failed > 0 ? 1 : 0;
