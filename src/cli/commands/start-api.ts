// `lambda-twin start-api`: serve an app's REST APIs, HTTP APIs and Function URLs locally (like `sam local
// start-api`, without Docker, with Function URLs too) until SIGINT or SIGTERM, logging one line a request.
import { resolve as resolvePath } from 'path';
import type { Command } from 'commander';
import { coreOf } from '../../core-of';
import { formatLogEntry, HttpFrontServer, HttpFrontServerOptions } from '../../servers/http-front-server';
import { isolateOptions, loadOptions, SourceOptions, twinFrom } from '../source-options';

interface StartApiOptions extends SourceOptions {
  readonly host: string;
  readonly port: string;
  readonly logs: boolean;
  readonly quiet?: boolean;
  readonly jwks?: string[];
  readonly accessKeyAccount?: string[];
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerStartApiCommand(program: Command): void {
  isolateOptions(program.command('start-api'))
    .description('Serve the app\'s REST APIs, HTTP APIs and Function URLs on one local port, with API Gateway\'s events, ' +
      'responses and errors; prints the routes and logs each request.')
    .option('--app <dir>', 'cloud assembly directory (cdk.out)', 'cdk.out')
    .option('-t, --template <file>', 'a SAM or CloudFormation template (YAML or JSON) instead of --app')
    .option('--host <host>', 'address to listen on (anything but loopback exposes your APIs)', '127.0.0.1')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', '3000')
    .option('--env-vars <file>', 'environment variables in SAM CLI\'s --env-vars JSON format')
    .option('--parameter-overrides <pairs...>', 'template parameters as Key=Value')
    .option('--no-logs', 'do not print function logs')
    .option('--quiet', 'no warnings about runtime versions')
    .option('--jwks <issuer=file-or-url>', 'JWT/Cognito authorizers: the JWKS of an issuer (a file or an http(s) URL); ' +
      '`*=...` for any issuer; repeatable', collect)
    .option('--access-key-account <AKID=account>', 'AWS_IAM: the 12-digit account an access key id belongs to; repeatable', collect)
    .action(async (opts: StartApiOptions) => {
      await startApi(opts);
    });
}

async function startApi(opts: StartApiOptions): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a whole number from 0 to 65535; got '${opts.port}'`);
  const auth = authOptions(opts);
  const twin = twinFrom(opts, { ...loadOptions(opts), printLogs: opts.logs, quiet: opts.quiet });
  const core = coreOf(twin);
  const server = new HttpFrontServer(core, { host: opts.host, port, auth, onLog: (entry) => process.stderr.write(formatLogEntry(entry) + '\n') });
  try {
    await server.start().catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EADDRINUSE') throw e;
      throw new Error(`Port ${port} on ${opts.host} is in use (another start-api?). Pick another with --port <n>, or --port 0 for any free port.`);
    });
  } catch (e) {
    await twin.shutdown();
    throw e;
  }
  if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
    process.stderr.write(`WARNING: listening on ${opts.host}, not loopback: anyone who can reach it can call these APIs.\n`);
  }
  process.stdout.write(routeTable(server) + '\n');
  const unsupported = core.app.apis.unsupported;
  if (unsupported.length) process.stdout.write(`Not emulated (requests to these answer 500 with the reason):\n${unsupported.map((u) => `  - ${u}`).join('\n')}\n`);
  if (server.urls().length === 0) process.stdout.write('The app has no REST API, HTTP API or Function URL to serve.\n');

  await new Promise<void>((resolve) => {
    let received = 0;
    const onSignal = (): void => {
      received++;
      if (received === 1) {
        process.stderr.write('Stopping: running requests finish (Ctrl-C again to force)\n');
        resolve();
      } else {
        process.exit(130);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await server.stop();
  await twin.shutdown();
}

/** `--jwks issuer=file-or-url` and `--access-key-account AKID=account`, checked. */
export function authOptions(opts: { readonly jwks?: readonly string[]; readonly accessKeyAccount?: readonly string[] }): NonNullable<HttpFrontServerOptions['auth']> {
  const jwks: Record<string, string> = {};
  for (const pair of opts.jwks ?? []) {
    const at = pair.lastIndexOf('=');
    const issuer = at > 0 ? pair.slice(0, at) : '';
    const where = at > 0 ? pair.slice(at + 1) : '';
    if (!issuer || !where) throw new Error(`--jwks expects <issuer>=<file-or-url> (or *=<file-or-url> for any issuer), got '${pair}'`);
    jwks[issuer] = /^https?:\/\//.test(where) ? where : resolvePath(where);
  }
  const accessKeyAccounts: Record<string, string> = {};
  for (const pair of opts.accessKeyAccount ?? []) {
    const m = /^([^=]+)=(\d{12})$/.exec(pair);
    if (!m) throw new Error(`--access-key-account expects ACCESS_KEY_ID=<12-digit account>, got '${pair}'`);
    accessKeyAccounts[m[1]] = m[2];
  }
  return { jwks, accessKeyAccounts };
}

/** The routes of every front: API, stage, method, local URL, function, auth. */
export function routeTable(server: HttpFrontServer): string {
  const rows: string[][] = [['API', 'KIND', 'STAGE', 'METHOD', 'URL', 'FUNCTION', 'AUTH']];
  const fronts = server.fronts;
  for (const u of server.urls()) {
    const front = fronts.fronts.find((f) => f.id === u.logicalId && fronts.keyOf(f) === u.key)!;
    for (const route of fronts.routesOf(front)) {
      const path = route.path === '$default' ? '/*' : route.path;
      const fn = route.integration.type === 'AWS_PROXY' && !route.integration.unsupported
        ? fronts.functionOf(route)?.functionName ?? '?' : route.integration.unsupported ? `(${route.integration.type}: not emulated)` : `(${route.integration.type})`;
      const auth = route.authorization.authorizationType + (route.authorization.apiKeyRequired ? '+API key' : '');
      rows.push([u.key, u.kind, u.stage, route.method, `${u.url}${path === '/' ? '/' : path}`, fn, auth]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return [`Serving on ${server.baseUrl}`, '', ...rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd())].join('\n');
}
