// Shared setup for the queue and stream trigger tests: an app folder with handlers and a SAM template, a TwinCore
// with the poll sources on a virtual clock, a small settle loop, and the deliveries and destination sends recorded.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createPollSources, PollSources } from '../../src/engine/triggers/poll-sources';
import { TriggerDelivery } from '../../src/engine/triggers/source';
import { VirtualTriggerClock } from '../../src/engine/triggers/trigger-clock';
import { TwinCore } from '../../src/engine/twin';
import { loadTemplateFileApp } from '../../src/load/template-file';
import { AppModel } from '../../src/model/app-model';

export const PY_RECORDER = [
  'import json, os',
  'def handler(event, context):',
  '    with open(os.environ["OUT"], "a") as f:',
  '        f.write(json.dumps(event) + "\\n")',
  '    return None',
  '',
].join('\n');

export const NODE_RECORDER = [
  "const fs = require('fs');",
  'exports.handler = async (event) => {',
  "  fs.appendFileSync(process.env.OUT, JSON.stringify(event) + '\\n');",
  '  return null;',
  '};',
  '',
].join('\n');

export class PollTwin {
  readonly dir: string;
  readonly clock = new VirtualTriggerClock(Date.UTC(2026, 0, 1));
  readonly deliveries: TriggerDelivery[] = [];
  readonly warnings: string[] = [];
  readonly sent: Array<{ arn: string; payload: string }> = [];
  app!: AppModel;
  core!: TwinCore;
  polls!: PollSources;

  constructor(name: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `lt-${name}-`));
  }

  /** Writes the files and the template, loads the app; `start` false leaves the pollers stopped. */
  load(template: string, files: Record<string, string>, start = true): this {
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, file), text);
    }
    const file = path.join(this.dir, 'template.yaml');
    fs.writeFileSync(file, template.split('$OUT').join(this.dir));
    this.app = loadTemplateFileApp(file, { stackName: 'PollTest' });
    // Plain processes on purpose: the functions record what they received in a host folder.
    this.core = new TwinCore(this.app, { stateDir: path.join(this.dir, 'state'), quiet: true, maxEnvironmentsPerFunction: 4, isolate: false });
    this.polls = createPollSources({
      core: this.core,
      triggers: this.app.triggers,
      clock: this.clock,
      onWarning: (m) => this.warnings.push(m),
      hooks: {
        deliver: (arn, payload) => {
          this.sent.push({ arn, payload });
          try {
            this.polls.queue(arn).send({ body: payload });
            return true;
          } catch {
            return false;
          }
        },
        onDelivery: (d) => this.deliveries.push(d),
      },
    });
    if (start) this.start();
    return this;
  }

  start(): void {
    for (const s of this.polls.sources) s.start();
  }

  /** Lines a recorder handler wrote (one event each). */
  events(file: string): any[] {
    const p = path.join(this.dir, file);
    if (!fs.existsSync(p)) return [];
    return fs.readFileSync(p, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  }

  private async drain(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await Promise.all(this.polls.sources.map((s) => s.idle()));
      if (!this.polls.sources.some((s) => s.busy())) return;
    }
  }

  /** Runs until nothing is in flight and no message or stream retry waits on the clock (fast-forwarding it). */
  async settle(maxSteps = 500): Promise<void> {
    for (let step = 0; step < maxSteps; step++) {
      await this.drain();
      const waiting = this.polls.queues().some((q) => q.messages().some((m) => m.state !== 'visible')) || this.polls.waiting?.() === true;
      const next = this.clock.nextDue(['timer']);
      if (!waiting || next === undefined) return;
      await this.clock.advanceTo(next, () => this.drain());
    }
    throw new Error(`settle did not finish in ${maxSteps} steps`);
  }

  async close(): Promise<void> {
    await Promise.all(this.polls.sources.map((s) => s.stop()));
    await this.core.shutdown();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
