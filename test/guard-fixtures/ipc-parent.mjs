// Run as `CLONECHECK_GUARD=warn node --import clonecheck/register ipc-parent.mjs`.
// Sends a class instance 50 times to a json child and to an advanced child, then the same once
// more after uninstall(), and asks each child to process.send() a Map. Prints one JSON line;
// the guard's warnings go to stderr.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { uninstall } from 'clonecheck/guard';

class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
  norm() {
    return Math.hypot(this.x, this.y);
  }
}

async function child(serialization) {
  const c = fork(new URL('./echo-child.mjs', import.meta.url), [], {
    serialization,
    // The children inherit --import clonecheck/register; they run it in throw mode.
    env: { ...process.env, CLONECHECK_GUARD: 'throw' },
  });
  await once(c, 'message'); // 'ready'
  return c;
}

async function exchange(c, count, sendOne) {
  const got = [];
  const done = new Promise((resolve) => {
    c.on('message', function listen(m) {
      got.push(m);
      if (got.length === count) {
        c.off('message', listen);
        resolve(got);
      }
    });
  });
  for (let i = 0; i < count; i++) sendOne();
  return done;
}

const out = {};
for (const serialization of ['json', 'advanced']) {
  const c = await child(serialization);
  const guarded = await exchange(c, 50, () => c.send(new Point(3, 4))); // SITE:point
  const [probe] = await exchange(c, 1, () => c.send('probe'));
  out[serialization] = { guarded: guarded.map((m) => JSON.stringify(m)), probe };
  out[serialization].probeMap = probe.map instanceof Map ? [...probe.map] : probe.map;
  c.send('bye');
  await once(c, 'exit');
}

uninstall();
for (const serialization of ['json', 'advanced']) {
  const c = await child(serialization);
  const [unguarded] = await exchange(c, 1, () => c.send(new Point(3, 4)));
  out[serialization].unguarded = JSON.stringify(unguarded);
  c.send('bye');
  await once(c, 'exit');
}
console.log(JSON.stringify(out));
