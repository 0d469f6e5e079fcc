#!/usr/bin/env bash
# Both vocoder heads, equal work: 2,000 steps of batch 16 each (the reconstruction stage), the shipped
# vocoder's data (real_speech + spoken_digits:train, a quarter in the telephone band), seed 0; then both
# side by side with Griffin-Lim on the held-out voices and speakers. Needs scripts/make_real_speech.py first.
set -euo pipefail
cd "$(dirname "$0")/.."
for preset in small hifigan; do
  gan-audio train vocoder --preset "$preset" --data real_speech spoken_digits:train --epochs 20 \
    --steps-per-epoch 100 --batch-size 16 --recipe-option band_limit=0.25 --seed 0 --out "runs/heads_$preset"
done
python benchmarks/vocoder.py --vocoders runs/heads_small runs/heads_hifigan
