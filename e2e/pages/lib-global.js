// For pages whose Content-Security-Policy forbids inline scripts: what
// classic.html does inline.
window.lib = SurrealAuth;
