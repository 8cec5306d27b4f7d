// The contract between the browser, the web server and the host daemon: request schemas,
// response shapes and socket.io events, one module per domain under ./protocol/. No Node
// imports — both ends use these files. Import from here ("lib/shared/protocol"), not the modules.
export * from "./protocol/guests";
export * from "./protocol/guest-list";
export * from "./protocol/network";
export * from "./protocol/images";
export * from "./protocol/host";
export * from "./protocol/metrics";
export * from "./protocol/console";
export * from "./protocol/people";
export * from "./protocol/tokens";
export * from "./protocol/api-document";
export * from "./protocol/boot-analysis";
export * from "./protocol/migration";
