// Lambda's platform facts, declared once: the runtime catalog (identifier, family, language version, lifecycle),
// what each runtime family expects (handler grammar, inline file name, layer folders), limits, reserved environment
// keys, name patterns and defaults. Constructs, validation and the engine read them here; none redeclares one.
// Internal: not part of the jsii API.

/**
 * A runtime family: how Lambda parses the handler and where it looks for code. `go` is the retired `go1.x` runtime,
 * whose handler names the executable; the twin runs it like `provided`.
 */
export type RuntimeFamily = 'python' | 'nodejs' | 'ruby' | 'java' | 'dotnet' | 'provided' | 'go';

/** One runtime identifier of the catalog. Dates are ISO days (UTC); absent = not announced. */
export interface RuntimeInfo {
  readonly identifier: string;
  readonly family: RuntimeFamily;
  /** The language version (`3.12`, `20`, `21`, `8`), or the OS generation for `provided` (`al2023`). */
  readonly version?: string;
  readonly deprecated?: string;
  readonly blockCreate?: string;
  readonly blockUpdate?: string;
  readonly successor?: string;
}

/**
 * Sources: cfn-lint LmbdRuntimeLifecycle.json (past dates) and docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 * as quoted in docs/reference (projected dates). Re-check the projected dates when touching this table.
 */
export const RUNTIME_TABLE_LAST_VERIFIED = '2026-11-23';

type Row = [identifier: string, version: string | undefined, deprecated?: string, blockCreate?: string, blockUpdate?: string];

/**
 * A family's rows. `successor` is what every runtime of the family moves to, except the `current` ones (which
 * have none).
 */
function family(name: RuntimeFamily, successor: string, current: string[], rows: Row[]): RuntimeInfo[] {
  return rows.map(([identifier, version, deprecated, blockCreate, blockUpdate]) => ({
    identifier,
    family: name,
    version,
    deprecated,
    blockCreate,
    blockUpdate,
    successor: current.includes(identifier) ? undefined : successor,
  }));
}

const NODE = 'nodejs24.x';
const PYTHON = 'python3.14';
const JAVA = 'java21';
const DOTNET = 'dotnet10';
const RUBY = 'ruby3.4';
const PROVIDED = 'provided.al2023';

/** Every runtime identifier Lambda has had, in family order. */
export const RUNTIMES: readonly RuntimeInfo[] = [
  ...family('nodejs', NODE, [NODE], [
    ['nodejs', undefined, '2016-10-31', '2016-10-31', '2016-10-31'],
    ['nodejs4.3', '4', '2020-03-05', '2020-03-05', '2020-03-05'],
    ['nodejs4.3-edge', '4', '2019-04-30', '2019-04-30', '2019-04-30'],
    ['nodejs6.10', '6', '2019-08-12', '2019-08-12', '2019-08-12'],
    ['nodejs8.10', '8', '2020-03-06', '2020-03-06', '2020-03-06'],
    ['nodejs10.x', '10', '2021-07-30', '2021-07-30', '2022-02-14'],
    ['nodejs12.x', '12', '2023-03-31', '2023-03-31', '2023-04-30'],
    ['nodejs14.x', '14', '2023-12-04', '2024-07-09', '2025-11-01'],
    ['nodejs16.x', '16', '2024-06-12', '2025-10-01', '2025-11-01'],
    ['nodejs18.x', '18', '2025-09-01', '2025-10-01', '2025-11-01'],
    ['nodejs20.x', '20', '2026-04-30', '2026-08-31', '2026-09-30'],
    ['nodejs22.x', '22', '2027-04-30', '2027-06-01', '2027-07-01'],
    ['nodejs24.x', '24', '2028-04-30', '2028-06-01', '2028-07-01'],
  ]),
  ...family('python', PYTHON, ['python3.13', PYTHON, 'python3.15'], [
    ['python2.7', '2.7', '2021-07-15', '2021-07-15', '2022-05-30'],
    ['python3.6', '3.6', '2022-07-18', '2022-07-18', '2022-08-29'],
    ['python3.7', '3.7', '2023-12-04', '2024-01-09', '2025-11-01'],
    ['python3.8', '3.8', '2024-10-14', '2025-10-01', '2025-11-01'],
    ['python3.9', '3.9', '2025-12-15'],
    ['python3.10', '3.10', '2026-10-31'],
    ['python3.11', '3.11', '2027-06-30'],
    ['python3.12', '3.12', '2028-10-31'],
    ['python3.13', '3.13', '2029-06-30'],
    ['python3.14', '3.14', '2029-06-30'],
    ['python3.15', '3.15'], // added in aws-cdk-lib 2.27x; deprecation not announced
  ]),
  ...family('java', JAVA, [JAVA, 'java25', 'java8.al2023', 'java11.al2023', 'java17.al2023'], [
    ['java8', '8', '2024-01-08', '2024-02-08', '2025-11-01'],
    ['java8.al2', '8', '2027-06-30'],
    ['java11', '11', '2027-06-30'],
    ['java17', '17', '2027-06-30'],
    ['java21', '21', '2029-06-30'],
    ['java25', '25', '2029-06-30'],
    ['java8.al2023', '8', '2029-06-30'],
    ['java11.al2023', '11', '2029-06-30'],
    ['java17.al2023', '17', '2029-06-30'],
  ]),
  ...family('dotnet', DOTNET, [DOTNET], [
    ['dotnetcore1.0', '1.0', '2019-06-27', '2019-06-27', '2019-06-27'],
    ['dotnetcore2.0', '2.0', '2019-05-30', '2019-05-30', '2019-05-30'],
    ['dotnetcore2.1', '2.1', '2022-01-05', '2022-01-05', '2022-04-13'],
    ['dotnetcore3.1', '3.1', '2023-04-03', '2023-04-03', '2023-05-03'],
    ['dotnet5.0', '5.0', '2022-05-10'],
    ['dotnet7', '7', '2024-05-14'],
    ['dotnet6', '6', '2024-11-12', undefined, '2025-11-01'],
    ['dotnet8', '8', '2026-11-10'],
    ['dotnet9', '9', '2026-11-10'],
    ['dotnet10', '10', '2028-11-14'],
  ]),
  ...family('ruby', RUBY, [RUBY, 'ruby4.0'], [
    ['ruby2.5', '2.5', '2021-07-30', '2021-07-30', '2022-03-31'],
    ['ruby2.7', '2.7', '2023-12-07', '2024-01-09', '2025-11-01'],
    ['ruby3.2', '3.2', '2026-03-31'],
    ['ruby3.3', '3.3', '2027-03-31'],
    ['ruby3.4', '3.4', '2028-03-31'],
    ['ruby4.0', '4.0', '2029-03-31'],
  ]),
  ...family('go', PROVIDED, [], [
    ['go1.x', '1.x', '2024-01-08', '2024-02-08', '2025-11-01'],
  ]),
  ...family('provided', PROVIDED, [PROVIDED], [
    ['provided', 'al1', '2024-01-08', '2024-02-08', '2025-11-01'],
    ['provided.al2', 'al2', '2026-06-30'],
    ['provided.al2023', 'al2023', '2029-06-30'],
  ]),
];

const BY_IDENTIFIER = new Map(RUNTIMES.map((r) => [r.identifier, r]));

/** The catalog entry of a runtime identifier, or undefined when Lambda has no such runtime. */
export function runtimeInfo(runtime: string | undefined): RuntimeInfo | undefined {
  return runtime === undefined ? undefined : BY_IDENTIFIER.get(runtime);
}

/** Identifier prefixes of each family, for identifiers the catalog does not know yet (`python3.99`). */
const FAMILY_PREFIXES: Array<[string, RuntimeFamily]> = [
  ['python', 'python'], ['nodejs', 'nodejs'], ['java', 'java'], ['ruby', 'ruby'], ['dotnetcore', 'dotnet'],
  ['dotnet', 'dotnet'], ['provided', 'provided'], ['go', 'go'],
];

/** The family of a runtime identifier (catalog first, then its prefix); undefined for no runtime or an unknown one. */
export function runtimeFamily(runtime: string | undefined): RuntimeFamily | undefined {
  if (!runtime) return undefined;
  const known = BY_IDENTIFIER.get(runtime);
  if (known) return known.family;
  return FAMILY_PREFIXES.find(([prefix]) => runtime.startsWith(prefix))?.[1];
}

/** What one runtime family expects of a deployment. */
export interface FamilyFacts {
  /** The handler's grammar and the human form shown in messages. */
  readonly handler: { readonly pattern: RegExp; readonly example: string };
  /** The file Lambda writes inline (ZipFile) code to; absent when the family cannot run inline code. */
  readonly inlineFileName?: string;
  /** Folders of a layer (under /opt) on this family's search path; absent when only the generic folders apply. */
  readonly layerPaths?: { readonly patterns: readonly RegExp[]; readonly expected: string };
}

/** Per-family facts, as data. */
export const FAMILIES: Record<RuntimeFamily, FamilyFacts> = {
  python: {
    handler: { pattern: /^(?:[\w-]+\/)*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\.[A-Za-z_]\w*$/, example: 'module.function or pkg/sub/module.function' },
    inlineFileName: 'index.py',
    layerPaths: { patterns: [/^python\//], expected: 'python/ (or python/lib/<pythonX.Y>/site-packages/)' },
  },
  nodejs: {
    handler: { pattern: /^(?:[\w.@-]+\/)*[\w@-]+\.[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/, example: 'file.export or dir/file.export' },
    inlineFileName: 'index.js',
    layerPaths: { patterns: [/^nodejs\/node_modules\//, /^nodejs\/node\d+\/node_modules\//], expected: 'nodejs/node_modules/ (or nodejs/nodeXX/node_modules/)' },
  },
  java: {
    handler: { pattern: /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:::[A-Za-z_$][\w$]*)?$/, example: 'com.example.Handler::handleRequest or com.example.Handler' },
    layerPaths: { patterns: [/^java\/lib\//], expected: 'java/lib/' },
  },
  ruby: {
    handler: { pattern: /^(?:[\w-]+\/)*[\w-]+\.(?:[A-Z]\w*(?:::[A-Z]\w*)*\.)?[a-z_]\w*[!?]?$/, example: 'file.method or file.Module::Class.method' },
    layerPaths: { patterns: [/^ruby\/gems\//, /^ruby\/lib\//], expected: 'ruby/gems/ or ruby/lib/' },
  },
  dotnet: {
    handler: { pattern: /^[\w.-]+(?:::[\w.]+::\w+)?$/, example: 'Assembly::Namespace.Class::Method (or the assembly name of an executable assembly)' },
  },
  go: {
    handler: { pattern: /^[\w./-]+$/, example: 'the executable name, e.g. bootstrap' },
  },
  provided: {
    // The custom runtime's bootstrap reads _HANDLER itself: any non-blank string is valid.
    handler: { pattern: /^\S+$/, example: 'any string your bootstrap understands' },
  },
};

/** Layer folders (under /opt) on every runtime's path: PATH, LD_LIBRARY_PATH and extensions. */
export const GENERIC_LAYER_PATHS = { patterns: [/^bin\//, /^lib\//, /^extensions\//], expected: 'bin/, lib/ or extensions/' };

/** Numeric and size limits of a function, its configuration and its resource-based policy. */
export const LIMITS = {
  memoryMin: 128,
  memoryMax: 10240,
  timeoutMin: 1,
  timeoutMax: 900,
  timeoutMaxManagedInstances: 5400,
  ephemeralMin: 512,
  ephemeralMax: 10240,
  functionNameMax: 64,
  descriptionMax: 256,
  handlerMax: 128,
  inlineZipMax: 4 * 1024 * 1024,
  unzippedMax: 262_144_000,
  zippedMax: 50 * 1024 * 1024,
  layersMax: 5,
  environmentMaxBytes: 4096,
  policyMaxBytes: 20 * 1024,
} as const;

/** Lambda's defaults for a function's properties a template leaves out. */
export const FUNCTION_DEFAULTS = {
  memorySize: 128,
  timeout: 3,
  ephemeralStorage: 512,
  architecture: 'x86_64',
} as const;

/** The 18 keys Lambda reserves (the same list aws-cdk-lib's `addEnvironment` rejects): a function cannot set them. */
export const RESERVED_ENVIRONMENT_KEYS = [
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
] as readonly string[];

/** Name and value patterns Lambda's API enforces. */
export const PATTERNS = {
  /** A function name (at most `LIMITS.functionNameMax` characters). */
  functionName: /^[a-zA-Z0-9-_]+$/,
  /** An environment variable key. */
  environmentKey: /^[a-zA-Z]([a-zA-Z0-9_])+$/,
  /** A version or alias qualifier. */
  qualifier: /^(\$LATEST|[a-zA-Z0-9_-]{1,128})$/,
  /** An alias name: letters, digits, `-` and `_`, not only digits. */
  aliasName: /^(?!^[0-9]+$)[a-zA-Z0-9-_]+$/,
  /** A resource-based policy action. */
  permissionAction: /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/,
  accountId: /^\d{12}$/,
  organizationId: /^o-[a-z0-9]{10,32}$/,
};

/**
 * Modules a Node.js runtime provides without packaging them: the AWS SDK for JavaScript v3 (`@aws-sdk/*`, and its
 * `@smithy/*` parts) from nodejs18.x, v2 (`aws-sdk`) before; `cfn-response` only to inline (ZipFile) code, which
 * CloudFormation writes next to index.js.
 */
export function nodeRuntimeProvides(runtime: string, moduleName: string, inline: boolean): boolean {
  if (inline && moduleName === 'cfn-response') return true;
  const major = Number(runtimeInfo(runtime)?.version ?? NaN);
  if (Number.isNaN(major)) return true; // an identifier we do not know: do not guess
  if (major >= 18) return moduleName.startsWith('@aws-sdk/') || moduleName.startsWith('@smithy/');
  return moduleName === 'aws-sdk';
}

/**
 * Top-level modules of the Python standard library (the union over Lambda's Python 3 runtimes: a module removed in a
 * later version stays listed, so a finding is never made for it).
 */
export const PYTHON_STANDARD_LIBRARY: ReadonlySet<string> = new Set([
  '__future__ _abc _aix_support _ast _asyncio _bisect _blake2 _bootsubprocess _bz2 _codecs _codecs_cn _codecs_hk',
  '_codecs_iso2022 _codecs_jp _codecs_kr _codecs_tw _collections _collections_abc _compat_pickle _compression',
  '_contextvars _crypt _csv _ctypes _curses _curses_panel _datetime _dbm _decimal _elementtree _frozen_importlib',
  '_frozen_importlib_external _functools _gdbm _hashlib _heapq _imp _io _json _locale _lsprof _lzma _markupbase',
  '_md5 _msi _multibytecodec _multiprocessing _opcode _operator _osx_support _overlapped _pickle _posixshmem',
  '_posixsubprocess _py_abc _pydecimal _pyio _queue _random _scproxy _sha1 _sha256 _sha3 _sha512 _signal',
  '_sitebuiltins _socket _sqlite3 _sre _ssl _stat _statistics _string _strptime _struct _symtable _thread',
  '_threading_local _tkinter _tokenize _tracemalloc _typing _uuid _warnings _weakref _weakrefset _winapi',
  '_zoneinfo abc aifc annotationlib antigravity argparse array ast asynchat asyncio asyncore atexit audioop',
  'base64 bdb binascii bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop',
  'collections colorsys compileall compression concurrent configparser contextlib contextvars copy copyreg crypt',
  'csv ctypes curses dataclasses datetime dbm decimal difflib dis distutils doctest email encodings ensurepip',
  'enum errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath getopt',
  'getpass gettext glob graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib',
  'inspect io ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal',
  'math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers',
  'opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib',
  'posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random',
  're readline reprlib resource rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site',
  'smtpd smtplib sndhdr socket socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics',
  'string stringprep struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile',
  'termios textwrap this threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty',
  'turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref webbrowser',
  'winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo',
].join(' ').split(' '));

/** Top-level Python packages every Python runtime provides: boto3 and its dependencies. */
export const PYTHON_RUNTIME_PACKAGES: readonly string[] = ['boto3', 'botocore', 'jmespath', 'dateutil', 's3transfer', 'six', 'urllib3', 'awslambdaric'];

/** The Node.js major version from which managed runtimes reject callback handlers and drop context.succeed/fail/done. */
export const NODE_CALLBACK_HANDLERS_REMOVED = 24;
