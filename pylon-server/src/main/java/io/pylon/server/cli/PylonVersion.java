package io.pylon.server.cli;

import picocli.CommandLine.IVersionProvider;

/** The version lines printed by {@code pylon version} and {@code pylon --version}. */
public final class PylonVersion implements IVersionProvider {

  /** The version from the jar manifest, or {@code development} when run from classes. */
  public static String version() {
    String version = PylonVersion.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "pylon " + version(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
