// Jest globalSetup / globalTeardown: every test run gets its own temporary folder, and nothing the tests (or the
// processes they start) put in the temporary folder outlives the run. The folder is made inside the system's (or
// the caller's TMPDIR) and passed to the test workers as TMPDIR; the teardown names what the tests left behind
// (a leak to fix in the test that made it) and removes it all.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const KEY = 'LAMBDA_TWIN_TEST_TMPDIR';

function globalSetup() {
  const outer = os.tmpdir();
  const dir = fs.mkdtempSync(path.join(outer, 'lambda-twin-tests-'));
  process.env[KEY] = dir;
  process.env.LAMBDA_TWIN_TEST_OUTER_TMPDIR = process.env.TMPDIR ?? '';
  process.env.TMPDIR = dir;
}

function globalTeardown() {
  const dir = process.env[KEY];
  if (!dir) return;
  const outer = process.env.LAMBDA_TWIN_TEST_OUTER_TMPDIR;
  if (outer) process.env.TMPDIR = outer;
  else delete process.env.TMPDIR;
  delete process.env[KEY];
  delete process.env.LAMBDA_TWIN_TEST_OUTER_TMPDIR;
  let left = [];
  try {
    left = fs.readdirSync(dir);
  } catch {
    return;
  }
  if (left.length > 0 && process.env.LAMBDA_TWIN_TEST_LEAKS) {
    const byPrefix = {};
    for (const name of left) {
      const prefix = name.replace(/[A-Za-z0-9]{6}$/, '*');
      byPrefix[prefix] = (byPrefix[prefix] ?? 0) + 1;
    }
    const list = Object.entries(byPrefix).sort((a, b) => b[1] - a[1]).map(([p, n]) => `${p} ×${n}`).join(', ');
    process.stderr.write(`\nThe tests left ${left.length} entries in their temporary folder (removed now): ${list}\n`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = { globalSetup, globalTeardown };
