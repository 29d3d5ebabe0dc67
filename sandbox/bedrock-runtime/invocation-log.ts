/**
 * The record Bedrock writes into CloudWatch Logs for each invocation. A pure function of the
 * invocation's facts, so the grader's tests can build the exact records AWS would write.
 */

/** One record, its keys in the order AWS writes them. There is no latency field. */
export interface InvocationLogRecord {
  timestamp: string;
  accountId: string;
  identity: { arn: string };
  region: string;
  requestId: string;
  operation: 'InvokeModel' | 'Converse';
  modelId: string;
  input: { inputContentType: string; inputBodyJson?: unknown; inputTokenCount: number };
  output: { outputContentType: string; outputBodyJson?: unknown; outputTokenCount: number };
  inferenceRegion: string;
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
  /** As logged: the id as given, or the inference profile's full ARN for a profile. */
  modelId: string;
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
    identity: { arn: f.callerArn },
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
    // The sandbox serves every call in the caller's Region, profiles included.
    inferenceRegion: f.region,
    schemaType: 'ModelInvocationLog',
    schemaVersion: '1.0',
  };
}

/** The log event carrying a record: its timestamp is the record's second. */
export function invocationLogEvent(record: InvocationLogRecord): { timestamp: number; message: string } {
  return { timestamp: Date.parse(record.timestamp), message: JSON.stringify(record) };
}
