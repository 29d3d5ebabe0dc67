import type { LabDefinition } from '../helpers/lab-definition';
import { loadSettings, SettingsError, type LabSettings } from '../helpers/settings';
import { definition as genaiMonitoring } from './genai-monitoring/lab/definition';

/**
 * Every lab this grader grades, each in its own folder here. The framework reaches a lab only
 * through this list, so helpers/ imports no lab.
 */
export const LABS = [genaiMonitoring] as const satisfies readonly LabDefinition[];

/** The lab graded when LAB_ID is unset. */
export const DEFAULT_LAB: LabDefinition = genaiMonitoring;

/** A check id of any lab listed: a spec naming an id no rubric has does not compile. */
export type CheckId = (typeof LABS)[number]['rubric'][number]['id'];

/** The lab LAB_ID chooses; any other value is a bad setting, said in one line naming the labs. */
export function chosenLab(settings: Pick<LabSettings, 'labId'> = loadSettings()): LabDefinition {
  const id = settings.labId ?? DEFAULT_LAB.id;
  const lab = LABS.find((l) => l.id === id);
  if (!lab) {
    throw new SettingsError(
      `LAB_ID=${id} is not valid: expected one of ${LABS.map((l) => l.id).join(', ')}.`,
    );
  }
  return lab;
}
