/** The lab's facts, as its text gives them. */
export const LAB = {
  logGroup: '/lab/app/web',
  retentionDays: 7,
  dashboardName: 'App-Logs',
} as const;
