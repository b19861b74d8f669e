// Log lines go to stderr, prefixed "[devserver]". stdout carries only the ready line.
// Never log request params: they hold passwords and tokens.
export function createLogger({ quiet = false } = {}) {
  const write = (msg) => process.stderr.write(`[devserver] ${msg}\n`);
  return {
    info: (msg) => { if (!quiet) write(msg); },
    error: (msg) => write(`error: ${msg}`),
  };
}
