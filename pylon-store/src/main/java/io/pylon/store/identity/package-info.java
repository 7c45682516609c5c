/**
 * The identity domain's stores over JDBC: {@link io.pylon.store.identity.JdbcCertificateStore} and
 * {@link io.pylon.store.identity.JdbcCaCertificateStore} on the tables of migration {@code
 * V3__identity.sql}, paging by (creation date, id) with the domain's base64 markers.
 */
package io.pylon.store.identity;
