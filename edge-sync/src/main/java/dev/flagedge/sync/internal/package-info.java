/**
 * Shared by FlagEdge's own modules (the key mask, the flag-value rule); not an API. Public only
 * because Java has no narrower scope across modules: anything here may change in any release.
 */
package dev.flagedge.sync.internal;
