#!/bin/sh
# Rebuilds the labelled and held-out sets from the generators (run from the repo root).
set -e
d=internal/repeats/testdata
go run ./$d/gen > $d/labelled.jsonl
go run ./$d/genheld HLD-X- < $d/genheld/labelled_extra.txt >> $d/labelled.jsonl
go run ./$d/genheld HLD-H- < $d/genheld/heldout.txt > $d/heldout.jsonl
go run ./$d/genheld HLD-F- < $d/genfresh/fresh.txt > $d/fresh.jsonl
go run ./$d/genheld HLD-G- < $d/genfresh2/fresh2.txt > $d/fresh2.jsonl
