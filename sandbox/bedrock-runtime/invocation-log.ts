/**
 * The record Bedrock writes into CloudWatch Logs for each invocation. A pure function of the
 * invocation's facts, so the grader's tests can build the exact records AWS would write.
 */

/**
 * One record, its keys in the order records logged in 2026 have them (docs/aws-behaviours.md,
 * "Invocation log records": earlier records began with schemaType, and had identity after
 * region). There is no latency field.
 */
export interface InvocationLogRecord {
  timestamp: string;
  accountId: string;
  region: string;
  requestId: string;
  operation: 'InvokeModel' | 'Converse';
  modelId: string;
  input: { inputContentType: string; inputBodyJson?: unknown; inputTokenCount: number };
  output: { outputContentType: string; outputBodyJson?: unknown; outputTokenCount: number };
  identity: { arn: string };
  /** Only for a call through a cross-Region inference profile: the Region that served it. */
  inferenceRegion?: string;
  schemaType: 'ModelInvocationLog';
  schemaVersion: '1.0';
}

export interface InvocationFacts {
  time: Date;
  accountId: string;
  callerArn: string;
  region: string;
  requestId: string;
  operation: InvocationLogRecord['operation'];
  /** As logged: InvokeModel names a profile by its full ARN, Converse by the id as given. */
  modelId: string;
  /** The Region that served a call through an inference profile. */
  inferenceRegion?: string;
  inputContentType: string;
  inputBody: unknown;
  inputTokenCount: number;
  outputContentType: string;
  outputBody: unknown;
  outputTokenCount: number;
  /** `textDataDeliveryEnabled`: without it the bodies are left out. */
  textData: boolean;
}

/** `2026-11-27T07:15:02Z`: the record's time has second precision. */
function recordTimestamp(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function buildInvocationRecord(f: InvocationFacts): InvocationLogRecord {
  return {
    timestamp: recordTimestamp(f.time),
    accountId: f.accountId,
    region: f.region,
    requestId: f.requestId,
    operation: f.operation,
    modelId: f.modelId,
    input: {
      inputContentType: f.inputContentType,
      ...(f.textData ? { inputBodyJson: f.inputBody } : {}),
      inputTokenCount: f.inputTokenCount,
    },
    output: {
      outputContentType: f.outputContentType,
      ...(f.textData ? { outputBodyJson: f.outputBody } : {}),
      outputTokenCount: f.outputTokenCount,
    },
    identity: { arn: f.callerArn },
    ...(f.inferenceRegion !== undefined && { inferenceRegion: f.inferenceRegion }),
    schemaType: 'ModelInvocationLog',
    schemaVersion: '1.0',
  };
}

/** The log event carrying a record: its timestamp is the record's second. */
export function invocationLogEvent(record: InvocationLogRecord): { timestamp: number; message: string } {
  return { timestamp: Date.parse(record.timestamp), message: JSON.stringify(record) };
}
