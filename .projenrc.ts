// The project definition: the source of truth for package.json, tsconfig*, eslint and jest.
// Change this file, then run `npx projen` to regenerate everything it owns.
import { awscdk, javascript } from 'projen';
import { ValidateTsconfig } from 'projen/lib/cdk';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'lambda-twin',
  packageName: 'lambda-twin',
  description:
    'AWS CDK constructs for Lambda functions with synth-time validation, SAM output, and a local twin of the Lambda service that runs functions without Docker.',
  author: 'lambda-twin developers',
  authorAddress: 'dev@lambda-twin.invalid',
  repositoryUrl: 'https://example.invalid/lambda-twin.git',
  keywords: ['aws', 'lambda', 'cdk', 'sam', 'local', 'testing', 'runtime-api'],
  defaultReleaseBranch: 'main',
  cdkVersion: '2.276.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  minNodeVersion: '20.0.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  prettier: false,
  sampleCode: false,
  github: false,

  // jsii targets are configured for every language; only JS is packaged on these machines (see `package` below).
  publishToPypi: { distName: 'lambda-twin', module: 'lambda_twin' },
  publishToMaven: {
    javaPackage: 'dev.lambdatwin',
    mavenGroupId: 'dev.lambdatwin',
    mavenArtifactId: 'lambda-twin',
  },
  publishToNuget: { dotNetNamespace: 'LambdaTwin', packageId: 'LambdaTwin' },
  publishToGo: { moduleName: 'github.com/lambda-twin/lambda-twin-go' },

  // Non-jsii runtime dependencies are bundled into the package.
  // esbuild is not bundled (its binary is per platform): `lambda-twin build` uses the project's, as SAM CLI does;
  // the tests use the dev copy.
  bundledDeps: ['yaml', 'yauzl', 'commander', 'acorn', 'jose@^5'],
  devDeps: [
    'esbuild',
    '@types/yauzl',
    '@types/yazl',
    'yazl',
    'ajv@^8',
    'ajv-draft-04',
    'fast-check',
    'cdk-nag',
    '@aws-sdk/client-lambda',
    'lambda-local',
    '@types/aws-lambda',
    'autocannon',
    '@types/autocannon',
  ],

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
      // Integration tests spawn real processes; two workers keep a 2-core machine responsive.
      maxWorkers: 2,
      testPathIgnorePatterns: ['/node_modules/', '/test/fixtures/', '/examples/cdk.out/', '<rootDir>/tmp/'],
      // CI keeps TMPDIR inside the checkout (tmp/): scratch apps and assemblies there are not part of the project.
      modulePathIgnorePatterns: ['<rootDir>/tmp/', '<rootDir>/examples/cdk.out'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      // Each run gets its own temporary folder (TMPDIR for the tests and the processes they start), removed at the end.
      globalSetup: '<rootDir>/test/setup/global-setup.js',
      globalTeardown: '<rootDir>/test/setup/global-teardown.js',
      // jest's transform cache lives in the checkout (git-ignored), not in the system's temporary folder.
      cacheDirectory: '<rootDir>/test/.cache/jest',
    },
  },
  // Members marked @internal stay out of the published declarations (lib/*.d.ts). jsii's strict tsconfig rule set
  // asks for stripInternal: false, so the minimal one (incompatible options only) checks this tsconfig.
  tsconfig: { compilerOptions: { stripInternal: true } },
  validateTsconfig: ValidateTsconfig.MINIMAL,
  tsconfigDev: {
    compilerOptions: {},
    include: ['examples/**/*.ts', 'bench/**/*.ts'],
  },
  gitignore: ['/examples/cdk.out/', '/examples/cdk.out.sam/', '/examples/cdk.out.java/', '/examples/cdk.out.http/', '/examples/cdk.out.triggers/', '/bench/results/', '/.lambda-twin/', '*.tgz', '/tmp/', '__pycache__/', '*.pyc', '/test/.cache/'],
});

for (const pattern of ['/examples/', '/bench/', '/docs/', '/.ci/', '/scripts/', '/tmp/', '__pycache__/', '*.pyc', '/test/.cache/']) {
  project.addPackageIgnore(pattern);
}

// projen's default ignores (`logs`, `node_modules/`) would hide source: the engine's logs module and the layer fixtures.
project.gitignore.addPatterns('!/src/engine/logs/', '!/test/fixtures/**/node_modules/');
// Maven's build output of the Java example and fixtures (test-setup builds them).
project.gitignore.addPatterns('/examples/functions/*/target/', '/test/fixtures/java/*/target/');

// npm ci fails on projen's lockfile without this (an optional resolver binding missing from the registry).
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// Layers import one direction only: cli → façades (local-twin, servers, testing) → engine → model; load → model;
// constructs and validation never import the engine, the loader or the CLI. A wrong import fails `npm test` (eslint).
const FACADES = ['./src/local-twin.ts', './src/local-twin-api.ts', './src/core-of.ts', './src/servers', './src/testing', './src/index.ts'];
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      { target: './src/engine', from: ['./src/cli', './src/sam', ...FACADES, './src/constructs', './src/validation'], message: 'The engine sits below the façades, the CLI and SAM: pass what it needs in.' },
      { target: './src/model', from: ['./src/engine', './src/load', './src/cli', './src/sam', ...FACADES, './src/constructs', './src/validation'], message: 'The model imports nothing above it.' },
      { target: ['./src/constructs', './src/validation'], from: ['./src/engine', './src/load', './src/cli', ...FACADES], message: 'Constructs and validation never import the engine, the loader or the CLI.' },
      { target: './src/load', from: ['./src/engine', './src/cli', ...FACADES, './src/constructs', './src/validation'], message: 'The loader produces the model and imports nothing above it.' },
      { target: FACADES, from: './src/cli', message: 'The façades sit below the CLI.' },
    ],
  }],
});

// What users can import: the public API, the documented jest kit and snapshot serializer, and what jsii tooling
// reads. Everything else in lib/ is internal (bin/ and the runtimes load their files by path, not through this map).
const entry = (file: string) => ({ types: `./lib/${file}.d.ts`, default: `./lib/${file}.js` });
project.package.addField('exports', {
  '.': entry('index'),
  './lib/testing/jest': entry('testing/jest'),
  './lib/testing/jest.js': entry('testing/jest'),
  './lib/testing/snapshot': entry('testing/snapshot'),
  './lib/testing/snapshot.js': entry('testing/snapshot'),
  './package.json': './package.json',
  './.jsii': './.jsii',
});

// The CLI, shipped as `lambda-twin`.
project.addBins({ 'lambda-twin': 'bin/lambda-twin' });

// Only JS is packaged on these machines: the other jsii targets stay configured but are packaged elsewhere.
project.tasks.tryFind('package')!.reset();
project.tasks.tryFind('package')!.spawn(project.tasks.tryFind('package:js')!);

// Slow preparations some tests need (the real aws-lambda-ric's native build, …) run once, outside any test's timeout,
// cached in test/.cache/<name>-<version>/; a failed one fails only the tests that need it, with the fix.
const testSetup = project.addTask('test:setup', {
  description: 'Prepare, once, what some tests need and takes long to build (cached in test/.cache/)',
  steps: [{ exec: 'node scripts/test-setup.js', receiveArgs: true }],
});

// The tests use the compiled CLI and the packed tarball, so they compile first (after the preparations).
const testTask = project.tasks.tryFind('test')!;
testTask.prependSpawn(project.compileTask);
testTask.prependSpawn(testSetup);

// The demo: synthesize examples/ (CloudFormation and SAM) and invoke every function locally.
project.addTask('demo', {
  description: 'Synthesize the example app and invoke its functions on the local twin',
  // Compiles only when src/ (or the project definition) changed since lib/ was built.
  steps: [{ exec: 'node scripts/compile-if-stale.js' }, { exec: 'node examples/demo.js' }],
});

project.addTask('bench', {
  description: 'Run the benchmarks in bench/ (prints tables, writes bench/results/*.json)',
  steps: [{ spawn: 'compile' }, { exec: 'node bench/run-all.js', receiveArgs: true }],
});

// The lifecycle under load: both cores saturated, the fault-matrix and lifecycle suites N times in a row.
project.addTask('test:stress', {
  description: 'Run the fault-matrix and lifecycle suites N times (default 20, --runs N) with both cores saturated',
  steps: [{ exec: 'bash scripts/stress.sh', receiveArgs: true }],
});

project.synth();
