import { textMember as str, textMembers as strs, type ResourceScope, type ServiceAccess } from '../service';

/** Dashboards and alarms have ARNs; CloudWatch's other actions are judged on `*`. */
export const cloudWatchAccess: ServiceAccess = {
  resources(_operation: string, input: Record<string, unknown>, { accountId, region }: ResourceScope) {
    const dashboards = [str(input.DashboardName), ...strs(input.DashboardNames)].filter(
      (d): d is string => d !== undefined,
    );
    if (dashboards.length) return dashboards.map((d) => `arn:aws:cloudwatch::${accountId}:dashboard/${d}`);
    const alarms = [str(input.AlarmName), ...strs(input.AlarmNames)].filter(
      (a): a is string => a !== undefined,
    );
    if (alarms.length) return alarms.map((a) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${a}`);
    return ['*'];
  },
};
