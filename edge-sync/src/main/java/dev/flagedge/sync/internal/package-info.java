/**
 * Shared by FlagEdge's own modules (the key mask, the flag-value rule, the upstream HTTP client);
 * not an API. The module exports this package only to them (a qualified export, see
 * module-info.java), so no other module can compile against it; on the class path, where modules do
 * not apply, it is reachable but may still change in any release.
 */
package dev.flagedge.sync.internal;
