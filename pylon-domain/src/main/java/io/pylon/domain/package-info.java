/**
 * The IoT domain's shared vocabulary: the account and region resources live in ({@link AwsAccount},
 * which makes ARNs), and paging of list operations ({@link PageRequest}, {@link Page}). Each
 * service is a subpackage ({@code registry}, {@code identity}, {@code policy}, ...) holding its
 * records, its {@code XxxService} entry point and the {@code XxxStore} interfaces that the storage
 * module implements. Failures are the exceptions in {@code error}; the HTTP module maps them to AWS
 * error names in one place.
 *
 * <p>Must not import Netty, JDBC, HTTP or MQTT engine types.
 */
package io.pylon.domain;
