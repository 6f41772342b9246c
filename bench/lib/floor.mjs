// The floor of a command's start-up: a process that only imports the packages the command cannot
// do without (given as arguments) and exits. Its time against `node -e 0` says how much of a
// start-up target is already spent before any of aiplat's own code or any request runs.
//   node bench/lib/floor.mjs openai ws yaml commander
await Promise.all(process.argv.slice(2).map((name) => import(name)));
