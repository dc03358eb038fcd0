// Reads `count` records of a Seismo topic from the beginning and prints each decoded value as one JSON line.
// Usage: node read.js <bootstrap> <topic> <avsc dir> <record name, e.g. Change> <count>
// Values are Avro single-object encoded: C3 01, the CRC-64-AVRO fingerprint (little-endian) of the writer
// schema's Parsing Canonical Form, then the Avro binary body. The fingerprint is checked, not trusted.
const fs = require('fs');
const path = require('path');
const avro = require('avsc');
const { Kafka, logLevel } = require('kafkajs');

const [bootstrap, topic, avscDir, recordName, countText] = process.argv.slice(2);
const count = Number(countText);

const registry = {};
avro.Type.forSchema(JSON.parse(fs.readFileSync(path.join(avscDir, 'common.avsc'), 'utf8')), { registry });
if (recordName !== 'Change') {
  avro.Type.forSchema(JSON.parse(fs.readFileSync(path.join(avscDir, 'Change.avsc'), 'utf8')), { registry });
}
const type = recordName === 'Change' || !registry['io.seismo.schemas.' + recordName]
  ? avro.Type.forSchema(JSON.parse(fs.readFileSync(path.join(avscDir, recordName + '.avsc'), 'utf8')), { registry })
  : registry['io.seismo.schemas.' + recordName];

const EMPTY = 0xc15d213aa4d7a795n;
const MASK = (1n << 64n) - 1n;
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n));
  return fp & MASK;
});
function crc64avro(text) {
  let fp = EMPTY;
  for (const b of Buffer.from(text, 'utf8')) fp = ((fp >> 8n) ^ TABLE[Number((fp ^ BigInt(b)) & 0xffn)]) & MASK;
  return fp;
}
const expected = crc64avro(JSON.stringify(type.schema())); // avsc gives the Parsing Canonical Form as an object

(async () => {
  const kafka = new Kafka({ clientId: 'seismo-node-reader', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: 'seismo-node-reader-' + process.pid, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out after ' + seen + ' records')), 90000);
    consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value;
        if (value[0] !== 0xc3 || value[1] !== 0x01) throw new Error('not single-object encoded');
        const fingerprint = value.readBigUInt64LE(2);
        if (fingerprint !== expected) throw new Error('fingerprint ' + fingerprint.toString(16) + ' != ' + expected.toString(16));
        const record = type.fromBuffer(value.subarray(10));
        console.log(JSON.stringify({ key: message.key.toString(), value: record },
          (k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
        if (++seen >= count) { clearTimeout(timer); resolve(); }
      },
    });
  });
  try { await done; } finally { await consumer.disconnect(); }
})().catch((e) => { console.error(String(e && e.stack || e)); process.exit(1); });
