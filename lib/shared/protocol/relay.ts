// How the host daemon knows a request came through Corral's own web server: the relay
// sends the secret the daemon wrote at start (a file only their user can read in the data
// directory, which both already share). Only then does the daemon take X-Forwarded-For as
// the browser's address; from any other caller that header is a claim and is ignored.
export const RELAY_HEADER = "x-corral-relay";
/** In the data directory, mode 0600, replaced at every daemon start. */
export const RELAY_SECRET_FILE = "relay-secret";
