// Jest's node environment, with one change to the worker process it runs in: the worker ends the
// way process.exit() ends a process, without tearing its heap down first. Jest's native-ESM mode
// keeps every test file's module graph in the worker (jestjs/jest#14605), and with that heap a
// worker whose event loop had emptied took longer to tear down than the 500 ms Jest allows before
// killing it and reporting "A worker process has failed to exit gracefully".
import NodeEnvironment from 'jest-environment-node';

let exitHooked = false;

export default class GatewayTestEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    if (exitHooked) return;
    exitHooked = true;
    // 'beforeExit' comes only once the worker has nothing left to do (Jest told it to end); the
    // 'exit' listener added then runs after every other one, and process.exit() inside an 'exit'
    // listener skips straight to the end of the process. Called without a code, it keeps the one
    // the listeners before it set (Jest sets a failed run's there when it runs in band).
    process.once('beforeExit', () => process.once('exit', () => process.exit()));
  }
}
