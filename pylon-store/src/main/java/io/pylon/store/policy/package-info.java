/**
 * The policy domain's storage ({@link io.pylon.domain.policy.PolicyStore}) over JDBC: tables {@code
 * policy}, {@code policy_version} and {@code policy_attachment} of migration {@code
 * V4__policies.sql}, on the embedded H2 database and on PostgreSQL.
 */
package io.pylon.store.policy;
