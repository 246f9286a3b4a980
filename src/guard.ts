// clonecheck/guard: checks the values a program really sends, as it sends them. install() patches
// Node's sends (Workers, MessagePorts, BroadcastChannels, IPC); the helpers check without patching.
// The modules behind it (src/guard/): options (the policy), sends (what each API sends, on which
// channel), fast-path (a proof that a plain message is fine), judge (check() and the verdict),
// report (warnings), site (where the user sent from), patches and install, helpers.
export { install, isInstalled, uninstall } from './guard/install.js';
export { fork, postMessage, send, Worker, type IpcTarget, type PostTarget } from './guard/helpers.js';
export type { GuardMode, GuardOptions, GuardWarning } from './guard/options.js';
export { GuardEnvError, guardOptionsFromConfig, guardOptionsFromEnv, registerOptions } from './guard/env.js';
