import { flag, positiveNumber, type Env } from '../../../helpers/settings';

/** This lab's own settings (`.env.example` documents them), beside the framework's in `settings`. */
export interface GenaiMonitoringSettings {
  /** How many logged invocations the prompts step asks for (`LAB_MIN_INVOCATIONS`). */
  minInvocations: number;
  /** The model run mode sends the prompts to when the lab's own is refused (`LAB_FALLBACK_MODEL_ID`). */
  fallbackModelId: string;
  /** Widgets whose columns stay empty (the lab's field names) fail dashboard.displays-data (`LAB_STRICT`). */
  strict: boolean;
}

export function readGenaiMonitoringSettings(env: Env): GenaiMonitoringSettings {
  return {
    minInvocations: positiveNumber(env, 'LAB_MIN_INVOCATIONS', 5),
    fallbackModelId: env.LAB_FALLBACK_MODEL_ID?.trim() || 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    strict: flag(env, 'LAB_STRICT'),
  };
}
