// An independent EventSource client (npm `eventsource`, the WHATWG EventSource for Node) for StreamIT:
// prints one JSON line per event received on the stream at argv[2]: {"type","id","data"}, or {"error"}.
import { EventSource } from 'eventsource';

const source = new EventSource(process.argv[2]);
const print = (event) => process.stdout.write(JSON.stringify({ type: event.type, id: event.lastEventId, data: event.data }) + '\n');
for (const type of ['data', 'patch', 'message']) {
  source.addEventListener(type, print);
}
source.addEventListener('open', () => process.stdout.write(JSON.stringify({ type: 'open' }) + '\n'));
source.onerror = (error) => process.stdout.write(JSON.stringify({ type: 'error', data: String(error.message ?? error) }) + '\n');
process.on('SIGTERM', () => { source.close(); process.exit(0); });
