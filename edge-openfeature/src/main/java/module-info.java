/**
 * FlagEdge for OpenFeature: a provider that evaluates Flagsmith flags in-process through the
 * FlagEdge client.
 */
module dev.flagedge.openfeature {
  requires transitive dev.flagedge.sync;
  requires transitive dev.openfeature.sdk; // an automatic module (Automatic-Module-Name)

  exports dev.flagedge.openfeature;
}
