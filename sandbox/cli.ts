import { parseArgs } from 'node:util';
import { startSandbox } from './server';

/** `npm run sandbox -- [--port 4566] [--host 127.0.0.1] [--latency none|realistic]` */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.LAB_SANDBOX_PORT ?? '4566' },
    host: { type: 'string', default: '127.0.0.1' },
    latency: { type: 'string', default: process.env.LAB_SANDBOX_LATENCY ?? 'none' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0-65535), not '${values.port}'.`);
  process.exit(2);
}

startSandbox({ port, host: values.host, latency: values.latency }).then(
  (sandbox) => {
    console.log(
      `Lab sandbox listening on ${sandbox.url} (latency: ${sandbox.world.latency.name}), ready ${Math.round(process.uptime() * 1000)} ms after the process started`,
    );
    console.log(
      `Use it with: AWS_ENDPOINT_URL=${sandbox.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1`,
    );
    const stop = () => void sandbox.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  (error: Error) => {
    console.error(`The lab sandbox could not start: ${error.message}`);
    process.exit(1);
  },
);
