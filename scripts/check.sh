#!/bin/bash
# Everything CI runs: the stages of scripts/check.stages, through the
# stage runner scripts/stages.sh. The run fails if any stage failed or was
# skipped. Each stage's output is also kept in $WORK/check/STAGE.log.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stages.sh"

cd "$TOP"
stages_run scripts/check.stages "$WORK/check"
