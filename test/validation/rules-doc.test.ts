// The rule tables users read (docs/validation-rules.md and the README) list exactly the rules the code has, with
// the same severity, title, why and fix: the documentation cannot drift from the rules.
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES } from '../../src/validation/rules';

const root = path.resolve(__dirname, '..', '..');

/** The `| LTxxx | severity | what | why | fix |` rows of a markdown file. */
function ruleRows(file: string): string[][] {
  return fs.readFileSync(path.join(root, file), 'utf8').split('\n')
    .filter((line) => /^\| LT\d{3} \|/.test(line))
    .map((line) => line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
}

describe.each(['docs/validation-rules.md', 'README.md'])('the rule table in %s', (file) => {
  it('has one row per rule, in code order, saying what the code says', () => {
    const expected = ALL_RULES.map((r) => [r.code, r.severity.toLowerCase(), r.title, r.why, r.fix]);
    expect(ruleRows(file)).toEqual(expected);
  });
});
