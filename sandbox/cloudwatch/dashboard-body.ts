import type { DashboardMessage } from './errors';

/**
 * Validation of a dashboard body, after AWS's JSON schema (its messages are ajv's:
 * "Should be object", "Should have required property 'x'", "Should be <= 23").
 * UNVERIFIED: AWS's exact schema and the dataPath of a missing property; we point it at the
 * property itself (`/widgets/0/properties/query`). The warnings are the sandbox's own choice
 * of things that save but show nothing.
 */
export interface BodyCheck {
  errors: DashboardMessage[];
  warnings: DashboardMessage[];
}

const WIDGET_TYPES = ['metric', 'text', 'log', 'alarm', 'explorer'];
const MAX_WIDGETS = 500;
const LOG_VIEWS = ['table', 'timeSeries', 'bar', 'pie'];
const METRIC_VIEWS = ['timeSeries', 'singleValue', 'gauge', 'bar', 'pie', 'table'];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkDashboardBody(body: string): BodyCheck {
  const check: BodyCheck = { errors: [], warnings: [] };
  const error = (dataPath: string, message: string) => check.errors.push({ dataPath, message });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    // UNVERIFIED: AWS's text for a body that is not JSON at all.
    error('', `Should be valid JSON: ${(e as Error).message}`);
    return check;
  }
  if (!isObject(parsed)) {
    error('', 'Should be object');
    return check;
  }
  if (!('widgets' in parsed)) {
    error('', "Should have required property 'widgets'");
    return check;
  }
  if (!Array.isArray(parsed.widgets)) {
    error('/widgets', 'Should be array');
    return check;
  }
  // "between 0 and 500 widget objects" (Dashboard Body Structure); UNVERIFIED: the text, written
  // as the other validation messages are.
  if (parsed.widgets.length > MAX_WIDGETS) {
    error('/widgets', `Should NOT have more than ${MAX_WIDGETS} items`);
    return check;
  }
  parsed.widgets.forEach((widget: unknown, i) => checkWidget(widget, `/widgets/${i}`, check));
  return check;
}

function checkWidget(widget: unknown, path: string, check: BodyCheck): void {
  const error = (dataPath: string, message: string) => check.errors.push({ dataPath, message });
  const warn = (dataPath: string, message: string) => check.warnings.push({ dataPath, message });
  if (!isObject(widget)) return void error(path, 'Should be object');

  if (!('type' in widget)) error(`${path}/type`, "Should have required property 'type'");
  else if (typeof widget.type !== 'string' || !WIDGET_TYPES.includes(widget.type))
    error(`${path}/type`, 'Should be equal to one of the allowed values');

  const x = integer(widget, 'x', path, 0, 23, check);
  integer(widget, 'y', path, 0, undefined, check);
  const width = integer(widget, 'width', path, 1, 24, check) ?? 6;
  integer(widget, 'height', path, 1, 1000, check);
  if (x !== undefined && x + width > 24)
    warn(`${path}/width`, `Widget at x=${x} with width ${width} goes past the 24 columns of the grid`);

  if (!('properties' in widget))
    return void error(`${path}/properties`, "Should have required property 'properties'");
  const props = widget.properties;
  if (!isObject(props)) return void error(`${path}/properties`, 'Should be object');
  const propsPath = `${path}/properties`;
  const requireString = (name: string) => {
    if (!(name in props)) error(`${propsPath}/${name}`, `Should have required property '${name}'`);
    else if (typeof props[name] !== 'string') error(`${propsPath}/${name}`, 'Should be string');
  };

  switch (widget.type) {
    case 'log':
      requireString('query');
      requireString('region');
      if ('view' in props && !LOG_VIEWS.includes(String(props.view)))
        error(`${propsPath}/view`, 'Should be equal to one of the allowed values');
      if (typeof props.query === 'string' && !/^\s*SOURCE\s/i.test(props.query))
        warn(`${propsPath}/query`, 'The query names no log group (SOURCE ...): the widget will show no data');
      break;
    case 'metric':
      checkMetrics(props, propsPath, check);
      requireString('region');
      if ('view' in props && !METRIC_VIEWS.includes(String(props.view)))
        error(`${propsPath}/view`, 'Should be equal to one of the allowed values');
      break;
    case 'text':
      requireString('markdown');
      break;
    case 'alarm':
      if (!Array.isArray(props.alarms))
        error(
          `${propsPath}/alarms`,
          'alarms' in props ? 'Should be array' : "Should have required property 'alarms'",
        );
      break;
  }
}

/** `metrics: [["AWS/Bedrock", "Invocations", "ModelId", "<id>", {options}], [{expression}]]`. */
function checkMetrics(props: Json, propsPath: string, check: BodyCheck): void {
  const error = (dataPath: string, message: string) => check.errors.push({ dataPath, message });
  if (!('metrics' in props)) {
    if (typeof props.expression !== 'string')
      error(`${propsPath}/metrics`, "Should have required property 'metrics'");
    return;
  }
  if (!Array.isArray(props.metrics)) return void error(`${propsPath}/metrics`, 'Should be array');
  props.metrics.forEach((metric: unknown, i) => {
    const path = `${propsPath}/metrics/${i}`;
    if (!Array.isArray(metric)) return void error(path, 'Should be array');
    const fields = isObject(metric[metric.length - 1]) ? metric.slice(0, -1) : metric;
    if (fields.some((f) => typeof f !== 'string'))
      error(path, 'Invalid metric field type, only "String" type is allowed');
    else if (metric.length === 0) error(path, 'Should NOT have fewer than 1 items');
  });
}

function integer(
  widget: Json,
  name: string,
  path: string,
  min: number,
  max: number | undefined,
  check: BodyCheck,
): number | undefined {
  if (!(name in widget)) return undefined;
  const value = widget[name];
  const at = `${path}/${name}`;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    check.errors.push({ dataPath: at, message: 'Should be integer' });
    return undefined;
  }
  if (value < min) check.errors.push({ dataPath: at, message: `Should be >= ${min}` });
  else if (max !== undefined && value > max)
    check.errors.push({ dataPath: at, message: `Should be <= ${max}` });
  else return value;
  return undefined;
}
