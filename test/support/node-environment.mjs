// Jest's node environment, with two changes to the worker process it runs in, both at its end.
// Jest's native-ESM mode keeps every test file's module graph in the worker (jestjs/jest#14605), and
// with that heap a worker whose event loop had emptied took longer to tear down than the 500 ms Jest
// allows before killing it and reporting "A worker process has failed to exit gracefully": the
// worker now ends the way process.exit() ends a process, without tearing its heap down first. A
// worker that something a test left open (a timer, a socket) keeps alive would get the same warning,
// which names nothing: the worker now says what holds it, and ends.
import NodeEnvironment from 'jest-environment-node';

/** jest-worker's message telling a worker to end (CHILD_MESSAGE_END). */
const JEST_WORKER_END = 2;
/** Well inside the 500 ms Jest waits before it kills a worker. */
const HELD_REPORT_AFTER_MS = 250;

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
    if (process.send) reportWhatHoldsTheWorkerAtItsEnd();
  }
}

function reportWhatHoldsTheWorkerAtItsEnd() {
  const onMessage = (message) => {
    if (!Array.isArray(message) || message[0] !== JEST_WORKER_END) return;
    process.off('message', onMessage); // a 'message' listener would itself keep the worker alive
    // Unreferenced: it fires only if something else still holds the event loop.
    setTimeout(() => {
      const held = process.getActiveResourcesInfo().join(', ');
      process.stderr.write(`Jest worker ${process.pid} was still held at its end by: ${held} (left open by a test); ending it\n`);
      process.exit();
    }, HELD_REPORT_AFTER_MS).unref();
  };
  process.on('message', onMessage);
}
