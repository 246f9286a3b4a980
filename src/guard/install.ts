// install() / uninstall(): the guard on and off for this thread.
import { forgetCheckedSites } from './judge.js';
import { HELPER_POLICY, readPolicy, type GuardOptions } from './options.js';
import { patchAll, unpatchAll } from './patches.js';
import { forgetReported } from './report.js';
import { guardState } from './state.js';

/**
 * Turns the guard on for this thread: `new Worker` (its `workerData`), `Worker#postMessage`,
 * `MessagePort#postMessage` (`parentPort` too), `BroadcastChannel#postMessage`, the `send()` of
 * every child spawned from now on with an IPC channel (json or advanced, as it was spawned),
 * `process.send` in a forked child, and `cluster` workers' `send()`. What is delivered never
 * changes. Calling it again changes the options.
 *
 * @example
 * install({ mode: 'warn' })   // print each distinct problem once, send anyway
 * install({ sample: 0.01 })   // production: check one message in a hundred
 */
export function install(options: GuardOptions = {}): void {
  const policy = readPolicy(options);
  if (guardState.installed === undefined) patchAll();
  guardState.installed = policy;
  guardState.helper = { ...HELPER_POLICY, failOn: policy.failOn, ignore: policy.ignore, isIgnored: policy.isIgnored, target: policy.target };
}

/** Turns the guard off and puts Node's own methods back (`new Worker`, postMessage, send, ...). */
export function uninstall(): void {
  if (guardState.installed === undefined) return;
  guardState.installed = undefined;
  guardState.helper = undefined;
  unpatchAll();
  forgetReported();
  forgetCheckedSites();
}

/** True between `install()` and `uninstall()`. */
export function isInstalled(): boolean {
  return guardState.installed !== undefined;
}
