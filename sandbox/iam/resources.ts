import type { ServiceDefinition, ResourceScope } from '../service';

/**
 * What an API call asks IAM for, as its service states it (`ServiceDefinition.access`):
 * actions without resource-level permissions, and services that state nothing, are judged on `*`.
 */

export function actionFor(service: ServiceDefinition, operation: string): string {
  return service.access?.actionOf?.[operation] ?? `${service.actionPrefix}:${operation}`;
}

export function resourcesFor(
  service: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
  scope: ResourceScope,
): string[] {
  return service.access?.resources(operation, input, scope) ?? ['*'];
}

export function dependentActions(
  service: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
): string[] {
  return service.access?.dependentActions?.(operation, input) ?? [];
}

export function requestContext(
  service: ServiceDefinition,
  operation: string,
  input: Record<string, unknown>,
): Record<string, string | string[]> {
  return service.access?.requestContext?.(operation, input) ?? {};
}
