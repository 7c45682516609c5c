/**
 * The thing registry's stores ({@code io.pylon.domain.registry}) over a {@link
 * io.pylon.store.Database}: things, thing types, thing groups with their members, and thing
 * principals, in the tables of migration {@code V2__registry.sql}. {@link
 * io.pylon.store.registry.JdbcRegistryStores#create} builds all four.
 */
package io.pylon.store.registry;
