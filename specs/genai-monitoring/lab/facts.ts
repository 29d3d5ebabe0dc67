/** The lab's facts, as its text gives them: the names it creates, its model, prompts and queries. */
export const LAB = {
  logGroup: '/aws/bedrock/model-invocations',
  logStream: 'aws/bedrock/modelinvocations',
  dashboardName: 'GenAI-Monitoring',
  modelId: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
  roleName: 'LabBedrockInvocationLogging',
  prompts: [
    'What is Amazon Bedrock?',
    'Explain RAG in simple terms.',
    'List 3 benefits of serverless computing.',
    'What is prompt engineering?',
    'How does vector search work?',
  ],
  step3Query:
    'fields @timestamp, modelId, inputTokenCount, outputTokenCount\n| sort @timestamp desc\n| limit 20',
  widgetQueries: {
    invocations: 'fields @timestamp\n| stats count() as invocations by bin(1h)',
    tokens:
      'fields @timestamp, inputTokenCount, outputTokenCount\n| stats sum(inputTokenCount) as totalInput, sum(outputTokenCount) as totalOutput by bin(1h)',
    latency:
      'fields @timestamp, @duration\n| stats avg(@duration) as avgLatency, max(@duration) as maxLatency by bin(1h)',
  },
} as const;
