// The async event journal on disk: replay after a crash (torn last line, attempts cut off), compaction on open.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EventJournal, EventState, replayJournal } from '../../src/engine/invoke-api/event-journal';

function newEvent(id: string): EventState {
  return {
    id,
    functionKey: 'app/Fn',
    functionName: 'fn',
    executedVersion: '$LATEST',
    payload: `{"id":"${id}"}`,
    acceptedAt: Date.now(),
    attempts: 0,
    errors: 0,
    inFlight: false,
    status: 'pending',
  };
}

describe('EventJournal', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-journal-'));
    file = path.join(dir, 'journal.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replays accepted, attempted and finished events, skipping a torn last line', async () => {
    const { journal } = EventJournal.open(file);
    const a = newEvent('a');
    const b = newEvent('b');
    const c = newEvent('c');
    await Promise.all([journal.accepted(a), journal.accepted(b), journal.accepted(c)]);
    await journal.attemptStarted(a, 1);
    await journal.attemptFinished(a, { n: 1, at: 2, response: '{}' });
    await journal.finished(a, 'succeeded', 'Success', 3, []);
    await journal.attemptStarted(b, 4);
    await journal.attemptStarted(c, 5);
    await journal.attemptFinished(c, { n: 1, at: 6, functionError: 'Unhandled', errorType: 'Error', response: '{}' });
    await journal.close();
    fs.appendFileSync(file, '{"t":"accepted","id":"torn","functionKey":"app/F');

    const states = replayJournal(file);
    expect([...states.keys()]).toEqual(['a', 'b', 'c']);
    expect(states.get('a')).toMatchObject({ status: 'succeeded', condition: 'Success', attempts: 1 });
    expect(states.get('b')).toMatchObject({ status: 'running', attempts: 1, inFlight: true });
    expect(states.get('c')).toMatchObject({ status: 'pending', attempts: 1, errors: 1, errorType: 'Error' });
  });

  it('compacts on open: unfinished events keep payload and counts, finished ones become summaries', async () => {
    const first = EventJournal.open(file).journal;
    const done = newEvent('done');
    const cut = newEvent('cut');
    await first.accepted(done);
    await first.accepted(cut);
    await first.attemptStarted(done, 1);
    await first.attemptFinished(done, { n: 1, at: 2, response: '"ok"' });
    await first.finished(done, 'succeeded', 'Success', 3, ['arn:aws:sns:us-east-1:1:t']);
    await first.attemptStarted(cut, 4);
    await first.close();
    const sizeBefore = fs.statSync(file).size;

    const { journal, states } = EventJournal.open(file);
    await journal.close();
    expect(fs.statSync(file).size).toBeLessThan(sizeBefore);
    // The attempt cut off by the end of the previous run counts, and the event is due again.
    expect(states.get('cut')).toMatchObject({ status: 'pending', attempts: 1, payload: '{"id":"cut"}' });
    expect(states.get('done')).toMatchObject({ status: 'succeeded', payload: undefined, destinations: ['arn:aws:sns:us-east-1:1:t'] });
    expect(replayJournal(file).get('cut')).toMatchObject({ status: 'pending', attempts: 1, payload: '{"id":"cut"}' });
    expect(fs.existsSync(`${file}.compacting`)).toBe(false);
  });
});
