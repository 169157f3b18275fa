// ioredis against ringcache: commands, pipeline, transaction, errors,
// RESP3-free defaults. Prints one JSON line with what it observed; the
// Python test asserts on it. Usage: node ioredis_smoke.js PORT
const Redis = require('ioredis');

(async () => {
  const r = new Redis({ port: Number(process.argv[2]), maxRetriesPerRequest: 1 });
  const out = {};
  out.set = await r.set('io:a', '1');
  out.get = await r.get('io:a');
  out.incr = await r.incr('io:a');
  out.pipeline = await r.pipeline().set('io:b', 'x').get('io:b').exec();
  out.multi = await r.multi().set('io:c', '1').incr('io:c').exec();
  try {
    await r.call('nosuch', 'x');
  } catch (e) {
    out.unknown = e.message;
  }
  try {
    await r.incr('io:b');
  } catch (e) {
    out.notint = e.message;
  }
  out.mget = await r.mget('io:a', 'io:b', 'io:none');
  out.ttl = await r.set('io:t', 'v', 'EX', 100).then(() => r.ttl('io:t'));
  out.scan = (await r.scan('0', 'MATCH', 'io:*', 'COUNT', 100))[1].sort();
  console.log(JSON.stringify(out));
  r.disconnect();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
