// The java runtime family (java8.al2, java11, java17, java21, java25): the host's JDK runs our bootstrap
// (runtimes/java/src/lambdatwin/*.java) with the JVM flags Lambda's Java runtime uses, sized from the memory setting.
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HostInterpreter, RuntimeDriver } from './driver';

/** Our bootstrap's sources, compiled on first use. */
export const JAVA_BOOTSTRAP_SOURCES = path.resolve(__dirname, '..', '..', '..', 'runtimes', 'java', 'src');
/** The bootstrap's main class. */
export const JAVA_BOOTSTRAP_CLASS = 'lambdatwin.Bootstrap';

const found = new Map<string, HostInterpreter>();

/**
 * The host's `java` (LAMBDA_TWIN_JAVA, else JAVA_HOME's, else the one on PATH): its real path and its feature
 * version (`17`), read from the JVM's own properties.
 */
export function findJava(runtime: string, override = process.env.LAMBDA_TWIN_JAVA): HostInterpreter {
  const candidates = override ? [override]
    : [...(process.env.JAVA_HOME ? [path.join(process.env.JAVA_HOME, 'bin', 'java')] : []), 'java'];
  const key = candidates.join('\0');
  const cached = found.get(key);
  if (cached) return cached;
  const errors: string[] = [];
  for (const candidate of candidates) {
    const run = spawnSync(candidate, ['-XshowSettings:properties', '-version'], { encoding: 'utf8', timeout: 15_000 });
    if (run.error || run.status !== 0) {
      errors.push(`${candidate}: ${run.error?.message ?? (run.stderr || '').split('\n')[0]}`);
      continue;
    }
    const home = /^\s*java\.home = (.+)$/m.exec(run.stderr)?.[1]?.trim();
    const spec = /^\s*java\.specification\.version = (.+)$/m.exec(run.stderr)?.[1]?.trim();
    if (!home || !spec) {
      errors.push(`${candidate}: did not report java.home and java.specification.version`);
      continue;
    }
    const result = { executable: fs.realpathSync(path.join(home, 'bin', 'java')), version: spec.replace(/^1\./, '') };
    found.set(key, result);
    return result;
  }
  throw new Error(
    `No Java found for runtime '${runtime}' (tried ${errors.join('; ')}). ` +
    'Install a JDK (Debian/Ubuntu: `apt-get install openjdk-17-jdk-headless`), or point JAVA_HOME / LAMBDA_TWIN_JAVA at one.',
  );
}

/**
 * The folder of the compiled bootstrap for this JDK, compiling it on first use.
 *
 * Compiled at first use rather than at build time because the class files must suit the JVM that runs them: a
 * bootstrap compiled by a newer javac does not load on an older JVM, and the host's JDK is only known here. The
 * cache is per user (the installed package may be read-only or shared by users) and keyed by the JDK's version and
 * a hash of the sources, so upgrading either compiles anew; javac writes into a fresh folder renamed into place, so
 * two processes compiling at once never see half a bootstrap.
 */
export function compiledBootstrap(java: HostInterpreter): string {
  const sources = fs.readdirSync(path.join(JAVA_BOOTSTRAP_SOURCES, 'lambdatwin')).filter((f) => f.endsWith('.java')).sort()
    .map((f) => path.join(JAVA_BOOTSTRAP_SOURCES, 'lambdatwin', f));
  const hash = createHash('sha256');
  for (const file of sources) hash.update(file).update(fs.readFileSync(file));
  const key = `${java.version}-${hash.update(java.executable).digest('hex').slice(0, 16)}`;
  const target = path.join(javaCacheRoot(), key);
  if (fs.existsSync(path.join(target, 'lambdatwin', 'Bootstrap.class'))) return target;

  const javac = path.join(path.dirname(java.executable), 'javac');
  if (!fs.existsSync(javac)) {
    throw new Error(`The Java runtime needs javac to compile its bootstrap once, and ${java.executable} has none beside it. ` +
      'Install the full JDK (Debian/Ubuntu: `apt-get install openjdk-17-jdk-headless`), not only the JRE.');
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const work = fs.mkdtempSync(`${target}.tmp-`);
  try {
    execFileSync(javac, ['-nowarn', '-encoding', 'UTF-8', '-d', work, ...sources], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    try {
      fs.renameSync(work, target);
    } catch {
      // another process got there first: its bootstrap is the same
    }
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`Compiling lambda-twin's Java bootstrap with ${javac} failed: ${stderr || (err as Error).message}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return target;
}

function javaCacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'lambda-twin', `java-bootstrap-${process.getuid?.() ?? 0}`);
}

/**
 * The JVM flags of Lambda's Java runtime for a memory size: heap 85 %, metaspace 10 %, code cache 5 % of the
 * memory, the serial collector, and tiered compilation stopped at C1 (what java17 does by default). The temp
 * folder is the environment's /tmp, and no perf-data file is written to the host's /tmp.
 */
export function jvmFlags(memorySizeMb: number, tmpDir: string): string[] {
  const kb = memorySizeMb * 1024;
  return [
    `-XX:MaxHeapSize=${Math.floor(kb * 0.85)}k`,
    `-XX:MaxMetaspaceSize=${Math.floor(kb * 0.10)}k`,
    `-XX:ReservedCodeCacheSize=${Math.floor(kb * 0.05)}k`,
    '-XX:+UseSerialGC',
    '-XX:+TieredCompilation',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Djava.net.preferIPv4Stack=true',
    `-Djava.io.tmpdir=${tmpDir}`,
  ];
}

export const javaDriver: RuntimeDriver = {
  family: 'java',
  interpreted: true,
  interpreterSetting: 'JAVA_HOME or LAMBDA_TWIN_JAVA',

  findInterpreter(runtime) {
    return findJava(runtime);
  },

  versionOf(runtime) {
    return /^java(\d+)/.exec(runtime)?.[1];
  },

  launch({ interpreter, memorySizeMb, paths }) {
    const classes = compiledBootstrap(interpreter!);
    return {
      command: interpreter!.executable,
      args: [...jvmFlags(memorySizeMb, paths.tmpDir), `-Dlambdatwin.opt=${paths.optDir}`, '-cp', classes, JAVA_BOOTSTRAP_CLASS],
    };
  },

  environment({ paths }) {
    return { CLASSPATH: path.join(paths.optDir, 'java', 'lib', '*') };
  },
};
