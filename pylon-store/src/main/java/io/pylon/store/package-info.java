/**
 * Pylon's storage over JDBC: {@link io.pylon.store.Database} opens the embedded H2 file or a
 * PostgreSQL server, migrates the schema ({@code db/migration}, one Flyway history for every store)
 * and runs transactions; {@link io.pylon.store.StoreException} is the one failure type, with
 * messages meant for operators. The stores themselves live in sub-packages, one per SPI they
 * implement ({@link io.pylon.store.broker} for the broker, {@link io.pylon.store.registry} and
 * {@link io.pylon.store.tagging} for the thing registry and resource tags).
 *
 * <p>Must not import Netty, HTTP, or the broker's and domain's internals; only their storage SPIs.
 */
package io.pylon.store;
