// Finds installed interpreters of a wanted language version outside PATH: pyenv, asdf, uv and mise installs for
// Python; nvm, fnm, volta, mise and asdf installs for Node.js. Returns real executables (never shims), newest first.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Candidate executables for Python `major.minor` (e.g. `3.12`), newest patch first. */
export function discoverPythons(version: string): string[] {
  const home = os.homedir();
  const exe = `python${version}`;
  const dataHome = process.env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const roots: Array<[string, (entry: string) => boolean, string]> = [
    [path.join(process.env.PYENV_ROOT || path.join(home, '.pyenv'), 'versions'), (e) => isVersion(e, version), path.join('bin', exe)],
    [path.join(process.env.ASDF_DATA_DIR || path.join(home, '.asdf'), 'installs', 'python'), (e) => isVersion(e, version), path.join('bin', exe)],
    [process.env.UV_PYTHON_INSTALL_DIR || path.join(dataHome, 'uv', 'python'), (e) => e.startsWith(`cpython-${version}.`), path.join('bin', exe)],
    [path.join(process.env.MISE_DATA_DIR || path.join(dataHome, 'mise'), 'installs', 'python'), (e) => isVersion(e, version), path.join('bin', exe)],
  ];
  return collect(roots);
}

/** Candidate executables for Node.js `major` (e.g. `22`), newest first. */
export function discoverNodes(major: string): string[] {
  const home = os.homedir();
  const dataHome = process.env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const bin = path.join('bin', 'node');
  const roots: Array<[string, (entry: string) => boolean, string]> = [
    [path.join(process.env.NVM_DIR || path.join(home, '.nvm'), 'versions', 'node'), (e) => isVersion(e, major), bin],
    [path.join(process.env.FNM_DIR || path.join(dataHome, 'fnm'), 'node-versions'), (e) => isVersion(e, major), path.join('installation', bin)],
    [path.join(home, '.fnm', 'node-versions'), (e) => isVersion(e, major), path.join('installation', bin)],
    [path.join(process.env.VOLTA_HOME || path.join(home, '.volta'), 'tools', 'image', 'node'), (e) => isVersion(e, major), bin],
    [path.join(process.env.MISE_DATA_DIR || path.join(dataHome, 'mise'), 'installs', 'node'), (e) => isVersion(e, major), bin],
    [path.join(process.env.ASDF_DATA_DIR || path.join(home, '.asdf'), 'installs', 'nodejs'), (e) => isVersion(e, major), bin],
  ];
  return collect(roots);
}

/** How to get an interpreter for a runtime, for warnings. */
export function howToGetInterpreter(runtime: string): string {
  const python = /^python(\d+\.\d+)$/.exec(runtime);
  if (python) return `install Python ${python[1]} (e.g. \`uv python install ${python[1]}\` or \`pyenv install ${python[1]}\`) or set pythonInterpreter / LAMBDA_TWIN_PYTHON`;
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node) return `install Node.js ${node[1]} (e.g. \`nvm install ${node[1]}\`, \`fnm install ${node[1]}\` or \`volta install node@${node[1]}\`) or set nodeInterpreter`;
  return 'install a matching interpreter';
}

// `3.12.1`, `v22.3.0`, `22` match version `3.12` / major `22`; `3.120` does not.
function isVersion(entry: string, wanted: string): boolean {
  const bare = entry.replace(/^v/, '');
  return bare === wanted || bare.startsWith(wanted + '.');
}

function collect(roots: Array<[string, (entry: string) => boolean, string]>): string[] {
  const found: string[] = [];
  for (const [root, matches, relative] of roots) {
    let entries: string[];
    try {
      entries = fs.readdirSync(root);
    } catch {
      continue;
    }
    for (const entry of entries.filter(matches).sort(compareVersionsDescending)) {
      const candidate = path.join(root, entry, relative);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        const real = fs.realpathSync(candidate);
        if (!found.includes(real)) found.push(real);
      } catch {
        // not installed completely
      }
    }
  }
  return found;
}

function compareVersionsDescending(a: string, b: string): number {
  const parts = (s: string): number[] => (s.match(/\d+/g) ?? []).map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? -1) - (pa[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
