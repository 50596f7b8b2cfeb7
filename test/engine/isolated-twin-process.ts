// A twin in a process of its own, for the test that kills it with SIGKILL: it starts two environments of the
// probe function (isolated or not, as argv[3] says), has each start a daemon that calls setsid, leaves both
// environments frozen, prints READY and waits to be killed. Usage: isolated-twin-process.ts <state dir> <marker> <isolate>
// With `--probe <state dir> <command>` instead, it runs the command in one isolated environment, prints the probe's
// answer and exits: the test that runs a twin as a normal user uses it.
import * as path from 'path';
import { FIXTURES, fixtureSpec } from './helpers';
import { FunctionRunner } from '../../src/engine/function-runner';

async function probe(stateDir: string, sh: string): Promise<void> {
  const runner = new FunctionRunner(
    fixtureSpec({ codePath: path.join(FIXTURES, 'node-probe'), runtime: 'nodejs20.x', handler: 'probe.handler', timeout: 10 }),
    { stateDir, maxEnvironments: 1, idleTimeoutMs: 60_000, isolate: true },
  );
  const result = await runner.invoke({ payload: Buffer.from(JSON.stringify({ sh })) });
  await runner.shutdown();
  process.stdout.write(`${result.payload.toString('utf8')}\n`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--probe') return probe(process.argv[3], process.argv[4]);
  const [stateDir, marker, isolate] = process.argv.slice(2);
  const runner = new FunctionRunner(
    fixtureSpec({ codePath: path.join(FIXTURES, 'node-probe'), runtime: 'nodejs20.x', handler: 'probe.handler', timeout: 10, environment: { LT_MARKER: marker } }),
    { stateDir, maxEnvironments: 2, idleTimeoutMs: 600_000, isolate: isolate === 'true' },
  );
  // Two at once, so that there are two environments; each leaves a daemon in a session of its own.
  const daemon = 'setsid sleep 600 </dev/null >/dev/null 2>&1 & sleep 0.2; echo started';
  const results = await Promise.all([0, 1].map(() => runner.invoke({ payload: Buffer.from(JSON.stringify({ sh: daemon })) })));
  process.stdout.write(`READY ${results.map((r) => r.payload.toString('utf8')).join(' ')}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
