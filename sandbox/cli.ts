import { config as loadDotenv } from 'dotenv';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { parseRoster, RosterError } from '../helpers/roster';
import { learnerCredentials, type LearnerAccount } from './auth/learners';
import { ADDRESS_IN_USE_STATUS } from './exit-status';
import { startSandbox } from './server';

const USAGE = `npm run sandbox -- [--port 4566] [--host 127.0.0.1] [--latency none|realistic] [--query-timeout 3600] [--state-dir .lab-sandbox] [--reset] [--admin-token TOKEN] [--learners roster.csv] [--insecure]
  --port             the port (LAB_SANDBOX_PORT); 0 picks a free one
  --host             the address to listen on; beyond loopback it needs --admin-token and --learners, or --insecure
  --latency          none (default, LAB_SANDBOX_LATENCY) or realistic (AWS on a quiet day)
  --query-timeout    seconds a Logs Insights query may run before it ends Timeout (default 3600, AWS's limit)
  --state-dir        where every change is journaled, so state survives a crash and a restart (default
                     .lab-sandbox, LAB_SANDBOX_STATE_DIR); empty: state lives in memory only
  --reset            discard the state kept in --state-dir and start empty
  --admin-token      every /_sandbox/* call but health then needs Authorization: Bearer TOKEN (LAB_SANDBOX_ADMIN_TOKEN)
  --learners         class mode: the grader's roster CSV; each learner account gets its own secret key and
                     console password ('test' then works only for the instructor's account 000000000000)
  --credentials-dir  where class mode writes one credentials file per learner, to hand out (default: sandbox-credentials)
  --public-url       the sandbox's address as learners reach it, written in their files (default: the one it listens on)
  --insecure         listen beyond loopback without an admin token and learners' own credentials
  --help             this text`;

function readOptions() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: process.env.LAB_SANDBOX_PORT ?? '4566' },
        host: { type: 'string', default: '127.0.0.1' },
        latency: { type: 'string', default: process.env.LAB_SANDBOX_LATENCY ?? 'none' },
        'query-timeout': { type: 'string', default: '3600' },
        'admin-token': { type: 'string', default: process.env.LAB_SANDBOX_ADMIN_TOKEN },
        'state-dir': { type: 'string', default: process.env.LAB_SANDBOX_STATE_DIR ?? '.lab-sandbox' },
        reset: { type: 'boolean', default: false },
        learners: { type: 'string' },
        'credentials-dir': { type: 'string', default: 'sandbox-credentials' },
        'public-url': { type: 'string' },
        insecure: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    // One line, naming the flag: `Unknown option '--bogus'`, `Option '--port <value>' argument missing`.
    console.error(`${(error as Error).message.split('.')[0]}. Run with --help for the options.`);
    return process.exit(2);
  }
}

// `.env` as the grader reads it (never over the environment): both find the same sandbox state.
loadDotenv({ quiet: true });
const values = readOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const adminToken = values['admin-token']?.trim() || undefined;
const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(values.host);
if (!loopback && !(adminToken && values.learners)) {
  if (!values.insecure) {
    console.error(
      `--host ${values.host} opens the sandbox beyond this machine: set --admin-token (or LAB_SANDBOX_ADMIN_TOKEN) so that only you can reset it, read its audit or inject faults, and --learners roster.csv so that each learner signs in as themselves alone; or pass --insecure to accept that anyone who reaches the port can do all of that.`,
    );
    process.exit(2);
  }
  console.warn(
    `Warning: --insecure: anyone who reaches ${values.host} can act as any account${adminToken ? '' : ', reset the sandbox, read its audit and inject faults'}.`,
  );
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0-65535), not '${values.port}'.`);
  process.exit(2);
}

const queryTimeout = Number(values['query-timeout']);
if (!Number.isInteger(queryTimeout) || queryTimeout < 1) {
  console.error(
    `--query-timeout must be a whole number of seconds (1 or more), not '${values['query-timeout']}'.`,
  );
  process.exit(2);
}

/** Class mode's learners, from the grader's roster; a bad roster is the roster's own message. */
function readLearners(file: string): LearnerAccount[] {
  try {
    return parseRoster(readFileSync(file, 'utf8'), file, (message) => console.warn(`Warning: ${message}`));
  } catch (error) {
    console.error(
      error instanceof RosterError ? error.message : `--learners ${file}: ${(error as Error).message}`,
    );
    return process.exit(2);
  }
}

const learners = values.learners === undefined ? undefined : readLearners(values.learners);
const endpoint = (url: string) => values['public-url'] ?? url;
// A grading run that starts its own sandbox says so (fixtures/global-setup.ts): health then tells
// other runs that this sandbox ends with that run.
const owner = process.env.LAB_SANDBOX_OWNER === 'run' ? 'run' : 'standalone';

startSandbox({
  port,
  host: values.host,
  latency: values.latency,
  adminToken,
  queryTimeoutMs: queryTimeout * 1000,
  stateDir: values['state-dir'] || undefined,
  reset: values.reset,
  owner,
  learners:
    learners &&
    learnerCredentials(learners, values['credentials-dir'], endpoint(`http://${values.host}:${port}`)),
}).then(
  (sandbox) => {
    if (learners) {
      console.log(
        `Class mode: ${learners.length} learners, each with their own secret key and console password, in ${values['credentials-dir']}/ (one file each, to hand out).`,
      );
    }
    console.log(
      `Lab sandbox listening on ${sandbox.url} (latency: ${sandbox.world.latency.name}; state: ${values['state-dir'] ? `kept in ${values['state-dir']}/` : 'in memory only'}), ready ${Math.round(process.uptime() * 1000)} ms after the process started`,
    );
    console.log(
      `Use it with: AWS_ENDPOINT_URL=${sandbox.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1`,
    );
    const stop = () => void sandbox.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // The run holds our stdin: when it ends, however it ends, its sandbox ends with it.
    if (owner === 'run') process.stdin.on('end', stop).resume();
  },
  (error: NodeJS.ErrnoException) => {
    const taken = error.code === 'EADDRINUSE';
    const reason = taken
      ? `${values.host}:${port} is already in use by another process: stop it, or choose another port with --port.`
      : error.message;
    console.error(`The lab sandbox could not start: ${reason}`);
    // A grading run that started this sandbox then looks at what took the address (fixtures/global-setup.ts).
    process.exit(taken ? ADDRESS_IN_USE_STATUS : 1);
  },
);
