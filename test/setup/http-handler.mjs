// Wraps an async request handler of the suite's HTTP servers: a client that hangs up mid-request (a test's run
// cancelled, a Durable Object restarted, a timeout) makes reading the body throw "aborted". That is the client's
// choice, not a fault of the server, so it ends the request quietly instead of becoming an unhandled rejection
// that fails the whole run. Any other error is answered with a 500 naming it, and logged.
export function guarded(handler) {
  return (req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error) => {
        if (req.destroyed || res.destroyed || error?.code === "ECONNRESET" || error?.message === "aborted") {
          res.destroy();
          return;
        }
        console.error(`test server: ${req.method} ${req.url}: ${error?.stack ?? error}`);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
        res.end(String(error?.message ?? error));
      });
  };
}
