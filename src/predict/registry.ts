import { UsageError } from '../util/errors';
import { HistoryPredictor, UserEstimatePredictor } from './history';
import type { DurationPredictor } from './predictor';

/** The duration predictors by name (`--policy-opt sjf-estimate.predictor=NAME`, `lepton predict --predictor`). */
export type PredictorName = 'history' | 'group' | 'gpus' | 'global' | 'user-estimate';

export interface PredictorEntry {
  readonly make: () => DurationPredictor;
  readonly description: string;
}

/**
 * Every predictor uses only submit-time features and finished jobs' run times; none is an
 * oracle. `history` is the default of the prediction-based policies.
 */
export const PREDICTORS: Record<PredictorName, PredictorEntry> = {
  history: {
    make: () => new HistoryPredictor('history', ['group+gpus', 'group', 'gpus', 'all']),
    description:
      'geometric mean of finished jobs with the same group and GPU count, falling back to group, GPU count, all',
  },
  group: {
    make: () => new HistoryPredictor('group', ['group', 'all']),
    description: 'geometric mean of finished jobs of the same group (VC / user), then all',
  },
  gpus: {
    make: () => new HistoryPredictor('gpus', ['gpus', 'all']),
    description: 'geometric mean of finished jobs with the same GPU count, then all',
  },
  global: {
    make: () => new HistoryPredictor('global', ['all']),
    description: 'geometric mean of all finished jobs (the no-feature baseline)',
  },
  'user-estimate': {
    make: () => new UserEstimatePredictor('user-estimate', PREDICTORS.history.make()),
    description: "the job's user estimate (SWF requested time) when the trace has one, else history",
  },
};

export const PREDICTOR_NAMES = Object.keys(PREDICTORS) as PredictorName[];

export function isPredictorName(name: string): name is PredictorName {
  return Object.prototype.hasOwnProperty.call(PREDICTORS, name);
}

/** A fresh predictor by name; UsageError listing the valid names for an unknown one. */
export function makePredictor(name: string): DurationPredictor {
  if (!isPredictorName(name))
    throw new UsageError(`unknown predictor ${JSON.stringify(name)}; valid predictors: ${PREDICTOR_NAMES.join(', ')}`);
  return PREDICTORS[name].make();
}
