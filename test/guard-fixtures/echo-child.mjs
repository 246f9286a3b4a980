// A forked child: echoes what it gets with the facts the test needs, and on 'probe' tries
// process.send() with a Map, which JSON turns into {} and the advanced serializer keeps.
process.on('message', (message) => {
  if (message === 'probe') {
    try {
      process.send({ map: new Map([[1, 2]]) }); // SITE:probe
    } catch (e) {
      process.send({ probe: 'threw', name: e.name, code: e.code, channel: e.channel, firstLine: e.message.split('\n')[0] });
    }
    return;
  }
  if (message === 'bye') {
    process.disconnect();
    return;
  }
  const proto = Object.getPrototypeOf(message);
  process.send({ echo: message, plainObject: proto === Object.prototype, isMap: message instanceof Map });
});
process.send('ready');
