/**
 * A private PostgreSQL server for tests, started from the locally installed binaries: {@link
 * io.pylon.store.testing.PostgresExtension} (JUnit 5) hands each test class or test a fresh, empty
 * database on one server per test JVM. Shipped to other modules' tests as pylon-store's test-jar
 * (this package only).
 *
 * <p>Never skips: when PostgreSQL is not installed, every test that asks for it fails saying how to
 * install it.
 */
package io.pylon.store.testing;
