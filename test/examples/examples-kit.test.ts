// Runs examples/test/functions.test.ts, the example test file users copy, as part of the project's tests
// (jest only collects test files under src/ and test/). Its snapshots live in __snapshots__ beside this file.
import '../../examples/test/functions.test';
