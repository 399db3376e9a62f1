/** `node build/<name>/bench/conicBenchCli.js [periods]`: prints runConicBench's lines as JSON. */
import { runConicBench } from './conic.bench.js';

const periods = process.argv[2] ? Number(process.argv[2]) : 24;
for (const line of await runConicBench({ periods })) console.log(JSON.stringify(line));
