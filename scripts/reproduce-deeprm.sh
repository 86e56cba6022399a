#!/usr/bin/env bash
# Reproduces results/deeprm/ (see results/deeprm/README.md):
#   DeepRM paper setting (simu_len 50, 10 slots, 70 % load = new_job_rate 0.379, all_done),
#   training job sets numpy seed 42, VALIDATION job sets seed 271828 (100; learning curves
#   and every choice of settings), held-out job sets seed 314159 (100; final numbers only);
#   DeepRM's policy gradient for 3 training seeds, then PPO, DQN and Q-learning, then the
#   PG runs continued with a lower learning rate (pg-decay); the validation pilots
#   (pilots/, never evaluated on held-out) and the variant they chose (CONT, continued
#   from the pg runs at PG_ITERS);
#   each evaluated greedily and by sampling beside SJF / Packer / Random on the held-out sets;
#   then the comparison table, summary.csv and the learning-curve plot.
#
# Usage (from anywhere):   scripts/reproduce-deeprm.sh
# Knobs (environment):     OUT=results/deeprm SEEDS="1 2 3" PG_ITERS=200 PPO_ITERS=500
#                          DQN_ITERS=30 QL_ITERS=500 DECAY_ITERS=100 PARALLEL=3
#                          AGENTS="pg ppo dqn qlearning pg-decay pilots cont"
#                          CONT="pg-sets100:100 pg-sets200:50" (variants chosen on validation:
#                          config name : iterations continued from the pg runs at PG_ITERS)
# Runs made before the validation split (pg, pg-decay, ppo, dqn, qlearning as committed)
# have held-out learning curves; re-running them now gives validation curves instead.
# A quick smoke run:       OUT=/tmp/deeprm-smoke SEEDS=1 PG_ITERS=3 PPO_ITERS=2 DQN_ITERS=2 QL_ITERS=2 scripts/reproduce-deeprm.sh
# Re-running continues unfinished trainings from their checkpoints (--resume) and skips
# finished ones; delete a run folder to redo it.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-results/deeprm}
SEEDS=${SEEDS:-"1 2 3"}
PG_ITERS=${PG_ITERS:-200}
PPO_ITERS=${PPO_ITERS:-500}
DQN_ITERS=${DQN_ITERS:-30}
QL_ITERS=${QL_ITERS:-500}
PARALLEL=${PARALLEL:-3}
AGENTS=${AGENTS:-"pg ppo dqn qlearning pg-decay pilots cont"}
DECAY_ITERS=${DECAY_ITERS:-100}
CONT=${CONT:-"pg-sets100:100 pg-sets200:50"}
PILOT_ITERS=${PILOT_ITERS:-25}
CONFIG=results/deeprm/config

# The CLI straight from the TypeScript sources (no build step needed).
lepton() { npx tsx -e "require('./src/cli/main').main(process.argv.slice(1)).then((c) => process.exit(c))" -- "$@"; }

mkdir -p "$OUT"
# The job sets, in the format of `lepton deeprm generate` (training itself regenerates the
# same sets from the setting recorded in each manifest; these files are for inspection and
# for `lepton evaluate`).
lepton deeprm generate --rate 0.379 --simu-len 50 --num-nw 10 --num-ex 100 --seed 314159 \
  --end all_done --episode-max-length 20000 --out "$OUT/heldout.json"
lepton deeprm generate --rate 0.379 --simu-len 50 --num-nw 10 --num-ex 100 --seed 271828 \
  --end all_done --episode-max-length 20000 --out "$OUT/validation.json"
lepton deeprm generate --rate 0.379 --simu-len 50 --num-nw 10 --num-ex 50 --seed 42 \
  --end all_done --episode-max-length 2000 --out "$OUT/train.json"

# train_and_eval NAME AGENT SEED ITERATIONS EVAL_EVERY [CONFIG_NAME] [START_FROM_RUN]
# START_FROM_RUN: continue another run's training (its checkpoint and curve are copied
# first, then `--resume` with this config): used for pg-decay (lr step decay).
train_and_eval() {
  local name=$1 agent=$2 seed=$3 iters=$4 every=$5 cfg=${6:-$2} from=${7:-} dir="$OUT/$1" resume=()
  if [ -f "$dir/manifest.json" ] && grep -q "\"iterationsDone\": $iters," "$dir/manifest.json" && [ -f "$dir/eval/summary.csv" ]; then
    echo "[$name] done already"
    return 0
  fi
  if [ -n "$from" ] && [ ! -d "$dir/checkpoint" ]; then
    mkdir -p "$dir"
    cp -r "$OUT/$from/checkpoint" "$OUT/$from/curve.csv" "$dir/"
  fi
  if [ -d "$dir/checkpoint" ] && [ "$agent" != qlearning ]; then resume=(--resume); fi
  if [ "$agent" = qlearning ]; then rm -rf "$dir"; fi
  mkdir -p "$dir"
  echo "[$name] training ($agent, seed $seed, $iters iterations, config $cfg) → $dir/train.log"
  lepton train --env deeprm --agent "$agent" --seed "$seed" --iterations "$iters" --eval-every "$every" \
    --config "$CONFIG/$cfg.json" --out "$dir" "${resume[@]}" > "$dir/train.log" 2>&1
  echo "[$name] evaluating on the held-out job sets"
  lepton evaluate --checkpoint "$dir" --jobs "$OUT/heldout.json" --policy sjf,packer,random --out "$dir/eval" > "$dir/eval.log" 2>&1
  tail -n 8 "$dir/eval.log" | head -n 7
}

# A simple job queue: at most PARALLEL trainings at once.
run_queued() {
  while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n || true; done
  { train_and_eval "$@" || echo "[$1] FAILED: see $OUT/$1/train.log and eval.log" >&2; } &
}

for agent in $AGENTS; do
  case $agent in
    pg) for s in $SEEDS; do run_queued "pg-seed$s" pg "$s" "$PG_ITERS" 10; done ;;
    ppo) run_queued ppo-seed1 ppo 1 "$PPO_ITERS" 50 ;;
    dqn) run_queued dqn-seed1 dqn 1 "$DQN_ITERS" 0 ;;
    qlearning) run_queued qlearning-seed1 qlearning 1 "$QL_ITERS" 0 ;;
    pg-decay | pilots | cont) ;; # later phases, below
    *) echo "unknown agent $agent" >&2; exit 2 ;;
  esac
done
wait

# Phase 2, pg-decay: each finished PG run continued for DECAY_ITERS more iterations with
# RMSProp lr 0.001 (DeepRM's own lr) instead of 0.003 — a step decay of the learning rate.
case " $AGENTS " in
  *" pg-decay "*)
    for s in $SEEDS; do run_queued "pg-decay-seed$s" pg "$s" "$((PG_ITERS + DECAY_ITERS))" 10 pg-decay "pg-seed$s"; done
    wait ;;
esac

# Phase 3, validation pilots (`--no-final-heldout`: they never touch the held-out sets).
# (a) lr 0.003 vs 0.001 from scratch, 30 iterations (re-checks on validation the lr the
#     first runs took from a held-out pilot); (b) continuations of pg-seed1 from PG_ITERS
#     for PILOT_ITERS iterations: 20 rollouts per job set (lr 0.003 / 0.001), and 100
#     training job sets instead of 50 (pg-sets100). Plus the committed 200/300-iteration
#     runs evaluated on the validation sets (validation-eval/).
pilot() { # NAME SEED ITERS CONFIG [FROM_RUN]
  local dir="$OUT/pilots/$1" resume=()
  if [ -f "$dir/manifest.json" ] && grep -q "\"iterationsDone\": $3," "$dir/manifest.json"; then echo "[pilot $1] done already"; return 0; fi
  mkdir -p "$dir"
  if [ -n "${5:-}" ] && [ ! -d "$dir/checkpoint" ]; then cp -r "$OUT/$5/checkpoint" "$OUT/$5/curve.csv" "$dir/"; fi
  if [ -d "$dir/checkpoint" ]; then resume=(--resume); fi
  lepton train --env deeprm --agent pg --seed "$2" --iterations "$3" --eval-every 5 --config "$CONFIG/$4.json" \
    --out "$dir" --no-final-heldout "${resume[@]}" > "$dir/train.log" 2>&1
}
case " $AGENTS " in
  *" pilots "*)
    for r in pg-seed1 pg-seed2 pg-seed3 pg-decay-seed1 pg-decay-seed2 pg-decay-seed3; do
      [ -d "$OUT/$r/checkpoint" ] && lepton evaluate --checkpoint "$OUT/$r" --jobs "$OUT/validation.json" --policy sjf,packer,random \
        --out "$OUT/$r/validation-eval" > "$OUT/$r/validation-eval.log" 2>&1
    done
    { pilot lr0.003-seed1 1 30 pg; } & { pilot lr0.001-seed1 1 30 pg-lr0.001; } & wait
    { pilot pg-r20-seed1 1 "$((PG_ITERS + 2 * PILOT_ITERS))" pg-r20 pg-seed1; } &
    { pilot pg-r20-lr0.001-seed1 1 "$((PG_ITERS + PILOT_ITERS))" pg-r20-lr0.001 pg-seed1; } & wait
    { pilot pg-sets100-seed1 1 "$((PG_ITERS + PILOT_ITERS))" pg-sets100 pg-seed1; } &
    { pilot pg-sets100-lr0.001-seed1 1 "$((PG_ITERS + PILOT_ITERS - 5))" pg-sets100-lr0.001 pg-seed1; } & wait
    { pilot pg-sets200-seed1 1 "$((PG_ITERS + PILOT_ITERS))" pg-sets200 pg-seed1; } & wait
    # The choice: one sampled evaluation moves by ±0.06 with the sampling seed alone, so
    # each candidate's checkpoint is evaluated on validation with 10 sampling seeds and
    # the means compared (pilots/selection.csv).
    echo "run,iterations,val_sampled_mean,val_sampled_sd,n_sample_seeds,val_ratio_to_sjf" > "$OUT/pilots/selection.csv"
    for r in pg-seed1 pg-decay-seed1 pilots/pg-r20-seed1 pilots/pg-r20-lr0.001-seed1 pilots/pg-sets100-seed1 pilots/pg-sets100-lr0.001-seed1 pilots/pg-sets200-seed1; do
      vals=()
      for ss in $(seq 11 20); do
        lepton evaluate --checkpoint "$OUT/$r" --jobs "$OUT/validation.json" --policy sjf --sample-seed "$ss" --out "$OUT/pilots/selection/${r//\//_}/s$ss" > /dev/null 2>&1
        rm -f "$OUT/pilots/selection/${r//\//_}/s$ss/jobs.csv" # 2 MB each; summary.csv is what counts
        vals+=("$(awk -F, '$1=="agent:reinforce:sample"{print $2}' "$OUT/pilots/selection/${r//\//_}/s$ss/summary.csv")")
      done
      sjf=$(awk -F, '$1=="sjf"{print $2}' "$OUT/pilots/selection/${r//\//_}/s11/summary.csv")
      it=$(grep -o '"iterationsDone": [0-9]*' "$OUT/$r/manifest.json" | grep -o '[0-9]*$')
      printf '%s\n' "${vals[@]}" | awk -v r="$r" -v it="$it" -v sjf="$sjf" '{s+=$1; q+=$1*$1; n++}
        END {m=s/n; printf "%s,%s,%.4f,%.4f,%d,%.4f\n", r, it, m, sqrt((q-n*m*m)/(n-1)), n, m/sjf}' >> "$OUT/pilots/selection.csv"
    done
    cat "$OUT/pilots/selection.csv" ;;
esac

# Phase 4: the variants chosen on validation (CONT) continued from each pg run at PG_ITERS,
# validation curve every 10 iterations, held-out once at the end. pg-sets100 was chosen
# first (pilots up to pg-sets100-lr0.001); pg-sets200 after its pilot (run later) beat it.
case " $AGENTS " in
  *" cont "*)
    for c in $CONT; do
      for s in $SEEDS; do run_queued "${c%%:*}-seed$s" pg "$s" "$((PG_ITERS + ${c##*:}))" 10 "${c%%:*}" "pg-seed$s"; done
    done
    wait ;;
esac

npx tsx -e "require('./src/report/deeprm').writeDeeprmReport(process.argv[1]).then((rows) => console.log(rows.length + ' table rows'))" -- "$OUT"
# One sampled evaluation moves by ±0.06–0.1 with the sampling seed alone, so every PG
# run's final checkpoint is also evaluated with 10 sampling seeds (1..10; seed 1 is the
# table's) on the validation and held-out sets: sampled-10seeds.csv (mean, sd, min, max).
npx tsx -e "
const fs = require('fs'), path = require('path');
const { loadTrainedAgent } = require('./src/experiment/train');
const t = require('./src/experiment/deeprmTask');
const { parseJobsFile } = require('./src/deeprm/params');
const { Rng } = require('./src/util/rng');
const { initBackend } = require('./src/tf/backend');
const root = process.argv[1];
(async () => {
  await initBackend();
  const files = { validation: 'validation.json', heldout: 'heldout.json' };
  const sets = {}, sjf = {};
  for (const [k, f] of Object.entries(files)) {
    sets[k] = parseJobsFile(JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')), f);
    sjf[k] = t.pooledMean(t.evaluateDeeprmHeuristics(sets[k], ['sjf'])[0]);
  }
  const rows = ['run,split,iterations,sampled_mean_10seeds,sd,min,max,ratio_to_sjf,sjf'];
  for (const name of fs.readdirSync(root).sort()) {
    if (!/^pg(-[a-z0-9.]+)*-seed\\d+$/.test(name) || !fs.existsSync(path.join(root, name, 'eval', 'summary.csv'))) continue;
    const m = JSON.parse(fs.readFileSync(path.join(root, name, 'manifest.json'), 'utf8'));
    const agent = await loadTrainedAgent(path.join(root, name, 'checkpoint'));
    for (const split of Object.keys(files)) {
      const v = [];
      for (let ss = 1; ss <= 10; ss++) { agent.rng = new Rng(ss); v.push(t.pooledMean(t.evaluateDeeprmAgent(agent, sets[split], false))); }
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
      rows.push([name, split, m.extra.iterationsDone, mean.toFixed(4), sd.toFixed(4), Math.min(...v).toFixed(4), Math.max(...v).toFixed(4), (mean / sjf[split]).toFixed(4), sjf[split].toFixed(4)].join(','));
    }
    agent.dispose?.();
  }
  fs.writeFileSync(path.join(root, 'sampled-10seeds.csv'), rows.join('\\n') + '\\n');
  console.log(rows.join('\\n'));
})();
" -- "$OUT"

# Validation learning curves (the val_* columns; runs made after the validation split):
# the report's plot code fed with val_* as its series and the validation heuristics.
npx tsx -e "
const r = require('./src/report/deeprm');
const { readCurve } = require('./src/experiment/train');
const fs = require('fs'), path = require('path');
const root = process.argv[1];
const dirs = [...fs.readdirSync(root).map((n) => [n, path.join(root, n)]),
  ...(fs.existsSync(path.join(root, 'pilots')) ? fs.readdirSync(path.join(root, 'pilots')).map((n) => ['pilot ' + n, path.join(root, 'pilots', n)]) : [])];
const runs = [];
for (const [name, dir] of dirs) {
  const f = path.join(dir, 'curve.csv');
  if (!fs.existsSync(f)) continue;
  const curve = readCurve(f).filter((c) => Number.isFinite(c.val_mean_slowdown) && c.iteration > 0 || c.iteration === 0 && Number.isFinite(c.val_mean_slowdown))
    .map((c) => ({ ...c, eval_mean_slowdown: c.val_mean_slowdown, eval_mean_slowdown_stochastic: c.val_mean_slowdown_stochastic }));
  if (curve.length === 0) continue;
  runs.push({ name, agent: 'pg', seed: Number((name.match(/seed(\\d+)/) || [])[1] || 0), resumedFrom: 0, curve, evals: [] });
}
const heur = {};
for (const e of r.readEvalSummary(path.join(root, 'pg-seed1', 'validation-eval', 'summary.csv')))
  if (e.policy === 'sjf' || e.policy === 'packer') heur[e.policy === 'sjf' ? 'SJF' : 'Packer'] = e.mean_slowdown;
const html = r.curvesHtml(runs, heur).replace(/held-out/g, 'VALIDATION').replace('learning curves</title>', 'validation learning curves</title>')
  .replace(/seed 314159/g, 'seed 271828').replace(/Dashed run lines: pg-decay[^<]*/, 'Curves from iteration 200 on: continuations of the pg run of the same seed (pilots: seed 1 only; settings in each manifest).');
fs.writeFileSync(path.join(root, 'validation-curves.html'), html);
r.renderPng(path.join(root, 'validation-curves.html'), path.join(root, 'validation-curves.png')).then(() => console.log(runs.length + ' validation curves'));
" -- "$OUT"
echo "wrote $OUT/summary.csv, $OUT/table.md, $OUT/curves.html, $OUT/curves.png, $OUT/validation-curves.png"
