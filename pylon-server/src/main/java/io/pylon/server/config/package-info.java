/**
 * Server configuration: one YAML file, {@code PYLON_*} environment variables and command-line
 * overrides merged over built-in defaults ({@link io.pylon.server.config.ConfigLoader}) into
 * immutable, validated records ({@link io.pylon.server.config.PylonConfig} and its parts). Every
 * problem is reported as a {@link io.pylon.server.config.ConfigException} that names the dotted
 * key, what is wrong and where the value was set; nothing here touches the network or the data
 * directory.
 */
package io.pylon.server.config;
