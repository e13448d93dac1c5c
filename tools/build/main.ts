// `make build`: assembles and links every guest image the repository builds.
process.stdout.write('nothing to build yet\n');
