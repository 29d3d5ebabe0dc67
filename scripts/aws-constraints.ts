import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as prettier from 'prettier';
import {
  compilePattern,
  type ConstraintShape,
  type ConstraintTable,
} from '../sandbox/protocols/input-constraints';
import { SERVICES } from '../sandbox/services';

/**
 * `npx tsx scripts/aws-constraints.ts [--botocore <dir>]` writes sandbox/protocols/constraints.json:
 * for every operation the sandbox implements (each service's `operations` table), the input
 * members' constraints as AWS's own service model states them (`required`, string and list
 * lengths, numeric ranges, patterns, enums), recursively, keeping only what validation needs.
 * sandbox/protocols/input-constraints.ts checks every request against it.
 *
 * The models are botocore's `data/<service>/<version>/service-2.json(.gz)`: AWS's JSON service
 * models, the same files the AWS CLI and boto3 run on, in the format the AWS SDK for JavaScript v2
 * used. That SDK's npm package (`aws-sdk`, last version 2.1693.0) is no source: it ships only
 * `apis/*.min.json`, which keep `required` but strip min, max, pattern and enum. The SDK v3
 * clients' schemas carry types only. botocore is found with `--botocore <dir>` (the package or
 * its `data` folder), else as the `python3` on the PATH imports it (`pip install botocore`).
 * Debian's python3-botocore (1.29) predates Bedrock.
 *
 * Regenerate after adding an operation to a service; commit the JSON (the script is not run by
 * CI or tests).
 */

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'sandbox/protocols/constraints.json');

/** The sandbox's service names, as botocore names their models. */
const MODELS: Record<string, string> = {
  logs: 'logs/2014-03-28',
  monitoring: 'cloudwatch/2010-08-01',
  bedrock: 'bedrock/2023-04-20',
  'bedrock-runtime': 'bedrock-runtime/2023-09-30',
  iam: 'iam/2010-05-08',
  sts: 'sts/2011-06-15',
};

interface ModelShape {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  required?: string[];
  members?: Record<string, { shape: string; location?: string; locationName?: string }>;
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  sensitive?: boolean;
  document?: boolean;
}

interface Model {
  metadata: { apiVersion: string; protocol: string; uid?: string };
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, ModelShape>;
}

function botocore(): { dataDir: string; version: string } {
  const flag = process.argv.indexOf('--botocore');
  let dir = flag >= 0 ? process.argv[flag + 1] : undefined;
  if (!dir) {
    const found = spawnSync(
      'python3',
      ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'],
      { encoding: 'utf8' },
    );
    dir = found.status === 0 ? found.stdout.trim() : undefined;
  }
  if (!dir) {
    throw new Error(
      'botocore not found: pass --botocore <dir>, or make `python3 -c "import botocore"` work (pip install botocore).',
    );
  }
  const dataDir = existsSync(join(dir, 'data')) ? join(dir, 'data') : dir;
  const init = join(dataDir, '..', '__init__.py');
  const version = existsSync(init)
    ? (/__version__ = ['"]([^'"]+)['"]/.exec(readFileSync(init, 'utf8'))?.[1] ?? 'unknown')
    : 'unknown';
  return { dataDir, version };
}

function readModel(dataDir: string, name: string): { model: Model; sha256: string } {
  const base = join(dataDir, name, 'service-2.json');
  if (!existsSync(base) && !existsSync(`${base}.gz`)) {
    throw new Error(
      `no ${base}(.gz): is ${dataDir} botocore's data folder, and does its botocore know ${name}?`,
    );
  }
  const raw = existsSync(base) ? readFileSync(base) : gunzipSync(readFileSync(`${base}.gz`));
  return {
    model: JSON.parse(raw.toString('utf8')) as Model,
    sha256: createHash('sha256').update(raw).digest('hex'),
  };
}

/** The shapes an operation's input reaches that validation needs, pruned of everything else. */
class Extractor {
  readonly shapes: Record<string, ConstraintShape> = {};
  readonly warnings: string[] = [];
  private readonly needed = new Map<string, boolean>();

  constructor(
    private readonly service: string,
    private readonly model: Model,
  ) {}

  /** Whether a shape carries a constraint, itself or somewhere below it. */
  private needs(name: string, visiting = new Set<string>()): boolean {
    const known = this.needed.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return false; // a recursive shape: its other paths decide
    visiting.add(name);
    const s = this.model.shapes[name]!;
    const own = s.min !== undefined || s.max !== undefined || s.pattern !== undefined || !!s.enum;
    let result: boolean;
    if (s.document) result = false;
    else if (s.type === 'structure')
      result =
        !!s.required?.length || Object.values(s.members ?? {}).some((m) => this.needs(m.shape, visiting));
    else if (s.type === 'list') result = own || this.needs(s.member!.shape, visiting);
    else if (s.type === 'map')
      result = own || this.needs(s.key!.shape, visiting) || this.needs(s.value!.shape, visiting);
    else result = own;
    visiting.delete(name);
    this.needed.set(name, result);
    return result;
  }

  /** Adds a shape (and what it reaches) to the table; its name, or undefined when nothing is checked. */
  add(name: string): string | undefined {
    if (!this.needs(name)) return undefined;
    if (this.shapes[name]) return name;
    const s = this.model.shapes[name]!;
    const out: ConstraintShape = { type: s.type as ConstraintShape['type'] };
    this.shapes[name] = out; // before recursing: recursive shapes refer to themselves
    if (s.sensitive) out.sensitive = true;
    if (s.min !== undefined) out.min = s.min;
    if (s.max !== undefined) out.max = s.max;
    if (s.enum) out.enum = s.enum;
    if (s.pattern !== undefined) {
      out.pattern = s.pattern;
      try {
        compilePattern(s.pattern);
      } catch (error) {
        this.warnings.push(
          `${this.service} ${name}: pattern ${s.pattern} does not compile in RE2 and is not checked (${String(error)})`,
        );
      }
      if (/\[[^\]]*&&/.test(s.pattern)) {
        this.warnings.push(`${this.service} ${name}: pattern ${s.pattern} uses Java class intersection`);
      }
    }
    if (s.type === 'structure') {
      if (s.required?.length) out.required = s.required;
      // In the model's order, which is the order of the problems; a required member whose own
      // shape has no constraint is listed as null.
      const members: Record<string, string | null> = {};
      for (const [member, ref] of Object.entries(s.members ?? {})) {
        if (ref.locationName && ref.locationName !== member && !ref.location) {
          this.warnings.push(`${this.service} ${name}.${member} travels as ${ref.locationName}`);
        }
        const target = this.add(ref.shape);
        if (target || s.required?.includes(member)) members[member] = target ?? null;
      }
      if (Object.keys(members).length) out.members = members;
    } else if (s.type === 'list') {
      const member = this.add(s.member!.shape);
      if (member) out.member = member;
    } else if (s.type === 'map') {
      const key = this.add(s.key!.shape);
      const value = this.add(s.value!.shape);
      if (key) out.key = key;
      if (value) out.value = value;
    }
    return name;
  }
}

async function main(): Promise<void> {
  const { dataDir, version } = botocore();
  const generated = new Date().toISOString().slice(0, 10);
  const table: ConstraintTable = {
    about:
      "Generated by scripts/aws-constraints.ts from AWS's service models as botocore ships them; do not edit, regenerate. " +
      'Each operation the sandbox implements names its input shape; shapes keep only what input validation needs.',
    source: { package: 'botocore', version, generated },
    services: {},
  };
  const warnings: string[] = [];
  for (const service of SERVICES) {
    const modelName = MODELS[service.name];
    if (!modelName) throw new Error(`no model is known for the sandbox's service ${service.name}`);
    const { model, sha256 } = readModel(dataDir, modelName);
    const extractor = new Extractor(service.name, model);
    const operations: Record<string, string> = {};
    for (const operation of Object.keys(service.operations)) {
      const op = model.operations[operation];
      if (!op) throw new Error(`${modelName} has no operation ${operation}`);
      const input = op.input && extractor.add(op.input.shape);
      if (input) operations[operation] = input;
    }
    table.services[service.name] = {
      model: `${modelName.replace('/', ' ')} (${model.metadata.protocol}), service-2.json sha256 ${sha256}`,
      operations,
      shapes: extractor.shapes,
    };
    warnings.push(...extractor.warnings);
  }
  const text = await prettier.format(JSON.stringify(table), {
    ...((await prettier.resolveConfig(OUT)) ?? {}),
    filepath: OUT,
  });
  writeFileSync(OUT, text);
  for (const w of warnings) console.warn(`warning: ${w}`);
  const operations = Object.values(table.services).reduce((n, s) => n + Object.keys(s.operations).length, 0);
  console.log(
    `wrote ${OUT}: ${operations} operations of ${SERVICES.length} services, botocore ${version}, ${text.length} bytes`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
