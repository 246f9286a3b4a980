import cluster from 'node:cluster';

process.on('message', (message) => {
  let reply;
  try {
    cluster.worker.send({ count: 10n }); // SITE:clusterWorker
    reply = { sent: true };
  } catch (e) {
    reply = { name: e.name, code: e.code, channel: e.channel, at: e.at, firstLine: e.message.split('\n')[0], got: message };
  }
  process.send(reply);
});
process.send('ready');
