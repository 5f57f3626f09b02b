package io.edgecam.ctl;

import picocli.CommandLine;

/** Version from the jar manifest, or "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = EdgecamCli.class.getPackage().getImplementationVersion();
    return new String[] {"edgecam " + (v == null ? "dev" : v)};
  }
}
