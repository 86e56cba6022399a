import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeepRMEnv,
  JOB_ALLOCATED,
  JOB_DROPPED,
  JOB_IN_BACKLOG,
  JOB_NOT_ARRIVED,
  type EnvMode,
} from '../../src/deeprm/env';
import { emptySequences, generateSequences, type JobSequences } from '../../src/deeprm/generate';
import { sjfAction, packerAction, tetrisAction } from '../../src/deeprm/heuristics';
import { NumpyRandomState } from '../../src/deeprm/numpyRandom';
import { makeParams, type DeepRMParams } from '../../src/deeprm/params';
import { runEpisode } from '../../src/deeprm/replay';
import { SyncVecEnv } from '../../src/env/types';

/** Small world: 2 resources of capacity 4, T = 5, M = 2 slots, backlog 5 (width 1). */
function smallParams(over: Partial<DeepRMParams> = {}): DeepRMParams {
  return makeParams({
    numRes: 2,
    resSlot: 4,
    maxJobSize: 4,
    maxJobLen: 5,
    timeHorizon: 5,
    numNw: 2,
    backlogSize: 5,
    simuLen: 6,
    numEx: 1,
    episodeMaxLength: 100,
    end: 'all_done',
    maxTrackSinceNew: 3,
    ...over,
  });
}

/** One example; jobs[s] = [len, [res...]] or null. */
function seqOf(p: DeepRMParams, jobs: ([number, number[]] | null)[]): JobSequences {
  const seq = emptySequences(1, p.simuLen, p.numRes);
  jobs.forEach((j, s) => {
    if (!j) return;
    seq.len[s] = j[0];
    seq.id[s] = s;
    j[1].forEach((v, r) => (seq.res[s * p.numRes + r] = v));
  });
  return seq;
}

function env(p: DeepRMParams, seq: JobSequences, mode: EnvMode = 'compat', observation = true): DeepRMEnv {
  return new DeepRMEnv({ params: p, sequences: seq, mode, observation, rng: new NumpyRandomState(1) });
}

describe('hand-worked SJF episode (compat, all_done)', () => {
  // capacity [4,4], T=5, M=2; jobs: idx0 (never arrives), idx1 len2 [3,1], idx2 len1 [2,2],
  // idx3 len3 [1,4], idx4 none, idx5 len1 [4,4].
  const p = smallParams();
  const seq = seqOf(p, [[1, [1, 1]], [2, [3, 1]], [1, [2, 2]], [3, [1, 4]], null, [1, [4, 4]]]);
  test('every decision: action, time, reward', () => {
    const e = env(p, seq);
    e.reset(0);
    const expected: [number, number, number][] = [
      // [action SJF picks, t after the step, reward]
      [2, 1, -1 / 2], // void; t=1, job1 arrives in slot 0: hold -1/2
      [0, 1, 0], // job1 fits now: start 1, finish 3; avail rows 0-1 = [1,3]
      [2, 2, -1.5], // nothing; t=2, job2 -> slot 0; running job1 -1/2, job2 -1
      [2, 3, -1 - 1 / 3], // job2 [2,2] does not fit row [1,3]; t=3 job1 leaves; job3 -> slot 1
      [0, 3, 0], // job2 (len 1) beats job3 (len 3): start 3, finish 4; row 0 = [2,2]
      [2, 4, -1 / 3], // job3 needs 4 of res 1: no; t=4 job2 leaves; idx4 empty
      [1, 4, 0], // job3: start 4, finish 7; rows 0-2 = [3,0]
      [2, 5, -1 / 3 - 1], // t=5: job5 -> slot 0; running job3 -1/3
      [2, 6, -1 / 3 - 1], // job5 [4,4] does not fit [3,0]; t=6 = s: no more arrivals
      [2, 7, -1], // t=7 job3 leaves
      [0, 7, 0], // job5: start 7, finish 8
      [2, 8, 0], // t=8: all empty -> done
    ];
    expected.forEach(([a, t, rew], i) => {
      const act = sjfAction(e);
      assert.equal(act, a, `decision ${i}: action`);
      const r = e.step(act);
      assert.equal(e.t, t, `decision ${i}: time`);
      assert.ok(Math.abs(r.reward - rew) < 1e-12, `decision ${i}: reward ${r.reward} != ${rew}`);
      assert.equal(r.terminated, i === expected.length - 1, `decision ${i}: terminated`);
      assert.equal(r.truncated, false);
    });
    // job records: [enter, start, finish]
    assert.deepEqual([e.enter[1], e.start[1], e.finish[1]], [1, 1, 3]);
    assert.deepEqual([e.enter[2], e.start[2], e.finish[2]], [2, 3, 4]);
    assert.deepEqual([e.enter[3], e.start[3], e.finish[3]], [3, 4, 7]);
    assert.deepEqual([e.enter[5], e.start[5], e.finish[5]], [5, 7, 8]);
    assert.equal(e.status[0], JOB_NOT_ARRIVED, 'index-0 job never arrives');
    assert.equal(e.enter[0], -1);
    // no lingering here, so the return is exactly -(sum of slowdowns) = -(1 + 2 + 4/3 + 3)
    assert.ok(Math.abs(e.episodeReturn + (1 + 2 + 4 / 3 + 3)) < 1e-12);
    assert.equal(e.steps, 12);
    assert.throws(() => e.step(2), /call reset/);
  });

  test('fixed mode presents the index-0 job at t = 0', () => {
    const e = env(p, seq, 'fixed');
    const r = e.reset(0);
    assert.equal(e.slots[0], 0);
    assert.equal(e.enter[0], 0);
    assert.deepEqual(Array.from(r.info.actionMask), [1, 0, 1]);
    e.step(0); // allocate job0 at t=0: start 0, finish 1
    assert.deepEqual([e.start[0], e.finish[0]], [0, 1]);
  });
});

describe('compat quirks', () => {
  // two len-1 jobs finishing together: the second lingers one MoveOn in compat
  const p = smallParams({ simuLen: 3 });
  const seq = seqOf(p, [null, [1, [1, 1]], [1, [1, 1]]]);
  function play(mode: EnvMode) {
    const e = env(p, seq, mode);
    e.reset(0);
    const rewards: number[] = [];
    for (const a of [2, 2, 0, 1]) rewards.push(e.step(a).reward);
    while (!e.done) rewards.push(e.step(2).reward);
    return { e, rewards };
  }
  test('lingering finished job: costs reward and one step, not the schedule', () => {
    const c = play('compat');
    const f = play('fixed');
    // t=1 job1 -> slot0 (-1); t=2 job2 -> slot1 (-2); both start 2, finish 3
    // compat at t=3: job1 removed, job2 skipped (lingers, -1), done only at t=4
    assert.deepEqual(c.rewards, [-1, -2, 0, 0, -1, 0]);
    assert.deepEqual(f.rewards, [-1, -2, 0, 0, 0]);
    assert.equal(c.e.t, 4);
    assert.equal(f.e.t, 3);
    for (const x of [c.e, f.e]) {
      assert.deepEqual([x.start[1], x.finish[1], x.start[2], x.finish[2]], [2, 3, 2, 3]);
    }
    // with the bug the return is below -(sum of slowdowns) = -(2 + 1)
    assert.equal(c.e.episodeReturn, -4);
    assert.equal(f.e.episodeReturn, -3);
  });

  test('offset search: compat 0…T-len-1, fixed 0…T-len', () => {
    // T=5. job1 len 1 [4,4] fills row 0; job2 len 4 then fits only at offset 1 = T-len.
    const q = smallParams({ simuLen: 4 });
    const s = seqOf(q, [null, [1, [4, 4]], [4, [1, 1]], null]);
    for (const mode of ['compat', 'fixed'] as const) {
      const e = env(q, s, mode);
      e.reset(0);
      e.step(2); // t=1: job1 -> slot 0
      e.step(2); // t=2: job2 -> slot 1
      e.step(0); // job1 at offset 0: start 2, finish 3
      assert.equal(e.actionMask[1], mode === 'fixed' ? 1 : 0, mode);
      e.step(1);
      if (mode === 'compat') {
        assert.equal(e.t, 3, 'compat: infeasible pick moves time on');
        assert.equal(e.start[2], -1);
      } else {
        assert.equal(e.t, 2, 'fixed: allocated without moving time');
        assert.deepEqual([e.start[2], e.finish[2]], [3, 7]);
      }
    }
    // a job of len T: compat can never place it, fixed places it at offset 0
    const r = smallParams({ simuLen: 3, maxJobLen: 5 });
    const s2 = seqOf(r, [null, [5, [1, 1]], null]);
    const c = env(r, s2, 'compat');
    c.reset(0);
    c.step(2);
    assert.equal(c.findOffset(c.slots[0]), -1);
    assert.equal(c.actionMask[0], 0);
    const f = env(r, s2, 'fixed');
    f.reset(0);
    f.step(2);
    assert.equal(f.findOffset(f.slots[0]), 0);
    assert.equal(f.actionMask[0], 1);
  });

  test('future reservation at the smallest feasible offset (Random-style action)', () => {
    // job1 len2 [4,1] allocated at t=1 occupies rows 0-1 on resource 0; job2 len1 [1,1]
    // cannot start now or at +1, so picking it reserves offset 2 (start t+2).
    const q = smallParams({ simuLen: 4 });
    const s = seqOf(q, [null, [2, [4, 1]], [1, [1, 1]], null]);
    const e = env(q, s);
    e.reset(0);
    e.step(2); // t=1, job1 -> slot 0
    e.step(0); // job1: start 1, finish 3
    e.step(2); // t=2, job2 -> slot 0; row 0 (t=2) has 0 free of resource 0
    assert.equal(sjfAction(e), 2, 'SJF only takes jobs that fit now');
    assert.equal(e.actionMask[0], 1, 'but the job can be reserved later');
    e.step(0);
    assert.deepEqual([e.start[2], e.finish[2]], [3, 4]);
    assert.equal(e.t, 2);
  });
});

describe('backlog, drops, since, image', () => {
  test('M=1, backlog 5: the 7th waiting job is dropped; since resets on a drop', () => {
    const p = smallParams({ numNw: 1, simuLen: 9, maxTrackSinceNew: 3 });
    const jobs: ([number, number[]] | null)[] = [null];
    for (let s = 1; s < 9; s++) jobs.push(s === 8 ? null : [2, [1, 1]]);
    const e = env(p, seqOf(p, jobs));
    e.reset(0);
    for (let i = 0; i < 7; i++) e.step(1); // void: t = 1…7, jobs 1…7 arrive
    assert.equal(e.slots[0], 1);
    assert.equal(e.backlogCount, 5);
    assert.deepEqual(
      [2, 3, 4, 5, 6].map((h) => e.status[h]),
      Array(5).fill(JOB_IN_BACKLOG),
    );
    assert.equal(e.status[7], JOB_DROPPED);
    assert.equal(e.since, 0, 'since resets even when the arrival is dropped');
    // reward: slot job -1/2 + 5 backlog jobs -1/2 each (the dropped job is not counted)
    const r = e.step(1); // t=8, index 8 empty: since 1
    assert.equal(r.reward, -3);
    assert.equal(e.since, 1);
    // image: width (4 + 4*1)*2 + 1 + 1 = 18; backlog column 16 has 5 ones (rows 0-4); since col 17 = 1/3
    const W = 18;
    assert.deepEqual(e.observationShape, [5, W]);
    const obs = e.observation;
    for (let k = 0; k < 5; k++) {
      assert.equal(obs[k * W + 16], 1);
      assert.equal(obs[k * W + 17], Math.fround(1 / 3));
    }
    // slot block (resource 0 cols 4-7, resource 1 cols 12-15): len 2, res [1,1]
    assert.deepEqual(Array.from(obs.subarray(0 * W + 4, 0 * W + 8)), [1, 0, 0, 0]);
    assert.deepEqual(Array.from(obs.subarray(1 * W + 12, 1 * W + 16)), [1, 0, 0, 0]);
    assert.deepEqual(Array.from(obs.subarray(2 * W + 4, 2 * W + 8)), [0, 0, 0, 0]);
    // allocation refills slot 0 from the backlog head and clears backlog row 4
    e.step(0);
    assert.equal(e.slots[0], 2);
    assert.equal(e.backlogCount, 4);
    assert.equal(obs[4 * W + 16], 0);
    assert.equal(obs[3 * W + 16], 1);
  });

  test('canvas: coloured left prefixes that move up with time; colours from the shuffled map', () => {
    const p = smallParams({ simuLen: 4 });
    const s = seqOf(p, [null, [2, [3, 1]], [1, [2, 2]], null]);
    const rng = new NumpyRandomState(5);
    const e = new DeepRMEnv({ params: p, sequences: s, rng });
    e.reset(0);
    // colours: Machine() at env creation draws one shuffle; reset() builds a fresh map
    // and shuffles it with the next draws.
    const mirror = new NumpyRandomState(5);
    const fresh = () => Array.from({ length: 39 }, (_, i) => (i + 1) / 40);
    mirror.shuffle(fresh());
    const cm2 = fresh();
    mirror.shuffle(cm2);
    e.step(2); // t=1, job1 -> slot 0
    e.step(0); // job1 rows 0-1: res0 cells 0-2, res1 cell 0
    const W = (4 + 4 * 2) * 2 + 1 + 1;
    const c1 = Math.fround(cm2[0]);
    const obs = e.observation;
    for (const k of [0, 1]) {
      assert.deepEqual(Array.from(obs.subarray(k * W, k * W + 4)), [c1, c1, c1, 0]);
      assert.deepEqual(Array.from(obs.subarray(k * W + 12, k * W + 16)), [c1, 0, 0, 0]);
    }
    e.step(2); // t=2: canvas shifts up one row; job2 -> slot 0
    assert.deepEqual(Array.from(obs.subarray(0, 4)), [c1, c1, c1, 0]);
    assert.deepEqual(Array.from(obs.subarray(W, W + 4)), [0, 0, 0, 0]);
    // job2 [2,2] does not fit row 0 of res 0 (1 free); Random-style pick reserves row 1
    e.step(0);
    const c2 = Math.fround(cm2[1]); // first colour is still on the canvas (job1 finish 3 > 2)
    assert.deepEqual(Array.from(obs.subarray(W, W + 4)), [c2, c2, 0, 0]);
    assert.deepEqual(Array.from(obs.subarray(W + 12, W + 16)), [c2, c2, 0, 0]);
    // the occupancy always equals res_slot - avail
    for (let k = 0; k < 5; k++) {
      for (let r = 0; r < 2; r++) {
        let used = 0;
        for (let c = 0; c < 4; c++) if (obs[k * W + r * 12 + c] !== 0) used++;
        assert.equal(used, 4 - e.avail[k * 2 + r]);
      }
    }
  });

  test('image shape of the defaults: 20x124 for M=5, 20x224 for M=10; M+1 actions', () => {
    const p5 = makeParams();
    const e5 = new DeepRMEnv({ params: p5, sequences: emptySequences(1, p5.simuLen, 2) });
    assert.deepEqual(e5.observationShape, [20, 124]);
    assert.equal(e5.numActions, 6);
    const p10 = makeParams({ numNw: 10 });
    const e10 = new DeepRMEnv({ params: p10, sequences: emptySequences(1, p10.simuLen, 2) });
    assert.deepEqual(e10.observationShape, [20, 224]);
    assert.equal(e10.observationSize, 20 * 224);
  });
});

describe('end modes and the step cap', () => {
  const p = smallParams({ simuLen: 3 });
  const seq = seqOf(p, [null, [3, [1, 1]], [1, [1, 1]]]);
  test('no_new_job ends at s = simu_len; allocated jobs count even when they finish later', () => {
    const e = new DeepRMEnv({ params: p, sequences: seq, end: 'no_new_job', rng: new NumpyRandomState(0) });
    e.reset(0);
    e.step(2); // t=1 job1
    e.step(0); // job1: start 1 finish 4
    e.step(2); // t=2 job2 -> slot 0
    const r = e.step(2); // t=3, s=3 -> done
    assert.equal(r.terminated, true);
    assert.equal(e.t, 3);
    assert.equal(e.status[1], JOB_ALLOCATED);
    assert.equal(e.finish[1], 4);
    // reward still charged: running job1 -1/3, waiting job2 -1
    assert.ok(Math.abs(r.reward - (-1 / 3 - 1)) < 1e-12);
  });
  test('all_done continues until everything finished', () => {
    const e = env(p, seq);
    const run = runEpisode(e, sjfAction, 0);
    assert.equal(run.terminated, true);
    // job1 1→4, job2 arrives t=2 and starts at once (fits) 2→3; done when t=4
    assert.deepEqual([e.start[1], e.finish[1], e.start[2], e.finish[2]], [1, 4, 2, 3]);
    assert.equal(run.endTime, 4);
  });
  test('the cap counts every step call (allocations too) and truncates', () => {
    const q = smallParams({ simuLen: 3, episodeMaxLength: 2 });
    const e = env(q, seq);
    e.reset(0);
    assert.equal(e.step(2).truncated, false);
    const r = e.step(0); // an allocation is the 2nd decision: cap reached
    assert.equal(r.truncated, true);
    assert.equal(r.terminated, false);
    assert.equal(e.t, 1);
  });
});

describe('heuristics', () => {
  test('SJF and Packer ties go to the lowest slot; Packer uses the current row only', () => {
    const p = smallParams({ numNw: 3, simuLen: 5 });
    // three jobs waiting: job1 len2 [2,1], job2 len1 [1,2], job3 len1 [2,1]
    const s = seqOf(p, [null, [2, [2, 1]], [1, [1, 2]], [1, [2, 1]], null]);
    const e = env(p, s);
    e.reset(0);
    e.step(3);
    e.step(3);
    e.step(3); // slots: [job1, job2, job3], window empty [4,4]
    assert.equal(sjfAction(e), 1, 'len 1 tie between slots 1 and 2 -> slot 1');
    // Packer score = 4*res0 + 4*res1 = 12 for all -> slot 0
    assert.equal(packerAction(e), 0);
    assert.equal(tetrisAction(e, 0), 1, 'knob 0 = SJF');
    assert.equal(tetrisAction(e, 1), 0, 'knob 1 = Packer');
  });
  test('no candidate fits now -> void', () => {
    const p = smallParams({ simuLen: 3 });
    const s = seqOf(p, [null, [2, [4, 4]], [1, [1, 1]]]);
    const e = env(p, s);
    e.reset(0);
    e.step(2);
    e.step(0); // job1 fills rows 0-1 completely
    e.step(2); // job2 arrives; row 0 is full
    assert.equal(sjfAction(e), 2);
    assert.equal(packerAction(e), 2);
  });
});

test('DeepRMEnv works under SyncVecEnv (reset(seed) selects the example)', () => {
  const p = makeParams({ numNw: 5, simuLen: 10, numEx: 3 });
  const seq = emptySequences(3, 10, 2);
  seq.len[1] = 2;
  seq.res[2] = 5;
  seq.res[3] = 1;
  seq.id[1] = 1; // ex 0 idx1
  const vec = new SyncVecEnv([0, 1].map(() => new DeepRMEnv({ params: p, sequences: seq })));
  vec.reset(0);
  assert.equal(vec.observations.length, 2 * 20 * 124);
  assert.deepEqual(Array.from(vec.actionMasks), [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  vec.step(Int32Array.from([5, 5]));
  // env 0 plays example 0: its job arrived in slot 0
  assert.deepEqual(Array.from(vec.actionMasks.subarray(0, 6)), [1, 0, 0, 0, 0, 1]);
  assert.deepEqual(Array.from(vec.actionMasks.subarray(6, 12)), [0, 0, 0, 0, 0, 1]);
});

describe('returns vs slowdowns on generated job sets', () => {
  const p = makeParams({ simuLen: 50, numNw: 10, numEx: 20, end: 'all_done', episodeMaxLength: 20000 });
  const seq = generateSequences(p, 0.5, new NumpyRandomState(7));
  function sumSlowdown(e: DeepRMEnv): number {
    let s = 0;
    for (let h = 0; h < e.handles; h++)
      if (e.status[h] === JOB_ALLOCATED) s += (e.finish[h] - e.enter[h]) / e.jobLen[h];
    return s;
  }
  test('fixed + all_done: return = -Σ slowdown (+ the unpaid t=0 term); compat: return <= -Σ slowdown', () => {
    let lingered = 0;
    for (const policy of [sjfAction, packerAction]) {
      for (let ex = 0; ex < p.numEx; ex++) {
        const f = new DeepRMEnv({ params: p, sequences: seq, mode: 'fixed', observation: false });
        runEpisode(f, policy, ex);
        // the index-0 job enters at reset (t=0), before any step could charge its first -1/len
        const unpaid = f.jobLen[0] > 0 ? 1 / f.jobLen[0] : 0;
        assert.ok(Math.abs(f.episodeReturn + sumSlowdown(f) - unpaid) < 1e-9, `fixed ex ${ex}`);
        const c = new DeepRMEnv({ params: p, sequences: seq, mode: 'compat', observation: false });
        runEpisode(c, policy, ex);
        assert.ok(c.episodeReturn <= -sumSlowdown(c) + 1e-9, `compat ex ${ex}`);
        if (c.episodeReturn < -sumSlowdown(c) - 1e-9) lingered++;
      }
    }
    assert.ok(lingered > 0, 'the lingering bug shows up at 50% load');
  });
  test('with and without image observations the schedule is the same', () => {
    const a = new DeepRMEnv({ params: p, sequences: seq, observation: true, rng: new NumpyRandomState(3) });
    const b = new DeepRMEnv({ params: p, sequences: seq, observation: false, rng: new NumpyRandomState(3) });
    for (let ex = 0; ex < 5; ex++) {
      runEpisode(a, sjfAction, ex);
      runEpisode(b, sjfAction, ex);
      assert.deepEqual(Array.from(a.finish), Array.from(b.finish));
      assert.equal(a.episodeReturn, b.episodeReturn);
    }
  });
  test('image canvas occupancy equals res_slot - avail at every step (random actions, both modes)', () => {
    for (const mode of ['compat', 'fixed'] as const) {
      const e = new DeepRMEnv({ params: p, sequences: seq, mode, rng: new NumpyRandomState(11) });
      const pick = new NumpyRandomState(99);
      e.reset(0);
      const W = 224;
      for (let i = 0; i < 3000; i++) {
        const r = e.step(pick.randint(p.numNw + 1));
        for (let k = 0; k < p.timeHorizon; k++) {
          for (let res = 0; res < 2; res++) {
            const base = k * W + res * (10 + 10 * 10);
            let used = 0;
            while (used < 10 && e.observation[base + used] !== 0) used++;
            for (let c = used; c < 10; c++) assert.equal(e.observation[base + c], 0);
            assert.equal(used, 10 - e.avail[k * 2 + res], `step ${i} row ${k}`);
          }
        }
        if (r.terminated || r.truncated) e.reset(i);
      }
    }
  });
});
