/**
 * A deliberately naive transliteration of RLScheduler's HPCSimPickJobs heuristic path
 * (`schedule_curr_sequence_reset`, `skip_for_resources`, `moveforward_for_resources_backfill`,
 * `moveforward_for_job`): plain JS arrays, `Array.prototype.sort` (stable, like Python's) on
 * every use, `splice` removals. No incremental sorting, no typed arrays: an independent check of
 * src/rlsched/sim.ts + lists.ts on random traces.
 */
export interface RefJob {
  submit: number;
  run: number;
  req: number;
  procs: number;
}

type Key = (j: number) => number | [number, number];

function cmp(a: number | [number, number], b: number | [number, number]): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const [a1, a2] = a as [number, number];
  const [b1, b2] = b as [number, number];
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  return a2 < b2 ? -1 : a2 > b2 ? 1 : 0;
}

function sortBy(list: number[], key: Key): void {
  const sorted = list
    .map((j, i) => ({ j, i }))
    .sort((x, y) => cmp(key(x.j), key(y.j)) || x.i - y.i)
    .map((x) => x.j);
  for (let i = 0; i < list.length; i++) list[i] = sorted[i];
}

/** Start time per job of `jobs` scheduled on `nodes` nodes (1 proc each) by priority key `key`. */
export function referenceSchedule(jobs: RefJob[], nodes: number, key: Key, backfill: boolean): number[] {
  const L = jobs.length;
  const start = new Array<number>(L).fill(-1);
  let t = jobs[0].submit;
  let free = nodes;
  const queue = [0];
  const running: number[] = [];
  let next = 1;
  const actualEnd = (j: number): number => start[j] + jobs[j].run;
  const estEnd = (j: number): number => start[j] + jobs[j].req;
  const fits = (j: number): boolean => jobs[j].procs <= free;
  const begin = (j: number): void => {
    start[j] = t;
    free -= jobs[j].procs;
    running.push(j);
  };
  const stepEvent = (): void => {
    sortBy(running, actualEnd);
    const e = actualEnd(running[0]);
    if (next < L && jobs[next].submit <= e) {
      t = Math.max(t, jobs[next].submit);
      queue.push(next++);
    } else {
      t = Math.max(t, e);
      free += jobs[running[0]].procs;
      running.splice(0, 1);
    }
  };
  for (;;) {
    sortBy(queue, key);
    const h = queue[0];
    if (!fits(h)) {
      if (backfill) {
        sortBy(running, estEnd);
        let fp = free;
        let shadow = t;
        for (const r of running) {
          fp += jobs[r].procs;
          shadow = estEnd(r);
          if (fp >= jobs[h].procs) break;
        }
        while (!fits(h)) {
          sortBy(queue, (j) => jobs[j].submit);
          for (const j of [...queue]) {
            if (t + jobs[j].req < shadow && fits(j)) {
              begin(j);
              queue.splice(queue.indexOf(j), 1);
            }
          }
          stepEvent();
        }
      } else {
        while (!fits(h)) stepEvent();
      }
    }
    begin(h);
    queue.splice(queue.indexOf(h), 1);
    if (queue.length > 0) continue;
    if (next >= L) break;
    while (queue.length === 0) {
      if (running.length === 0) {
        t = Math.max(t, jobs[next].submit);
        queue.push(next++);
        break;
      }
      sortBy(running, actualEnd);
      const e = actualEnd(running[0]);
      if (jobs[next].submit <= e) {
        t = Math.max(t, jobs[next].submit);
        queue.push(next++);
      } else {
        t = Math.max(t, e);
        free += jobs[running[0]].procs;
        running.splice(0, 1);
      }
    }
  }
  return start;
}
