// Built-ins replaced by recorders while a function runs: the tests that hold the checker to never calling
// the value's realm's methods (which a program may have patched) run it under them and expect no call.

/** A built-in to replace: the object that holds it and its key. */
export type Patch = readonly [holder: object, key: PropertyKey];

// Taken before any patch: the patches may include Object.defineProperty itself or Array.prototype's iterator and push.
const define = Object.defineProperty;
const descriptorOf = Object.getOwnPropertyDescriptor;

/**
 * Runs `run` with each of `methods` replaced by a function and each of `getters` by a getter, both of which
 * write `label(key)` to the end of `calls`, and puts every original back afterwards, also when `run` throws.
 * Index loops only, and no push: the recorders and the restoring must not call what they patch.
 */
export function withPatchedBuiltins<T>(
  calls: string[],
  patches: { readonly methods: readonly Patch[]; readonly getters?: readonly Patch[] },
  run: () => T,
  label: (key: PropertyKey) => string = String,
): T {
  const methods = patches.methods;
  const getters = patches.getters ?? [];
  const saved: [object, PropertyKey, PropertyDescriptor][] = [];
  for (let i = 0; i < methods.length; i++) saved[i] = [methods[i]![0], methods[i]![1], descriptorOf(methods[i]![0], methods[i]![1])!];
  for (let i = 0; i < getters.length; i++) saved[methods.length + i] = [getters[i]![0], getters[i]![1], descriptorOf(getters[i]![0], getters[i]![1])!];
  try {
    for (let i = 0; i < methods.length; i++) {
      const key = methods[i]![1];
      define(methods[i]![0], key, { configurable: true, writable: true, value: () => (calls[calls.length] = label(key)) });
    }
    for (let i = 0; i < getters.length; i++) {
      const key = getters[i]![1];
      define(getters[i]![0], key, { configurable: true, get: () => (calls[calls.length] = label(key)) });
    }
    return run();
  } finally {
    for (let i = 0; i < saved.length; i++) define(saved[i]![0], saved[i]![1], saved[i]![2]);
  }
}
