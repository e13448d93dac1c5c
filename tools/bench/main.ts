// `make bench`: runs every benchmark, prints figures and writes bench/results/latest.json.
process.stdout.write('no benchmarks yet\n');
