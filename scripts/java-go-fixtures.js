// The preparations of scripts/test-setup.js for Java and Go: Maven builds of the seeds' Java example and the
// conformance handlers (aws-lambda-java-core/-events from Maven Central), AWS's Java runtime interface client as a
// provided bootstrap, and a Go `bootstrap` built with aws-lambda-go from the Go module proxy. Their downloads are
// cached inside the checkout (test/.cache/m2, test/.cache/go), never in the user's ~/.m2 or GOPATH.
'use strict';
const fs = require('fs');
const path = require('path');
const { run } = require('./run-command');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'test', '.cache');
const M2 = path.join(CACHE, 'm2');


/** `mvn package` of a project with the checkout's own local repository; returns its target folder. */
function mavenPackage(pom) {
  run('mvn', ['-B', '-q', `-Dmaven.repo.local=${M2}`, '-f', pom, 'package']);
  return path.join(path.dirname(pom), 'target');
}

/** The java17 bootstrap of a provided runtime that starts AWS's client from the package's ric/ folder. */
const RIC_BOOTSTRAP = `#!/bin/sh
# AWS's Java runtime interface client as a custom runtime (its README's command), with the flags lambda-twin's
# java17 runtime gives its own bootstrap, so the two are compared like for like.
exec java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData \\
  -Djava.net.preferIPv4Stack=true -Djava.io.tmpdir="\${TMPDIR:-/tmp}" \\
  -cp "$LAMBDA_TASK_ROOT/ric/*" com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$_HANDLER"
`;

const javaFixtures = {
  name: 'java-fixtures',
  version: '1',
  purpose: "the seeds' Java example and the conformance handlers built with Maven, and AWS's Java runtime client (test/java, test/engine/java)",
  tools: ['mvn', 'javac', 'jar'],
  install: 'apt-get update && apt-get install -y openjdk-17-jdk-headless maven',
  duration: 'downloads from Maven Central and compiles: about 1-2 minutes, once',
  ready: (dir) => ['hello/example/Hello.class', 'hello.jar', 'conformance/conformance/Handlers.class', 'conformance-ric/bootstrap']
    .every((f) => fs.existsSync(path.join(dir, f))),
  prepare(dir) {
    const hello = mavenPackage(path.join(ROOT, 'examples', 'functions', 'hello-java', 'pom.xml'));
    fs.cpSync(path.join(hello, 'lambda'), path.join(dir, 'hello'), { recursive: true });
    // The same package as one jar (a jar is a zip: Lambda extracts it, so lib/*.jar inside it load too).
    run('jar', ['--create', '--file', path.join(dir, 'hello.jar'), '-C', path.join(dir, 'hello'), '.']);
    const conformance = mavenPackage(path.join(ROOT, 'test', 'fixtures', 'java', 'conformance', 'pom.xml'));
    fs.cpSync(path.join(conformance, 'lambda'), path.join(dir, 'conformance'), { recursive: true });
    const ric = mavenPackage(path.join(ROOT, 'test', 'fixtures', 'java', 'ric', 'pom.xml'));
    fs.cpSync(path.join(conformance, 'lambda'), path.join(dir, 'conformance-ric'), { recursive: true });
    fs.cpSync(path.join(ric, 'ric'), path.join(dir, 'conformance-ric', 'ric'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'conformance-ric', 'bootstrap'), RIC_BOOTSTRAP, { mode: 0o755 });
  },
};

const goHandlers = {
  name: 'go-handlers',
  version: '1',
  purpose: 'a Go bootstrap built with aws-lambda-go, zipped as Lambda expects (test/go)',
  tools: ['go', 'zip'],
  install: 'apt-get update && apt-get install -y golang zip',
  duration: 'downloads aws-lambda-go and compiles: about 1-3 minutes, once',
  ready: (dir) => fs.existsSync(path.join(dir, 'function.zip')),
  prepare(dir) {
    const env = {
      ...process.env,
      GOMODCACHE: path.join(CACHE, 'go', 'mod'),
      GOCACHE: path.join(CACHE, 'go', 'build'),
      GOFLAGS: '-modcacherw',
      CGO_ENABLED: '0',
      GOOS: 'linux',
    };
    run('go', ['build', '-tags', 'lambda.norpc', '-o', path.join(dir, 'bootstrap'), '.'], { cwd: path.join(ROOT, 'test', 'fixtures', 'go', 'handlers'), env });
    run('zip', ['-j', '-q', path.join(dir, 'function.zip'), path.join(dir, 'bootstrap')]);
    fs.rmSync(path.join(dir, 'bootstrap'));
  },
};

module.exports = { javaFixtures, goHandlers, mavenPackage, M2 };
